// Bundles the console's browser islands (console/islands/*.ts, and the stylesheets they need)
// into dist/console/, which /console/assets serves. Run by `npm start` and `npm test`; quick when
// nothing changed (every output newer than every input: skipped).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const SOURCES = join(REPO, 'console/islands');
export const CONSOLE_ASSETS = join(REPO, 'dist/console');

/** Entry points: each island's script, and each stylesheet not imported by another. */
function entries(): string[] {
  return readdirSync(SOURCES)
    .filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || (f.endsWith('.css') && !f.includes('-')))
    .map((f) => join(SOURCES, f));
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function oldestOutput(): number {
  if (!existsSync(CONSOLE_ASSETS)) return 0;
  const outputs = entries().map((f) =>
    join(CONSOLE_ASSETS, f.slice(SOURCES.length + 1).replace(/\.ts$/, '.js')),
  );
  if (!outputs.every(existsSync)) return 0;
  return Math.min(...outputs.map((f) => statSync(f).mtimeMs));
}

export async function buildConsole(options: { force?: boolean } = {}): Promise<boolean> {
  const inputs = Math.max(
    newest(SOURCES),
    newest(join(REPO, 'verifier')),
    statSync(join(REPO, 'package-lock.json')).mtimeMs,
  );
  if (!options.force && oldestOutput() > inputs) return false;
  await build({
    entryPoints: entries(),
    outdir: CONSOLE_ASSETS,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
    assetNames: 'fonts/[name]-[hash]',
    logLevel: 'warning',
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildConsole({ force: process.argv.includes('--force') });
  console.log(built ? `console assets built into ${CONSOLE_ASSETS}` : 'console assets up to date');
}
