// One way every console handler answers: the page frame around its content, in the session's
// language; and the page shown when the API refused what a page asked for.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Role } from '../api/auth.ts';
import type { ApiAnswer } from './api.ts';
import { type Label, t } from './i18n.ts';
import { type Island, Page, ProblemNotice } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';

export type ConsoleContext = Context<ConsoleEnv>;

export function render(
  c: ConsoleContext,
  title: string,
  content: Child,
  opts: { islands?: Island[]; status?: ContentfulStatusCode } = {},
) {
  return c.html(
    <Page
      lang={c.get('lang')}
      title={title}
      user={c.get('user')}
      csrf={c.get('csrf')}
      path={c.req.path}
      islands={opts.islands}
    >
      {content}
    </Page>,
    opts.status ?? 200,
  );
}

/** The API's refusal as a page with the API's own status (404 stays 404, 403 stays 403). */
export function refused(c: ConsoleContext, title: string, answer: ApiAnswer<unknown>) {
  return render(
    c,
    title,
    <ProblemNotice
      title={`${answer.status} ${answer.problem?.title ?? ''}`}
      detail={answer.problem?.detail}
    />,
    { status: answer.status as ContentfulStatusCode },
  );
}

/**
 * Pages for some roles only: others get a 403 page (the API would refuse their requests anyway),
 * and nobody signed in is sent to the login page, coming back here afterwards.
 */
export function forRoles(
  c: ConsoleContext,
  roles: Role[],
  title: Label,
): Response | Promise<Response> | undefined {
  const user = c.get('user');
  const lang = c.get('lang');
  if (!user) return c.redirect(`/console/login?back=${encodeURIComponent(c.req.path)}`, 303);
  if (!roles.includes(user.role))
    return render(c, t(lang, title), <ProblemNotice title={`403 ${t(lang, 'notAllowed')}`} />, {
      status: 403,
    });
  return undefined;
}
