// The Temporal server for one machine: installs the Temporal CLI (which embeds the dev server)
// into a cache outside the clone, starts it, and registers govflow's search attributes.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

export const TEMPORAL_CLI_VERSION = '1.5.1';

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'govflow');
}

export function temporalCliPath(): string {
  return join(cacheDir(), `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/** Builds the CLI with `go install` on first use (a few minutes on 2 cores), then reuses it. */
export function ensureTemporalCli(log: (line: string) => void = console.log): string {
  const target = temporalCliPath();
  if (existsSync(target)) return target;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(
      'The Temporal CLI is not cached and `go` is not on PATH to build it (Go >= 1.23 needed).',
    );
  }
  const staging = join(dirname(target), `.build-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} into ${dirname(target)} (first run only)...`);
  const build = spawnSync(
    'go',
    [
      'install',
      '-ldflags',
      `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
      `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOBIN: staging },
    },
  );
  if (build.status !== 0) throw new Error(`go install of the Temporal CLI failed (exit ${build.status})`);
  renameSync(join(staging, 'temporal'), target);
  return target;
}

export interface DevServerOptions {
  port: number;
  /** SQLite file to persist to; in memory when absent. */
  dbFile?: string;
  /** Serve the Temporal web UI on this port; headless when absent. */
  uiPort?: number;
  logFile: string;
}

export interface DevServer {
  address: string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and resolves once it answers on gRPC. */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServer> {
  const bin = ensureTemporalCli();
  mkdirSync(dirname(opts.logFile), { recursive: true });
  if (opts.dbFile) mkdirSync(dirname(opts.dbFile), { recursive: true });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port)];
  args.push('--namespace', 'default', '--log-level', 'warn');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  args.push(...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']));
  for (const key of SEARCH_ATTRIBUTES)
    args.push('--search-attribute', `${key.name}=${cliTypeName(key.type)}`);

  const logStream = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });

  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) {
      throw new Error(
        `Temporal dev server exited (code ${exited}); see ${opts.logFile}:\n${tail(opts.logFile)}`,
      );
    }
    if (await answers(address)) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`Temporal dev server did not answer on ${address} within 90 s; see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.withDeadline(Date.now() + 2000, () => connection.workflowService.getSystemInfo({}));
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** For a server govflow did not start (TEMPORAL_ADDRESS): add any search attribute it lacks. */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  const types = proto.temporal.api.enums.v1.IndexedValueType;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [
        key.name,
        key.type === 'KEYWORD_LIST'
          ? types.INDEXED_VALUE_TYPE_KEYWORD_LIST
          : types.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
}

function cliTypeName(type: string): string {
  return type === 'KEYWORD_LIST' ? 'KeywordList' : 'Keyword';
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
