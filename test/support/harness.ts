// The real product wired for a test: API (through app.request), embedded ledger in a temp dir,
// a worker on its own task queue, all against the run's Temporal dev server.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { signToken } from '../../api/auth.ts';
import { DecisionStore, DefinitionStore } from '../../api/definition-store.ts';
import type { ApiServices } from '../../api/env.ts';
import { openLedger } from '../../ledger/index.ts';
import type { Ledger } from '../../ledger/types.ts';
import { startWitnesses } from '../../ledger/witness.ts';
import { createDepartmentWorkers, createWorker, workflowsPath } from '../../worker.ts';
import { testHandlers } from './handlers.ts';

export const REPO = new URL('../../', import.meta.url);
export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

Runtime.install({ logger: new DefaultLogger('WARN') });

let bundle: Promise<WorkflowBundle> | undefined;
/** Bundling takes seconds; one bundle per test file is plenty. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

export interface Harness {
  dataDir: string;
  taskQueue: string;
  ledger: Ledger;
  services: ApiServices;
  app: ReturnType<typeof createApp>;
  request(
    method: string,
    path: string,
    opts?: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> },
  ): Promise<Response>;
  startWorker(): Promise<Worker>;
  stop(): Promise<void>;
}

export async function startHarness(
  opts: {
    dataDir?: string;
    withWorker?: boolean;
    withDepartments?: boolean;
    /** Organisations co-signing checkpoints in-process. */
    witnesses?: string[];
    /** Another ledger than a fresh embedded one (e.g. a Fabric network's); closed by stop(). */
    ledger?: Ledger;
  } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'govflow-test-'));
  const taskQueue = `test-${Math.random().toString(36).slice(2, 10)}`;
  const temporalAddress = inject('temporalAddress');
  const ledger = opts.ledger ?? (await openLedger({ kind: 'embedded', dir: join(dataDir, 'ledger') }));
  const witnesses =
    opts.witnesses && ledger.anchors
      ? await startWitnesses(ledger.anchors, opts.witnesses, {
          intervalMs: 100,
          stateDir: join(dataDir, 'witnesses'), // each test ledger is a ledger of its own
          onEvent: (mspId, e) => {
            if (e.outcome === 'refused' || e.outcome === 'error')
              console.error(`witness ${mspId}: ${e.outcome === 'refused' ? e.reason : e.error.message}`);
          },
        })
      : undefined;
  const connection = await Connection.connect({ address: temporalAddress });
  const services: ApiServices = {
    temporal: new Client({ connection }),
    taskQueue,
    ledger,
    definitions: new DefinitionStore(join(dataDir, 'definitions')),
    decisions: new DecisionStore(join(dataDir, 'decisions')),
    jwtSecret: JWT_SECRET,
    logger: pino({ level: 'silent' }),
  };
  const app = createApp(services);
  const workers: { worker: Worker; done: Promise<void> }[] = [];
  const harness: Harness = {
    dataDir,
    taskQueue,
    ledger,
    services,
    app,
    request: async (method, path, { token, json, body, headers = {} } = {}) => {
      const h: Record<string, string> = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      if (json !== undefined) h['content-type'] = 'application/json';
      return app.request(path, {
        method,
        headers: h,
        body: json !== undefined ? JSON.stringify(json) : body,
      });
    },
    startWorker: async () => {
      const worker = await createWorker({
        temporalAddress,
        namespace: 'default',
        taskQueue,
        ledger,
        workflowBundle: await workflowBundle(),
        serviceTaskHandlers: testHandlers,
      });
      workers.push({ worker, done: worker.run() });
      return worker;
    },
    stop: async () => {
      if (process.env.GOVFLOW_RECORD_HISTORIES) await recordHistories(services.temporal, taskQueue);
      for (const { worker, done } of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done.catch(() => undefined);
      }
      await connection.close();
      await witnesses?.stop();
      await ledger.close();
    },
  };
  if (opts.withWorker !== false) await harness.startWorker();
  // The departments' job workers, each on its own task queue, in this process for now.
  if (opts.withDepartments !== false) {
    for (const worker of await createDepartmentWorkers({
      temporalAddress,
      namespace: 'default',
      taskQueue,
      ledger,
    }))
      workers.push({ worker, done: worker.run() });
  }
  return harness;
}

/**
 * The harness a test file shares: started (by `start`) before its tests, stopped after them. The
 * object returned is filled in by that beforeAll, so use it inside tests and hooks only.
 */
export function useHarness(start: () => Promise<Harness> = () => startHarness()): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await start());
  });
  afterAll(() => h.stop?.());
  return h;
}

/**
 * `npm run record-histories`: keeps the histories of every completed application of this harness
 * as replay fixtures (test/replay), so later engine changes are checked against them.
 */
async function recordHistories(client: Client, taskQueue: string): Promise<void> {
  const dir = new URL('test/replay/histories/', REPO);
  const query = `TaskQueue = '${taskQueue}' AND WorkflowType = 'applicationWorkflow' AND ExecutionStatus = 'Completed'`;
  for await (const execution of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const processKey = ((execution.memo ?? {}) as { processKey?: string }).processKey ?? 'unknown';
    const name = `${processKey}.${execution.workflowId}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const file = new URL(`${name}.json`, dir);
    // Encoded protobuf: compact, and free of the JSON converter's protobufjs instance.
    const history64 = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish()).toString(
      'base64',
    );
    writeFileSync(file, JSON.stringify({ workflowId: execution.workflowId, processKey, history: history64 }));
  }
}

export const tokens = {
  designer: () => signToken(JWT_SECRET, { sub: 'dana', role: 'designer', groups: [] }),
  applicant: (sub = 'zhang.wei', idNumber?: string) =>
    signToken(JWT_SECRET, { sub, role: 'applicant', groups: [], ...(idNumber ? { idNumber } : {}) }),
  /** A department's system, e.g. the tax bureau's payment system (`TaxBureauMSP`). */
  department: (mspId: string, sub = 'dept-system') =>
    signToken(JWT_SECRET, { sub, role: 'department', groups: [mspId] }),
  clerk: (groups = ['land-registry'], sub = 'lin.clerk') =>
    signToken(JWT_SECRET, { sub, role: 'clerk', groups }),
  auditor: () => signToken(JWT_SECRET, { sub: 'audrey', role: 'auditor', groups: [] }),
};

export function shippedModel(name: string): string {
  return readFileSync(new URL(`definitions/${name}`, REPO), 'utf8');
}

/** Polls until `check` returns a value (not undefined), or fails with the last value seen. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
