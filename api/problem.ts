// RFC 9457 problem details: every error the API returns, and nothing more (no stack traces).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Response {
  const body: Problem = { type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extensions };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/** Field-level errors from a zod validation failure: `{field, message}` per issue. */
export function zodProblem(c: Context, error: ZodError, where: string): Response {
  const errors = error.issues.map((issue) => ({
    field: issue.path.join('.') || where,
    message: issue.message,
  }));
  return problem(c, 422, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    errors,
  });
}
