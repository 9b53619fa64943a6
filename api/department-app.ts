// A department's own API node: the app restricted to /registries (and /healthz), run by the
// department's process with its identity alone (cli/department.ts). The main API passes
// department writes on to it (api/departments.ts).
import type { ServerType } from '@hono/node-server';
import { appShell, jsonLimit } from './app-shell.ts';
import { authenticate } from './auth.ts';
import type { ApiServices } from './env.ts';
import { type RegistryServices, registryRoutes } from './routes/registries.ts';
import { serveApp } from './serve.ts';

/** What a department's own node serves with: its ledger (its identity only) and the token secret. */
export type DepartmentNodeServices = Pick<ApiServices, 'ledger' | 'jwtSecret' | 'logger'> & {
  /** The organisation whose process this is. */
  mspId: string;
};

/** The department's node: its registries' writes and private-data reads, as the department. */
export function createDepartmentApp(services: DepartmentNodeServices) {
  const app = appShell(services);
  app.get('/healthz', (c) =>
    c.json({ status: 'ok', organisation: services.mspId, ledger: services.ledger.kind }),
  );
  app.use('/registries/*', authenticate(services.jwtSecret), jsonLimit());
  app.route('/registries', registryRoutes(services satisfies RegistryServices));
  return app;
}

export function startDepartmentServer(
  services: DepartmentNodeServices,
  host: string,
  port: number,
): Promise<ServerType> {
  return serveApp(createDepartmentApp(services), host, port);
}
