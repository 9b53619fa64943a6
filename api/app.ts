// The HTTP API: one sub-app per resource, mounted with app.route, behind JWT auth.
import { consoleApp } from '../console/app.tsx';
import { appShell, jsonLimit } from './app-shell.ts';
import { authenticate } from './auth.ts';
import type { ApiServices } from './env.ts';
import { applicationListRoutes } from './routes/application-lists.ts';
import { applicationRoutes } from './routes/applications.ts';
import { definitionStatisticsRoutes } from './routes/definition-statistics.ts';
import { definitionRoutes } from './routes/definitions.ts';
import { healthRoutes } from './routes/health.ts';
import { ledgerEventRoutes } from './routes/ledger-events.ts';
import { eventRoutes } from './routes/messages.ts';
import { receiptRoutes } from './routes/receipts.ts';
import { registryRoutes } from './routes/registries.ts';
import { taskRoutes } from './routes/tasks.ts';

export function createApp(services: ApiServices) {
  const app = appShell(services);
  app.route('/', healthRoutes(services));
  const limitJson = jsonLimit();
  const withJsonBodies = ['/applications', '/tasks', '/messages', '/signals', '/registries'];
  for (const prefix of ['/definitions', '/events', ...withJsonBodies])
    app.use(`${prefix}/*`, authenticate(services.jwtSecret));
  for (const prefix of withJsonBodies) app.use(`${prefix}/*`, limitJson);
  app.route('/definitions', definitionRoutes(services));
  app.route('/definitions', definitionStatisticsRoutes(services));
  app.route('/applications', applicationListRoutes(services));
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
  // The console's pages call this same app, so they pass every check a client's request does.
  const web = consoleApp(services.jwtSecret, (request) => app.fetch(request));
  app.all('/console', (c) => web.fetch(c.req.raw, c.env));
  app.all('/console/*', (c) => web.fetch(c.req.raw, c.env));
  app.get('/', (c) => c.redirect('/console/', 302));
  return app;
}

export type GovflowApp = ReturnType<typeof createApp>;
