// The activities the engine calls, with their retry policies, in one place.
import { proxyActivities } from '@temporalio/workflow';
import type { GovflowActivities } from '../activities/index.ts';
import type { Job } from '../definitions/model.ts';
import type { Variables } from './state.ts';

// Ledger calls retry until they succeed: a step must be recorded, however long the ledger is away.
// Only errors the contract marks non-retryable (bad input) surface, as an incident.
export const ledger = proxyActivities<GovflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '20 seconds' },
});

/** Mailbox subscriptions, message publishing and signal broadcasts. */
export const messaging = proxyActivities<GovflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
});

/** Runs a job handler by type with the retries the model gives it; a BPMN error is never retried. */
export function runJobHandler(
  job: Pick<Job, 'taskType' | 'retries' | 'headers'>,
  step: { applicationId: string; elementId: string; elementInstanceId: string },
  variables: Variables,
) {
  const handlers = proxyActivities<GovflowActivities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      maximumAttempts: Math.max(1, job.retries),
      nonRetryableErrorTypes: ['BpmnError'],
    },
  });
  return handlers.runServiceTask({ taskType: job.taskType, headers: job.headers, variables, ...step });
}
