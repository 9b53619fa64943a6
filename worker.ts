// Starts the Temporal workers: the engine's (the interpreter workflow plus the activities that reach
// the ledger as the engine) and one per department (its jobs, on its own task queue, as itself).
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import { departmentActivities, departments, type ServiceTaskHandler } from './activities/service-tasks.ts';
import type { Ledger } from './ledger/types.ts';
import { departmentTaskQueue } from './workflows/department-queues.ts';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  ledger: Ledger;
  /** A pre-built bundle (tests share one); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: WorkflowBundle;
  /** Service-task handlers by type beside the built-in ones (a deployment's own job workers). */
  serviceTaskHandlers?: Record<string, ServiceTaskHandler>;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  return Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    // Message activities signal mailboxes and workflows; a Client runs fine on the worker's connection.
    activities: createActivities(
      opts.ledger,
      {
        client: new Client({ connection, namespace: opts.namespace }),
        taskQueue: opts.taskQueue,
      },
      opts.serviceTaskHandlers,
    ),
  });
}

export interface DepartmentWorkerOptions {
  temporalAddress: string;
  namespace: string;
  /** The engine's task queue; the department's is derived from it (`<queue>-dept-<MSP id>`). */
  taskQueue: string;
  /** The department's organisation, e.g. LandRegistryMSP. */
  mspId: string;
  ledger: Ledger;
}

/**
 * A department's job worker: polls only its department's task queue, with only its department's
 * handlers, and writes facts under its department's ledger identity. No workflows run here.
 */
export async function createDepartmentWorker(opts: DepartmentWorkerOptions): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  return Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: departmentTaskQueue(opts.taskQueue, opts.mspId),
    activities: departmentActivities(opts.ledger, opts.mspId),
  });
}

/** One worker per department that runs its own jobs (dev and tests run them in one process). */
export function createDepartmentWorkers(opts: Omit<DepartmentWorkerOptions, 'mspId'>): Promise<Worker[]> {
  return Promise.all(Object.keys(departments).map((mspId) => createDepartmentWorker({ ...opts, mspId })));
}
