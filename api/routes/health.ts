// /healthz: is the API up, and can it reach Temporal and the ledger.
import { Hono } from 'hono';
import type { ApiEnv, ApiServices } from '../env.ts';

export function healthRoutes(services: ApiServices) {
  const app = new Hono<ApiEnv>();
  app.get('/healthz', async (c) => {
    const temporal = await services.temporal.connection
      .withDeadline(Date.now() + 2000, () => services.temporal.workflowService.getSystemInfo({}))
      .then(() => 'ok' as const)
      .catch(() => 'unreachable' as const);
    const ok = temporal === 'ok';
    return c.json({ status: ok ? 'ok' : 'degraded', temporal, ledger: services.ledger.kind }, ok ? 200 : 503);
  });
  return app;
}
