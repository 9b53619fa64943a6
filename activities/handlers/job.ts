// What a service-task handler receives and returns, and how it raises a BPMN error. Kept apart from
// service-tasks.ts (which registers the handlers) so the department files can import it.
import { ApplicationFailure } from '@temporalio/activity';
import { canonicalJson, sha256Hex } from '../../ledger/hash.ts';
import type { Ledger, LedgerIdentity } from '../../ledger/types.ts';

export interface ServiceTaskJob {
  taskType: string;
  applicationId: string;
  elementId: string;
  elementInstanceId: string;
  variables: Record<string, unknown>;
  /** Static parameters from the model (`zeebe:taskHeaders`). */
  headers?: Record<string, string>;
}

/**
 * A handler gets the ledger and the identity of the worker running it: a department's handlers run
 * on that department's worker and write facts as that department, never as the engine.
 */
export type ServiceTaskHandler = (
  job: ServiceTaskJob,
  ledger: Ledger,
  identity: LedgerIdentity,
) => Promise<Record<string, unknown>>;

/** A BPMN error from a handler: caught by a matching error boundary/event sub-process, else an incident. */
export function bpmnError(errorCode: string, message: string, variables: Record<string, unknown> = {}) {
  return ApplicationFailure.create({
    type: 'BpmnError',
    message,
    details: [errorCode, variables],
    nonRetryable: true,
  });
}

/** Input a retry cannot fix: fails the job for good (an incident an operator can retry after fixing it). */
export function badInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidJobInput');
}

/** A department's own identity on the ledger (Fabric MSP + user); see chaincode/src/registries.ts. */
export const identities = {
  landRegistry: { mspId: 'LandRegistryMSP', id: 'land-registry-service' },
  taxBureau: { mspId: 'TaxBureauMSP', id: 'tax-bureau-service' },
  marketRegulation: { mspId: 'MarketRegulationMSP', id: 'market-regulation-service' },
} as const satisfies Record<string, LedgerIdentity>;

/** A short, stable reference derived from the application id, so a retried job derives the same one. */
export function derivedReference(prefix: string, purpose: string, applicationId: string): string {
  return `${prefix}-${sha256Hex(`${purpose}\u0000${applicationId}`).slice(0, 12).toUpperCase()}`;
}

/** Structural equality of JSON values, for "is the fact already what this job would write?". */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
