// JWT bearer auth: who is calling and in which role. Tokens are HS256, signed with the secret from
// GOVFLOW_JWT_SECRET or one generated into the data directory on first run.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import type { ApiEnv } from './env.ts';
import { problem } from './problem.ts';

export const ROLES = ['designer', 'applicant', 'clerk', 'department', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Group names go into visibility queries, so only plain names are accepted where that matters. */
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const Claims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  /** Clerk groups (e.g. land-registry) or the department's organisation. */
  groups: z.array(z.string()).default([]),
  /** Groups whose tasks this clerk supervises: assigns them to a user, takes them back from one. */
  supervises: z.array(z.string().regex(GROUP_NAME, 'not a group name')).optional(),
  /** An applicant's citizen ID number: the API derives its person key (never stored in clear). */
  idNumber: z.string().trim().min(1).max(32).optional(),
  exp: z.number().optional(),
});
export type Claims = z.infer<typeof Claims>;

export function loadOrCreateSecret(file: string): string {
  if (process.env.GOVFLOW_JWT_SECRET) return process.env.GOVFLOW_JWT_SECRET;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

export async function signToken(
  secret: string,
  claims: Omit<Claims, 'exp'>,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  return sign({ ...claims, exp: Math.floor(Date.now() / 1000) + ttlSeconds }, secret, 'HS256');
}

export function authenticate(secret: string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) return problem(c, 401, 'Unauthorized', 'a bearer token is required');
    let payload: unknown;
    try {
      payload = await verify(token, secret, 'HS256');
    } catch (err) {
      return problem(c, 401, 'Unauthorized', `the token is not valid: ${(err as Error).message}`);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      return problem(
        c,
        401,
        'Unauthorized',
        `the token's claims are not valid: ${issue.path.join('.') || 'claims'}: ${issue.message}`,
      );
    }
    // The trail records a person as `user:<sub>`; a sub with ':' could read as another type of
    // actor (`contract:title-clear`), so no such subject is anyone.
    if (claims.data.sub.includes(':'))
      return problem(
        c,
        401,
        'Unauthorized',
        `the token's sub "${claims.data.sub}" contains ':'; a subject may not, so that no user can pose as the contract, a timer or a message`,
      );
    c.set('user', claims.data);
    await next();
  };
}

export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!roles.includes(user.role)) {
      return problem(
        c,
        403,
        'Forbidden',
        `this needs the role ${roles.join(' or ')}; the token has ${user.role}`,
      );
    }
    await next();
  };
}
