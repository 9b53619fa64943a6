// Listens with a Hono app on Node, on this machine's address given.
import { type ServerType, serve } from '@hono/node-server';

/** Resolves once listening; rejects when the port is taken. */
export function serveApp(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  host: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
    server.once('error', reject);
  });
}
