// The browser the console's tests drive: Debian's chromium (playwright-core downloads nothing).
// CHROMIUM_PATH wins; otherwise `chromium` on the PATH; otherwise, as root, it is installed
// with apt-get. `npm run chromium:install` does the same by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['chromium', 'chromium-browser'];

function onPath(): string | undefined {
  for (const name of CANDIDATES) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    const path = found.stdout.trim();
    if (found.status === 0 && path) return path;
  }
  return undefined;
}

/** Why there is no browser, or undefined when there is one (without installing anything). */
export function chromiumMissing(): string | undefined {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH)
      ? undefined
      : `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`;
  return onPath() ? undefined : 'chromium is not installed';
}

export function ensureChromium(log: (line: string) => void = console.log): string {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH))
      throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
    return process.env.CHROMIUM_PATH;
  }
  const found = onPath();
  if (found) return found;
  if (process.getuid?.() !== 0)
    throw new Error(
      'chromium is not installed; install it as root (apt-get install -y chromium) or set CHROMIUM_PATH',
    );
  // A CJK font too: without one the Chinese labels render as boxes.
  log(
    'govflow: installing Debian chromium (apt-get update && apt-get install -y chromium fonts-wqy-microhei)',
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-wqy-microhei'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  } catch (err) {
    throw new Error(`apt-get could not install chromium: ${(err as Error).message}`);
  }
  const installed = onPath();
  if (!installed) throw new Error('apt-get finished but no chromium is on the PATH');
  return installed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(ensureChromium());
}
