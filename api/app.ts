// The HTTP API: one sub-app per resource, mounted with app.route, behind JWT auth.
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ContractError } from '../ledger/errors.ts';
import { authenticate } from './auth.ts';
import type { ApiEnv, ApiServices } from './env.ts';
import { problem, zodProblem } from './problem.ts';
import { applicationRoutes } from './routes/applications.ts';
import { definitionRoutes } from './routes/definitions.ts';
import { healthRoutes } from './routes/health.ts';
import { ledgerEventRoutes } from './routes/ledger-events.ts';
import { eventRoutes } from './routes/messages.ts';
import { receiptRoutes } from './routes/receipts.ts';
import { registryRoutes } from './routes/registries.ts';
import { taskRoutes } from './routes/tasks.ts';

/** JSON bodies (applications, completions) are small; models have their own limit. */
const MAX_JSON_BYTES = 1024 * 1024;

export function createApp(services: ApiServices) {
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
    log.info(
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

  app.route('/', healthRoutes(services));
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

  const limitJson = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) =>
      problem(c, 413, 'Payload too large', `request bodies may be at most ${MAX_JSON_BYTES} bytes`),
  });
  const withJsonBodies = ['/applications', '/tasks', '/messages', '/signals', '/registries'];
  for (const prefix of ['/definitions', '/events', ...withJsonBodies])
    app.use(`${prefix}/*`, authenticate(services.jwtSecret));
  for (const prefix of withJsonBodies) app.use(`${prefix}/*`, limitJson);
  app.route('/definitions', definitionRoutes(services));
  app.route('/applications', applicationRoutes(services));
  app.route('/tasks', taskRoutes(services));
  app.route('/registries', registryRoutes(services));
  const events = eventRoutes(services);
  app.route('/messages', events.messages);
  app.route('/signals', events.signals);
  const ledgerEvents = ledgerEventRoutes(services);
  app.route('/events', ledgerEvents.all);
  app.route('/applications', ledgerEvents.perApplication);
  app.route('/', receiptRoutes(services));

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

export type GovflowApp = ReturnType<typeof createApp>;
