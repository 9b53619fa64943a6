// Signing in with an API token (from the link `npm start` prints, or pasted), signing out, and
// the language switch. The token goes into the HttpOnly session cookie, never into a page.
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { LANG_COOKIE, LANGS, t } from '../i18n.ts';
import { Csrf, ProblemNotice } from '../layout.tsx';
import { type ConsoleContext, render } from '../render.tsx';
import { type ConsoleEnv, endSession, readToken, startSession } from '../session.ts';

/** Only paths of the console itself: a `back` parameter must not send anyone elsewhere. */
export function consolePath(back: string | undefined): string {
  return back &&
    /^\/console(\/[A-Za-z0-9._~%/?=&-]*)?$/.test(back) &&
    !back.includes('//') &&
    !/(^|\/)\.\.?(\/|$|\?)/.test(back)
    ? back
    : '/console/';
}

function loginPage(c: ConsoleContext, problem?: string) {
  const lang = c.get('lang');
  const back = consolePath(c.req.query('back'));
  return render(
    c,
    t(lang, 'signIn'),
    <>
      {problem ? <ProblemNotice title={t(lang, 'loginFailed')} detail={problem} /> : null}
      <form method="post" action="/console/login" class="stack">
        <Csrf value={c.get('csrf')} />
        <input type="hidden" name="back" value={back} />
        <label for="token">{t(lang, 'pasteToken')}</label>
        <textarea id="token" name="token" rows={4} required autocomplete="off" spellcheck={false} />
        <button type="submit">{t(lang, 'signIn')}</button>
      </form>
      <p class="hint">{t(lang, 'loginHelp')}</p>
    </>,
    { status: problem ? 401 : 200 },
  );
}

export function loginPages(jwtSecret: string) {
  const app = new Hono<ConsoleEnv>();

  const signIn = async (c: ConsoleContext, token: string, back: string) => {
    const claims = await readToken(jwtSecret, token.trim());
    if (typeof claims === 'string') return loginPage(c, claims);
    startSession(c, token.trim());
    return c.redirect(consolePath(back), 303);
  };

  app.get('/login', (c) => {
    const token = c.req.query('token');
    return token ? signIn(c, token, c.req.query('back') ?? '/console/') : loginPage(c);
  });
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    return signIn(c, String(form.token ?? ''), String(form.back ?? ''));
  });
  app.post('/logout', (c) => {
    endSession(c);
    return c.redirect('/console/', 303);
  });
  // A preference, not an action on anyone's data: a plain link can set it.
  app.get('/lang', (c) => {
    const to = c.req.query('to');
    if (to && (LANGS as readonly string[]).includes(to))
      setCookie(c, LANG_COOKIE, to, { path: '/console', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    return c.redirect(consolePath(c.req.query('back')), 303);
  });
  return app;
}
