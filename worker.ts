// Starts the Temporal worker: the interpreter workflow plus the activities that reach the ledger.
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import type { ServiceTaskHandler } from './activities/service-tasks.ts';
import type { Ledger } from './ledger/types.ts';

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
