// All activities the worker registers; workflows import only the type.
import type { Client } from '@temporalio/client';
import type { Ledger } from '../ledger/types.ts';
import { definitionCheckActivities, ledgerStepActivities } from './ledger-steps.ts';
import { messageActivities } from './messages.ts';
import { type ServiceTaskHandler, serviceTaskActivities } from './service-tasks.ts';

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
    ...serviceTaskActivities(ledger, handlers),
    ...messageActivities(messaging.client, messaging.taskQueue),
  };
}

export type GovflowActivities = ReturnType<typeof createActivities>;
