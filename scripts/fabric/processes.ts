// Starting and stopping the network's processes. Each node runs detached with its own log and
// pid file under the network directory, so `fabric:down` stops exactly what `fabric:up` started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export class NetworkError extends Error {}

function tail(text: string, n = 8): string {
  return text.trim().split('\n').slice(-n).join('\n  ');
}

/** Runs a Fabric tool to completion; throws naming the tool and its last output lines. */
export function runTool(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 32 << 20,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
    throw new NetworkError(`${what} failed (exit ${result.status}):\n  ${tail(output)}`);
  }
  return `${result.stdout}${result.stderr}`;
}

export interface NodeProcess {
  /** Short name, used for the log and pid files (e.g. `orderer`, `peer-GovflowMSP`). */
  name: string;
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** HTTP URL answering 200 when the node is up. */
  health?: string;
  /** Alternatively, host:port accepting TCP connections when the node is up. */
  listens?: string;
}

export function pidFile(dir: string, name: string): string {
  return join(dir, 'pids', `${name}.pid`);
}

export function logFile(dir: string, name: string): string {
  return join(dir, 'logs', `${name}.log`);
}

export function runningPid(dir: string, name: string): number | undefined {
  const file = pidFile(dir, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the node unless its pid file names a live process; waits until it is healthy. */
export async function startNode(dir: string, node: NodeProcess, timeoutMs = 60_000): Promise<number> {
  const existing = runningPid(dir, node.name);
  if (existing) return existing;
  mkdirSync(join(dir, 'pids'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const log = logFile(dir, node.name);
  const fd = openSync(log, 'a');
  const child = spawn(node.cmd, node.args, {
    cwd: node.cwd,
    env: { ...process.env, ...node.env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  child.unref();
  if (!child.pid) throw new NetworkError(`${node.name} did not start (${node.cmd}); see ${log}`);
  writeFileSync(pidFile(dir, node.name), `${child.pid}\n`);
  const since = Date.now();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() - since < timeoutMs) {
    if (exited !== null) {
      rmSync(pidFile(dir, node.name), { force: true });
      throw new NetworkError(
        `${node.name} exited with code ${exited} while starting; last lines of ${log}:\n  ${tail(readFileSync(log, 'utf8'))}`,
      );
    }
    if (await ready(node)) return child.pid;
    await sleep(100);
  }
  throw new NetworkError(
    `${node.name} (pid ${child.pid}) did not come up within ${timeoutMs / 1000} s; see ${log}`,
  );
}

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function ready(node: NodeProcess): Promise<boolean> {
  if (node.health) {
    try {
      const response = await fetch(node.health, { signal: AbortSignal.timeout(1000) });
      return response.ok;
    } catch {
      return false;
    }
  }
  if (node.listens) return accepts(node.listens);
  return true;
}

/** Stops the process its pid file names (TERM, then KILL after 10 s) and removes the pid file. */
export async function stopNode(dir: string, name: string): Promise<boolean> {
  const pid = runningPid(dir, name);
  rmSync(pidFile(dir, name), { force: true });
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; alive(pid); waited += 50) {
    if (waited >= 10_000) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await sleep(50);
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
