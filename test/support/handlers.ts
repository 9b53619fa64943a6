// Stand-ins for external job workers in scenario tests (what a department system would run).
import { ApplicationFailure } from '@temporalio/activity';
import { bpmnError, type ServiceTaskHandler } from '../../activities/service-tasks.ts';

export const testHandlers: Record<string, ServiceTaskHandler> = {
  /** Answers with what it was given. */
  'test.echo': async (job) => ({ echoed: job.variables.input ?? true, header: job.headers?.note ?? null }),
  /** Refuses with a BPMN error whose code is the `errorCode` header (default REFUSED). */
  'test.refuse': async (job) => {
    throw bpmnError(job.headers?.errorCode ?? 'REFUSED', 'the external system refused', {
      refusedBy: job.elementId,
    });
  },
  /** Fails for good (not a BPMN error): an incident. */
  'test.broken': async () => {
    throw ApplicationFailure.nonRetryable('the external system is down', 'Unavailable');
  },
};
