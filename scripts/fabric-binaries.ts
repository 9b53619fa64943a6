// The Hyperledger Fabric binaries a local network needs, built with `go install` at a pinned
// commit into a cache outside the clone and reused. Fabric's module path has no /v2 suffix, so
// its v2.5.x tags are not valid module versions: the pin is the commit of the v2.5.16 tag.
// Run: npm run fabric:install
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './temporal.ts';

export const FABRIC_VERSION = '2.5.16';
export const FABRIC_COMMIT = 'f871cf92a026aba7b12e6f06d71ded3e6e659d71';
const MODULE = 'github.com/hyperledger/fabric';

/**
 * Network tools into bin/, the chaincode-as-a-service builder into builders/ccaas/bin/; each
 * command is built from <MODULE>/<packages>/<command>.
 */
interface Target {
  dir: string;
  packages: string;
  commands: string[];
}

const TARGETS: Target[] = [
  { dir: 'bin', packages: 'cmd', commands: ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen'] },
  {
    dir: join('builders', 'ccaas', 'bin'),
    packages: 'ccaas_builder/cmd',
    commands: ['detect', 'build', 'release'],
  },
];

export function fabricHome(): string {
  return join(cacheDir(), `fabric-${FABRIC_VERSION}`);
}

function installed(home: string, { dir, commands }: Target): boolean {
  return commands.every((c) => existsSync(join(home, dir, c)));
}

/**
 * Builds whatever is missing; throws naming the command that failed and why (the Go toolchain's own
 * last lines, e.g. the module proxy refusing the module).
 */
export function ensureFabricBinaries(log: (line: string) => void = console.log): string {
  const home = fabricHome();
  const missing = TARGETS.filter((target) => !installed(home, target));
  if (missing.length === 0) return home;
  if (spawnSync('go', ['version']).status !== 0)
    throw new Error('The Fabric binaries are not cached and `go` is not on PATH to build them.');
  log(
    `Building Hyperledger Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT.slice(0, 12)}) into ${home} (first run only)...`,
  );
  for (const { dir, packages, commands } of missing) {
    const staging = join(home, `.build-${process.pid}`);
    mkdirSync(staging, { recursive: true });
    const build = spawnSync(
      'go',
      ['install', ...commands.map((c) => `${MODULE}/${packages}/${c}@${FABRIC_COMMIT}`)],
      {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOBIN: staging },
      },
    );
    if (build.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      const why = (build.stderr || build.error?.message || '').trim().split('\n').slice(-3).join('\n  ');
      throw new Error(
        `go install ${commands.join(', ')} of Fabric ${FABRIC_VERSION} failed (exit ${build.status}):\n  ${why}`,
      );
    }
    mkdirSync(join(home, dir), { recursive: true });
    for (const c of commands) renameSync(join(staging, c), join(home, dir, c));
    rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(`Fabric binaries in ${ensureFabricBinaries()}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
