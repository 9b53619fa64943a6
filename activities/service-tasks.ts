// Service-task handlers, chosen by the task type in the model (zeebe:taskDefinition type).
// Each must be idempotent: Temporal retries it after a crash or a timeout.
import { ApplicationFailure } from '@temporalio/activity';
import type { Ledger, LedgerIdentity } from '../ledger/types.ts';

export interface ServiceTaskJob {
  taskType: string;
  applicationId: string;
  elementId: string;
  elementInstanceId: string;
  variables: Record<string, unknown>;
  /** Static parameters from the model (`zeebe:taskHeaders`). */
  headers?: Record<string, string>;
}

export type ServiceTaskHandler = (job: ServiceTaskJob, ledger: Ledger) => Promise<Record<string, unknown>>;
type Handler = ServiceTaskHandler;

/** The land registry's own identity: only it may write the land-title registry. */
const LAND_REGISTRY: LedgerIdentity = { mspId: 'LandRegistryMSP', id: 'land-registry-service' };

interface TitleRecord {
  owner: string;
  status: string;
  transferredBy?: string;
  previousOwner?: string;
}

/** Records the change of owner of a parcel in the land-title registry. */
const transferTitle: Handler = async (job, ledger) => {
  const { parcel, seller, buyer } = job.variables as { parcel?: string; seller?: string; buyer?: string };
  if (!parcel || !seller || !buyer) {
    throw ApplicationFailure.nonRetryable('parcel, seller and buyer are required', 'MissingVariables');
  }
  const title = (await ledger.getFact('land-title', parcel)) as TitleRecord | null;
  if (title?.owner === buyer && title.transferredBy === job.applicationId) {
    return { titleOwner: buyer }; // already done by an earlier attempt
  }
  if (!title || title.owner !== seller) {
    throw ApplicationFailure.nonRetryable(`parcel ${parcel} is not owned by the seller`, 'TitleMismatch');
  }
  const next: TitleRecord = {
    ...title,
    owner: buyer,
    status: 'registered',
    previousOwner: seller,
    transferredBy: job.applicationId,
  };
  const { txId } = await ledger.putFact('land-title', parcel, next, LAND_REGISTRY);
  return { titleOwner: buyer, titleTransferTx: txId };
};

const handlers: Record<string, Handler> = {
  'land-registry.transfer-title': transferTitle,
};

/** A BPMN error from a handler: caught by a matching error boundary/event sub-process, else an incident. */
export function bpmnError(errorCode: string, message: string, variables: Record<string, unknown> = {}) {
  return ApplicationFailure.create({
    type: 'BpmnError',
    message,
    details: [errorCode, variables],
    nonRetryable: true,
  });
}

/** `extra` adds handlers by type, e.g. a deployment's own job workers (and the tests' stand-ins). */
export function serviceTaskActivities(ledger: Ledger, extra: Record<string, ServiceTaskHandler> = {}) {
  return {
    async runServiceTask(job: ServiceTaskJob): Promise<Record<string, unknown>> {
      const handler = extra[job.taskType] ?? handlers[job.taskType];
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
