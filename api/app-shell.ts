// What every govflow HTTP node shares: request ids and logging, the OpenAPI document, problem
// answers for errors (the contract's refusals among them), the JSON body limit.
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ContractError } from '../ledger/errors.ts';
import type { ApiEnv, ApiServices } from './env.ts';
import { problem, zodProblem } from './problem.ts';

/** JSON bodies (applications, completions) are small; models have their own limit. */
const MAX_JSON_BYTES = 1024 * 1024;

export const jsonLimit = () =>
  bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) =>
      problem(c, 413, 'Payload too large', `request bodies may be at most ${MAX_JSON_BYTES} bytes`),
  });

/** Request logging, the OpenAPI document, problem answers for errors: every node's. */
export function appShell(services: Pick<ApiServices, 'logger'>) {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => (result.success ? undefined : zodProblem(c, result.error, result.target)),
  });

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    const log = services.logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const applicationId = c.req.path.match(/app-[0-9a-f]{16}/)?.[0];
    // Health probes (supervisors poll them) only when debugging.
    log[c.req.path === '/healthz' ? 'debug' : 'info'](
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        applicationId,
      },
      'request',
    );
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'govflow',
      version: '0.1.0',
      description: 'BPMN approval engine with a verifiable ledger trail',
    },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  app.notFound((c) => problem(c, 404, 'Not found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    const log = c.get('log') ?? services.logger;
    // Hono raises these for requests it cannot read (e.g. malformed JSON): the caller's fault.
    if (err instanceof HTTPException && err.status < 500)
      return problem(c, err.status, 'Bad request', err.message);
    // The contract refused the request's input (a malformed key, an organisation it may not act
    // as, a registry it does not have): the caller's fault wherever a route did not say more.
    if (err instanceof ContractError) {
      if (err.code === 'FORBIDDEN') return problem(c, 403, 'Forbidden', err.message);
      if (err.code === 'UNKNOWN_REGISTRY') return problem(c, 404, 'Not found', err.message);
      if (err.code === 'STEP_CONFLICT') return problem(c, 409, 'Conflict', err.message);
      return problem(c, 422, 'Invalid request', err.message);
    }
    log.error({ err }, 'request failed');
    return problem(c, 500, 'Internal error', `something went wrong; quote request id ${c.get('requestId')}`);
  });
  return app;
}
