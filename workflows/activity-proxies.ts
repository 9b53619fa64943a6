// The activities the engine calls, with their retry policies, in one place.
import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GovflowActivities } from '../activities/index.ts';
import type { Job } from '../definitions/model.ts';
import { DEPARTMENT_QUEUES_PATCH, departmentOfTaskType, departmentTaskQueue } from './department-queues.ts';
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

/**
 * Runs a job handler by type with the retries the model gives it; a BPMN error is never retried.
 * A department's job goes to that department's task queue: the engine's worker has no department
 * handlers and never writes facts as a department.
 */
export function runJobHandler(
  job: Pick<Job, 'taskType' | 'retries' | 'headers'>,
  step: { applicationId: string; elementId: string; elementInstanceId: string },
  variables: Variables,
) {
  const department = departmentOfTaskType(job.taskType);
  const taskQueue =
    department && patched(DEPARTMENT_QUEUES_PATCH)
      ? departmentTaskQueue(workflowInfo().taskQueue, department)
      : undefined;
  const handlers = proxyActivities<GovflowActivities>({
    ...(taskQueue ? { taskQueue } : {}),
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      maximumAttempts: Math.max(1, job.retries),
      nonRetryableErrorTypes: ['BpmnError'],
    },
  });
  return handlers.runServiceTask({ taskType: job.taskType, headers: job.headers, variables, ...step });
}
