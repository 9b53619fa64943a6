// Service-task handlers, chosen by the task type in the model (zeebe:taskDefinition type).
// Each must be idempotent: Temporal retries it after a crash or a timeout. A department's handlers
// (handlers/<department>.ts) run only on that department's worker, on its own task queue, and
// write facts under its identity; the engine's worker runs the rest (and a deployment's own).
import { ApplicationFailure } from '@temporalio/activity';
import type { Ledger, LedgerIdentity } from '../ledger/types.ts';
import { DEPARTMENT_OF_PREFIX } from '../workflows/department-queues.ts';
import { identities, type ServiceTaskHandler, type ServiceTaskJob } from './handlers/job.ts';
import { landRegistryHandlers } from './handlers/land-registry.ts';
import { marketRegulationHandlers } from './handlers/market-regulation.ts';
import { publicSecurityHandlers } from './handlers/public-security.ts';
import { taxBureauHandlers } from './handlers/tax-bureau.ts';

export { bpmnError, type ServiceTaskHandler, type ServiceTaskJob } from './handlers/job.ts';

/** A department that runs its own jobs: its identity on the ledger and its handlers. */
export interface Department {
  identity: LedgerIdentity;
  handlers: Readonly<Record<string, ServiceTaskHandler>>;
}

/** The departments by MSP id; each handler's type prefix maps to its department (department-queues.ts). */
export const departments: Readonly<Record<string, Department>> = Object.freeze({
  [DEPARTMENT_OF_PREFIX['land-registry']]: {
    identity: identities.landRegistry,
    handlers: landRegistryHandlers,
  },
  [DEPARTMENT_OF_PREFIX['tax-bureau']]: { identity: identities.taxBureau, handlers: taxBureauHandlers },
  [DEPARTMENT_OF_PREFIX['market-regulation']]: {
    identity: identities.marketRegulation,
    handlers: marketRegulationHandlers,
  },
});

/** Handlers the engine's own worker runs: those that write no department's facts. */
export const engineHandlers: Readonly<Record<string, ServiceTaskHandler>> = Object.freeze({
  ...publicSecurityHandlers,
});

/** Every handler shipped with govflow, by task type. */
export const handlers: Readonly<Record<string, ServiceTaskHandler>> = Object.freeze({
  ...engineHandlers,
  ...Object.assign({}, ...Object.values(departments).map((d) => d.handlers)),
});

/** The activity a worker registers to run jobs: only `byType`'s handlers, as `identity`. */
export function serviceTaskActivities(
  ledger: Ledger,
  byType: Record<string, ServiceTaskHandler>,
  identity: LedgerIdentity,
) {
  return {
    async runServiceTask(job: ServiceTaskJob): Promise<Record<string, unknown>> {
      const handler = Object.hasOwn(byType, job.taskType) ? byType[job.taskType] : undefined;
      if (!handler) {
        throw ApplicationFailure.nonRetryable(
          `no handler for service task type "${job.taskType}" (element ${job.elementId}) on the worker of ${identity.mspId}`,
          'UnknownTaskType',
        );
      }
      return handler(job, ledger, identity);
    },
  };
}

/** The job activity of a department's worker: that department's handlers, under its identity. */
export function departmentActivities(ledger: Ledger, mspId: string) {
  const department = Object.hasOwn(departments, mspId) ? departments[mspId] : undefined;
  if (!department) {
    throw new Error(`no department ${mspId} runs jobs; known: ${Object.keys(departments).join(', ')}`);
  }
  return serviceTaskActivities(ledger, { ...department.handlers }, department.identity);
}
