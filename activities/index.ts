// All activities the worker registers; workflows import only the type.
import type { Client } from '@temporalio/client';
import type { Ledger } from '../ledger/types.ts';
import { definitionCheckActivities, ENGINE_IDENTITY, ledgerStepActivities } from './ledger-steps.ts';
import { messageActivities } from './messages.ts';
import { engineHandlers, type ServiceTaskHandler, serviceTaskActivities } from './service-tasks.ts';

/** What message correlation needs: a client to reach the mailboxes, and their task queue. */
export interface Messaging {
  client: Client;
  taskQueue: string;
}

export function createActivities(
  ledger: Ledger,
  messaging: Messaging,
  handlers: Record<string, ServiceTaskHandler> = {},
) {
  return {
    ...ledgerStepActivities(ledger),
    ...definitionCheckActivities(ledger),
    // the engine's own jobs only: department jobs go to their department's worker (worker.ts)
    ...serviceTaskActivities(ledger, { ...engineHandlers, ...handlers }, ENGINE_IDENTITY),
    ...messageActivities(messaging.client, messaging.taskQueue),
  };
}

export type GovflowActivities = ReturnType<typeof createActivities>;
