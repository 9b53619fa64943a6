// /console/assets/*: the islands' bundles and styles (built into dist/console/ by
// scripts/build-console.ts) and the console's own stylesheet (console/static/). Nothing else.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { ConsoleEnv } from './session.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
export const ASSET_DIRS = [join(REPO, 'dist/console'), join(REPO, 'console/static')];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export function assetRoutes() {
  const app = new Hono<ConsoleEnv>();
  app.get('/*', async (c) => {
    const name = c.req.path.replace(/^\/console\/assets\//, '');
    // Plain names in at most one folder (fonts/): no way out of the asset folders.
    const type = TYPES[extname(name)];
    if (!type || !/^([A-Za-z0-9_-]+\/)?[A-Za-z0-9._-]+$/.test(name) || name.includes('..'))
      return c.text('not found', 404);
    for (const dir of ASSET_DIRS) {
      const content = await readFile(join(dir, name)).catch(() => undefined);
      if (content) return c.body(content, 200, { 'content-type': type, 'cache-control': 'no-cache' });
    }
    return c.text('not found', 404);
  });
  return app;
}
