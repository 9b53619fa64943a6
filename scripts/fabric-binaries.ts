// The Hyperledger Fabric binaries a local network needs, built with `go install` at a pinned
// commit into a cache outside the clone and reused. Fabric's module path has no /v2 suffix, so
// its v2.5.x tags are not valid module versions: the pin is the commit of the v2.5.16 tag.
// Run: npm run fabric:install
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './temporal.ts';

export const FABRIC_VERSION = '2.5.16';
export const FABRIC_COMMIT = 'f871cf92a026aba7b12e6f06d71ded3e6e659d71';
const MODULE = 'github.com/hyperledger/fabric';

/** Network tools into bin/, the chaincode-as-a-service builder into builders/ccaas/bin/. */
const TARGETS: { dir: string; commands: string[] }[] = [
  { dir: 'bin', commands: ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen'] },
  { dir: join('builders', 'ccaas', 'bin'), commands: ['detect', 'build', 'release'] },
];
const PACKAGE_DIR: Record<string, string> = {
  detect: 'ccaas_builder/cmd',
  build: 'ccaas_builder/cmd',
  release: 'ccaas_builder/cmd',
};

export function fabricHome(): string {
  return join(cacheDir(), `fabric-${FABRIC_VERSION}`);
}

function installed(): boolean {
  return TARGETS.every(({ dir, commands }) => commands.every((c) => existsSync(join(fabricHome(), dir, c))));
}

/**
 * Builds whatever is missing; throws naming the command that failed and why (the Go toolchain's own
 * last lines, e.g. the module proxy refusing the module).
 */
export function ensureFabricBinaries(log: (line: string) => void = console.log): string {
  const home = fabricHome();
  if (installed()) return home;
  if (spawnSync('go', ['version']).status !== 0)
    throw new Error('The Fabric binaries are not cached and `go` is not on PATH to build them.');
  log(
    `Building Hyperledger Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT.slice(0, 12)}) into ${home} (first run only)...`,
  );
  for (const { dir, commands } of TARGETS) {
    const staging = join(home, `.build-${process.pid}`);
    mkdirSync(staging, { recursive: true });
    const packages = commands.map((c) => `${MODULE}/${PACKAGE_DIR[c] ?? 'cmd'}/${c}@${FABRIC_COMMIT}`);
    const build = spawnSync('go', ['install', ...packages], {
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOBIN: staging },
    });
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

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(`Fabric binaries in ${ensureFabricBinaries()}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
