// The console's session: the API's own JWT kept in an HttpOnly, SameSite=Strict cookie (pages
// never see it), and a CSRF token bound to a second random cookie that every form post must echo.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { verify } from 'hono/jwt';
import { type Claims, Claims as ClaimsSchema } from '../api/auth.ts';

export const SESSION_COOKIE = 'gf_session';
export const CSRF_COOKIE = 'gf_csrf';
export const CSRF_FIELD = '_csrf';

export interface ConsoleEnv {
  Variables: {
    /** The signed-in user, when the session cookie holds a valid token. */
    user?: Claims;
    /** The session's bearer token, passed on to the API for every read and write. */
    token?: string;
    /** What a form must carry in `_csrf`. */
    csrf: string;
    lang: import('./i18n.ts').Lang;
  };
}

const cookieOptions = (c: Context) => ({
  path: '/console',
  httpOnly: true,
  sameSite: 'Strict' as const,
  secure: new URL(c.req.url).protocol === 'https:',
});

/** The claims of a token, or why it is not one (the same rules as the API's bearer auth). */
export async function readToken(secret: string, token: string): Promise<Claims | string> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, 'HS256');
  } catch (err) {
    return `the token is not valid: ${(err as Error).message}`;
  }
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) return 'the token lacks sub or a known role';
  if (claims.data.sub.includes(':')) return `the token's sub "${claims.data.sub}" contains ':'`;
  return claims.data;
}

function csrfFor(secret: string, nonce: string): string {
  return createHmac('sha256', secret).update(`govflow-console-csrf:${nonce}`).digest('base64url');
}

/** Reads the session and sets up the CSRF nonce; a stale or forged cookie is dropped. */
export function session(secret: string): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    let nonce = getCookie(c, CSRF_COOKIE);
    if (!nonce || !/^[A-Za-z0-9_-]{32,64}$/.test(nonce)) {
      nonce = randomBytes(24).toString('base64url');
      setCookie(c, CSRF_COOKIE, nonce, cookieOptions(c));
    }
    c.set('csrf', csrfFor(secret, nonce));
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const claims = await readToken(secret, token);
      if (typeof claims === 'string') deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
      else {
        c.set('user', claims);
        c.set('token', token);
      }
    }
    await next();
  };
}

/** Every POST carries the token of this browser's CSRF cookie, or nothing happens (403). */
export function requireCsrf(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const sent = typeof form[CSRF_FIELD] === 'string' ? (form[CSRF_FIELD] as string) : '';
    const expected = c.get('csrf');
    const ok = sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok)
      return c.text('403 Forbidden: the form lacks a valid CSRF token; reload the page and try again', 403);
    await next();
  };
}

export function startSession(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: 12 * 3600 });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}
