// The Hyperledger Fabric binaries a local network needs, built once into a cache outside the
// clone and reused. Two routes to the same pinned release:
// - FABRIC_SRC: a clone or snapshot of the upstream repository holding the release tag. Fabric
//   vendors its Go modules, so `go build -mod=vendor` needs no module proxy; only the
//   chaincode-as-a-service builder (a module of its own) fetches its three small dependencies.
// - otherwise `go install` at the tag's commit, where the module proxy serves Fabric's modules.
// Fabric's module path has no /v3 suffix, so its tags are not module versions: the pin is the
// commit of the v3.1.5 tag.
// Run: npm run fabric:install
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../temporal.ts';

export const FABRIC_VERSION = '3.1.5';
export const FABRIC_TAG = `v${FABRIC_VERSION}`;
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
const MODULE = 'github.com/hyperledger/fabric';

/** Network tools into bin/, the chaincode-as-a-service builder into builders/ccaas/bin/. */
interface Target {
  dir: string;
  /** Folder of the Go module inside the repository ('' for the root module). */
  module: string;
  commands: string[];
}

const TARGETS: Target[] = [
  {
    dir: 'bin',
    module: '',
    commands: ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen', 'discover'],
  },
  {
    dir: join('builders', 'ccaas', 'bin'),
    module: 'ccaas_builder',
    commands: ['detect', 'build', 'release'],
  },
];

export function fabricHome(): string {
  return join(cacheDir(), `fabric-${FABRIC_VERSION}`);
}

export function fabricBinary(name: string): string {
  return join(fabricHome(), 'bin', name);
}

/** The release's sample node configurations, which the network scripts start from. */
const SAMPLE_CONFIG = ['core.yaml', 'orderer.yaml'];

function missingConfig(home: string): string[] {
  return SAMPLE_CONFIG.filter((name) => !existsSync(join(home, 'config', name)));
}

export function fabricSampleConfig(name: 'core.yaml' | 'orderer.yaml'): string {
  return join(fabricHome(), 'config', name);
}

function missingCommands(home: string, { dir, commands }: Target): string[] {
  return commands.filter((c) => !existsSync(join(home, dir, c)));
}

/** Why the binaries are not usable yet, or undefined when every one of them is cached. */
export function fabricBinariesMissing(): string | undefined {
  const home = fabricHome();
  const missing = [
    ...TARGETS.flatMap((t) => missingCommands(home, t)),
    ...missingConfig(home).map((c) => `config/${c}`),
  ];
  if (missing.length === 0) return undefined;
  return `the Fabric ${FABRIC_VERSION} binaries are not in ${home} (missing: ${missing.join(', ')}); build them with \`FABRIC_SRC=<fabric repository> npm run fabric:install\``;
}

const metadataFlags = `-X ${MODULE}/common/metadata.Version=${FABRIC_VERSION} -X ${MODULE}/common/metadata.CommitSHA=${FABRIC_COMMIT.slice(0, 7)}`;

function lastLines(text: string | undefined, n = 6): string {
  return (text ?? '').trim().split('\n').slice(-n).join('\n  ');
}

function run(
  what: string,
  cmd: string,
  args: string[],
  cwd: string | undefined,
  env: NodeJS.ProcessEnv,
): void {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) {
    const why = lastLines(result.stderr || result.error?.message);
    throw new Error(`${what} failed (exit ${result.status}):\n  ${why}`);
  }
}

/** Unpacks the pinned tag of FABRIC_SRC into a fresh folder; checks the tag is the pinned commit. */
function unpackSource(src: string, into: string): void {
  const rev = spawnSync('git', ['-C', src, 'rev-parse', `${FABRIC_TAG}^{commit}`], { encoding: 'utf8' });
  if (rev.status !== 0)
    throw new Error(`FABRIC_SRC=${src} has no tag ${FABRIC_TAG}: ${lastLines(rev.stderr, 2)}`);
  if (rev.stdout.trim() !== FABRIC_COMMIT)
    throw new Error(
      `FABRIC_SRC=${src}: tag ${FABRIC_TAG} is ${rev.stdout.trim()}, expected ${FABRIC_COMMIT}`,
    );
  const archive = spawnSync(
    'sh',
    ['-c', `git -C "$0" archive ${FABRIC_COMMIT} | tar -x -C "$1"`, src, into],
    {
      encoding: 'utf8',
    },
  );
  if (archive.status !== 0)
    throw new Error(`unpacking ${FABRIC_TAG} from ${src} failed: ${lastLines(archive.stderr)}`);
}

function buildFromSource(src: string, home: string, targets: Target[], log: (line: string) => void): void {
  const work = mkdtempSync(join(cacheDir(), `.fabric-src-${FABRIC_VERSION}-`));
  try {
    log(`  unpacking ${FABRIC_TAG} from ${src}`);
    unpackSource(src, work);
    copySampleConfig(work, home);
    for (const target of targets) {
      for (const command of missingCommands(home, target)) {
        log(`  building ${command}`);
        const vendored = target.module === '';
        run(
          `go build of ${command} (Fabric ${FABRIC_VERSION})`,
          'go',
          [
            'build',
            '-trimpath',
            '-ldflags',
            metadataFlags,
            '-o',
            join(home, target.dir, `${command}.part`),
            `./cmd/${command}`,
          ],
          join(work, target.module),
          vendored
            ? {
                GOTOOLCHAIN: 'local',
                CGO_ENABLED: '0',
                GOFLAGS: '-mod=vendor -buildvcs=false',
                GOPROXY: 'off',
              }
            : { GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        );
        renameSync(join(home, target.dir, `${command}.part`), join(home, target.dir, command));
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Copies the sample core.yaml and orderer.yaml of the pinned release from `sourceDir`. */
function copySampleConfig(sourceDir: string, home: string): void {
  mkdirSync(join(home, 'config'), { recursive: true });
  for (const name of missingConfig(home))
    copyFileSync(join(sourceDir, 'sampleconfig', name), join(home, 'config', name));
}

/** Where the module proxy put the pinned release's source (for its sample configuration). */
function downloadedModuleDir(): string {
  const result = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${FABRIC_COMMIT}`], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
  const dir = result.status === 0 ? (JSON.parse(result.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir)
    throw new Error(
      `go mod download ${MODULE}@${FABRIC_COMMIT} failed: ${lastLines(result.stderr || result.stdout)}`,
    );
  return dir;
}

function installFromProxy(home: string, targets: Target[], log: (line: string) => void): void {
  for (const target of targets) {
    const staging = join(home, `.build-${process.pid}`);
    mkdirSync(staging, { recursive: true });
    try {
      const modulePath = target.module ? `${MODULE}/${target.module}` : MODULE;
      const commands = missingCommands(home, target);
      log(`  go install ${commands.join(', ')}`);
      run(
        `go install of ${commands.join(', ')} (Fabric ${FABRIC_VERSION}); where the module proxy refuses Fabric's modules, set FABRIC_SRC to a clone of the Fabric repository`,
        'go',
        [
          'install',
          '-ldflags',
          metadataFlags,
          ...commands.map((c) => `${modulePath}/cmd/${c}@${FABRIC_COMMIT}`),
        ],
        undefined,
        { GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOBIN: staging },
      );
      for (const c of commands) renameSync(join(staging, c), join(home, target.dir, c));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}

/** Builds whatever is missing and returns the cache folder; throws naming the binary and why. */
export function ensureFabricBinaries(log: (line: string) => void = console.log): string {
  const home = fabricHome();
  const targets = TARGETS.filter((t) => missingCommands(home, t).length > 0);
  if (targets.length === 0 && missingConfig(home).length === 0) return home;
  if (spawnSync('go', ['version']).status !== 0)
    throw new Error('The Fabric binaries are not cached and `go` is not on PATH to build them.');
  for (const t of targets) mkdirSync(join(home, t.dir), { recursive: true });
  const src = process.env.FABRIC_SRC;
  log(`Building Hyperledger Fabric ${FABRIC_VERSION} into ${home} (first run only, a few minutes)...`);
  if (src) buildFromSource(src, home, targets, log);
  else {
    installFromProxy(home, targets, log);
    if (missingConfig(home).length > 0) copySampleConfig(downloadedModuleDir(), home);
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
