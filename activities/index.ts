// All activities the worker registers; workflows import only the type.
import type { Ledger } from '../ledger/types.ts';
import { ledgerStepActivities } from './ledger-steps.ts';
import { serviceTaskActivities } from './service-tasks.ts';

export function createActivities(ledger: Ledger) {
  return { ...ledgerStepActivities(ledger), ...serviceTaskActivities(ledger) };
}

export type GovflowActivities = ReturnType<typeof createActivities>;
