// Serves the API over HTTP on Node.
import type { ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { ApiServices } from './env.ts';
import { serveApp } from './serve.ts';

export function startApiServer(services: ApiServices, host: string, port: number): Promise<ServerType> {
  return serveApp(createApp(services), host, port);
}
