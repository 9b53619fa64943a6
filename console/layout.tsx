// The frame of every console page: header with the role's navigation, language switch and
// sign-out, a main landmark, and the islands a page asks for (scripts only from /console/assets).
import type { Child } from 'hono/jsx';
import type { Claims, Role } from '../api/auth.ts';
import { LANGS, type Label, type Lang, t, tOf } from './i18n.ts';
import { CSRF_FIELD } from './session.ts';

export type Island = 'diagram' | 'form' | 'verify' | 'live';

/** What each role finds in the navigation; the API still decides every request. */
const NAVIGATION: Record<Role | 'anonymous', [string, Label][]> = {
  applicant: [
    ['/console/services', 'services'],
    ['/console/applications', 'myApplications'],
  ],
  clerk: [
    ['/console/tasks', 'tasks'],
    ['/console/operate', 'operate'],
  ],
  designer: [
    ['/console/definitions', 'definitions'],
    ['/console/operate', 'operate'],
  ],
  auditor: [
    ['/console/operate', 'operate'],
    ['/console/definitions', 'definitions'],
  ],
  department: [],
  anonymous: [],
};

export interface PageProps {
  lang: Lang;
  title: string;
  user?: Claims;
  csrf: string;
  /** The path of this page, for the language switch to come back to. */
  path: string;
  islands?: Island[];
  children?: Child;
}

export function Page({ lang, title, user, csrf, path, islands = [], children }: PageProps) {
  const nav = [['/console/', 'home'] as [string, Label], ...NAVIGATION[user?.role ?? 'anonymous']];
  nav.push(['/console/verify', 'verify']);
  const styles = [
    'console.css',
    ...(islands.includes('diagram') ? ['diagram.css'] : []),
    ...(islands.includes('form') ? ['form.css'] : []),
  ];
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t(lang, 'appName')}`}</title>
        {styles.map((file) => (
          <link rel="stylesheet" href={`/console/assets/${file}`} />
        ))}
        {islands.map((island) => (
          <script type="module" src={`/console/assets/${island}.js`} />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t(lang, 'skipToContent')}
        </a>
        <header class="top">
          <a class="brand" href="/console/">
            {t(lang, 'appName')}
          </a>
          <nav aria-label={t(lang, 'nav')}>
            <ul>
              {nav.map(([href, label]) => (
                <li>
                  <a href={href} aria-current={href === path ? 'page' : undefined}>
                    {t(lang, label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            <nav class="languages" aria-label={t(lang, 'language')}>
              {LANGS.map((code) => (
                <a
                  href={`/console/lang?to=${code}&back=${encodeURIComponent(path)}`}
                  lang={code}
                  hreflang={code}
                  aria-current={code === lang ? 'true' : undefined}
                >
                  {code === 'zh-CN' ? '中文' : 'English'}
                </a>
              ))}
            </nav>
            {user ? (
              <form method="post" action="/console/logout" class="inline">
                <input type="hidden" name={CSRF_FIELD} value={csrf} />
                <span class="who">
                  {user.sub} · {tOf(lang, 'role', user.role)}
                </span>{' '}
                <button type="submit">{t(lang, 'signOut')}</button>
              </form>
            ) : (
              <a href="/console/login">{t(lang, 'signIn')}</a>
            )}
          </div>
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** The CSRF field every form of the console carries. */
export function Csrf({ value }: { value: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={value} />;
}

/** A problem the API answered, shown where the user acted. */
export function ProblemNotice({ title, detail }: { title: string; detail?: string }) {
  return (
    <div class="notice error" role="alert">
      <strong>{title}</strong>
      {detail ? <p>{detail}</p> : null}
    </div>
  );
}

/** JSON for an island, in a non-executed script block (`<` escaped so it cannot close the tag). */
export function IslandData({ id, value }: { id: string; value: unknown }) {
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  return <script type="application/json" id={id} dangerouslySetInnerHTML={{ __html: json }} />;
}
