// Serves the API over HTTP on Node.
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { ApiServices } from './env.ts';

export function startApiServer(services: ApiServices, host: string, port: number): Promise<ServerType> {
  const app = createApp(services);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
    server.once('error', reject);
  });
}
