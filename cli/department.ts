// `govflow worker --org <MSP id>`: a department's own process. It holds that organisation's
// ledger identity and no other (embedded: its key file; Fabric: its connection profile), runs the
// department's jobs on its own task queue, and serves the department's API node (POST
// /registries as the department, bound to this machine), to which the main API passes department
// writes on. With --dev (as `govflow dev` starts it) it also writes its registries' dev facts and
// co-signs the embedded ledger's checkpoints as its organisation's witness.
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { startDepartmentServer } from '../api/department-app.ts';
import { REGISTRY_OWNERS } from '../chaincode/src/registries.ts';
import { startWitnesses } from '../ledger/witness.ts';
import { seedDevFacts } from '../scripts/dev-facts.ts';
import { DEPARTMENT_OF_PREFIX, departmentTaskQueue } from '../workflows/department-queues.ts';
import type { Config } from './config.ts';
import { createLogger, departmentsOf, jwtSecret, ledgerFor } from './services.ts';

/** The department organisations, each with a process of its own: the owners of the registries. */
export const DEPARTMENT_ORGANISATIONS: readonly string[] = [...new Set(Object.values(REGISTRY_OWNERS))];

/** Default node ports: the API's port + 1, + 2, … in DEPARTMENT_ORGANISATIONS order. */
export function defaultDepartmentPort(config: Config, mspId: string): number {
  return config.port + 1 + DEPARTMENT_ORGANISATIONS.indexOf(mspId);
}

/** --port, else the port the department directory gives this department, else the default. */
function nodePort(config: Config, mspId: string, port?: string): number {
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`--port must be a port number, not "${port}"`);
    return n;
  }
  const url = departmentsOf(config).urlOf(mspId);
  if (url) return Number(new URL(url).port || 80);
  return defaultDepartmentPort(config, mspId);
}

export interface DepartmentProcess {
  url: string;
  stop(): Promise<void>;
  /** Resolves when the process has stopped (by stop() or when its job worker ends). */
  done: Promise<void>;
}

export async function startDepartment(
  config: Config,
  mspId: string,
  opts: { port?: string; dev?: boolean; temporalAddress: string },
): Promise<DepartmentProcess> {
  if (!DEPARTMENT_ORGANISATIONS.includes(mspId))
    throw new Error(
      `--org ${mspId} is not a department organisation (${DEPARTMENT_ORGANISATIONS.join(', ')})`,
    );
  const say = (line: string) => console.log(`govflow ${mspId}: ${line}`);
  const logger = createLogger(config, `department ${mspId}`);
  const ledger = await ledgerFor(config, mspId);
  let server: ServerType | undefined;
  let host = '127.0.0.1';
  let witnesses: { stop(): Promise<void> } | undefined;
  const closeAll = async () => {
    server?.close();
    await witnesses?.stop();
    await ledger.close();
  };
  try {
    if (opts.dev) {
      const seeded = await seedDevFacts(ledger, mspId);
      if (seeded) say(`${seeded} dev facts written`);
      if (ledger.anchors) {
        let lastRefusal = '';
        witnesses = await startWitnesses(ledger.anchors, [mspId], {
          // Beside this data directory's ledger (see cli/dev.ts): deleting .data/ starts both anew.
          stateDir: join(config.dataDir, 'dev-witnesses'),
          onEvent: (_, e) => {
            if (e.outcome !== 'refused' || lastRefusal === e.reason) return;
            lastRefusal = e.reason; // once per finding, not once per poll
            say(`witness REFUSED TO CO-SIGN: ${e.reason}`);
          },
        });
      }
    }
    const port = nodePort(config, mspId, opts.port);
    // This machine only, unless the deployment puts the node elsewhere (the main API must reach it).
    host = process.env.GOVFLOW_DEPARTMENT_HOST || '127.0.0.1';
    server = await startDepartmentServer({ ledger, jwtSecret: jwtSecret(config), logger, mspId }, host, port);
  } catch (err) {
    await closeAll();
    throw err;
  }
  const address = server?.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : ''}`;
  // Departments that run jobs; the Temporal worker is loaded only for them (it takes a while).
  const runsJobs = Object.values(DEPARTMENT_OF_PREFIX).includes(mspId);
  const worker = runsJobs
    ? await (await jobWorker(config)).createDepartmentWorker({
        temporalAddress: opts.temporalAddress,
        namespace: config.namespace,
        taskQueue: config.taskQueue,
        mspId,
        ledger,
      })
    : undefined;
  let release: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    release = resolve;
  });
  // The job worker drains its tasks on shutdown before the ledger closes.
  const done = (worker ? worker.run() : stopped).finally(closeAll);
  say(
    `node ${url} (POST /registries as ${mspId})${worker ? `, jobs on ${departmentTaskQueue(config.taskQueue, mspId)}` : ''}`,
  );
  logger.info({ mspId, url, jobs: Boolean(worker) }, 'department running');
  return {
    url,
    done,
    async stop() {
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      release();
      await done.catch(() => undefined);
    },
  };
}

/** The Temporal worker module, its SDK logging kept to warnings unless LOG_LEVEL=debug. */
async function jobWorker(config: Config) {
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
  return import('../worker.ts');
}
