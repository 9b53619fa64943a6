// Service-task handlers, chosen by the task type in the model (zeebe:taskDefinition type).
// Each must be idempotent: Temporal retries it after a crash or a timeout. The handlers of each
// department are in handlers/<department>.ts and write facts with that department's identity.
import { ApplicationFailure } from '@temporalio/activity';
import type { Ledger } from '../ledger/types.ts';
import type { ServiceTaskHandler, ServiceTaskJob } from './handlers/job.ts';
import { landRegistryHandlers } from './handlers/land-registry.ts';
import { marketRegulationHandlers } from './handlers/market-regulation.ts';
import { publicSecurityHandlers } from './handlers/public-security.ts';
import { taxBureauHandlers } from './handlers/tax-bureau.ts';

export { bpmnError, type ServiceTaskHandler, type ServiceTaskJob } from './handlers/job.ts';

/** Every handler shipped with govflow, by task type. */
export const handlers: Readonly<Record<string, ServiceTaskHandler>> = Object.freeze({
  ...landRegistryHandlers,
  ...taxBureauHandlers,
  ...marketRegulationHandlers,
  ...publicSecurityHandlers,
});

/** `extra` adds handlers by type, e.g. a deployment's own job workers (and the tests' stand-ins). */
export function serviceTaskActivities(ledger: Ledger, extra: Record<string, ServiceTaskHandler> = {}) {
  const byType: Record<string, ServiceTaskHandler> = { ...handlers, ...extra };
  return {
    async runServiceTask(job: ServiceTaskJob): Promise<Record<string, unknown>> {
      const handler = Object.hasOwn(byType, job.taskType) ? byType[job.taskType] : undefined;
      if (!handler) {
        throw ApplicationFailure.nonRetryable(
          `no handler for service task type "${job.taskType}" (element ${job.elementId})`,
          'UnknownTaskType',
        );
      }
      return handler(job, ledger);
    },
  };
}
