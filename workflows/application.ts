// One workflow execution per application (workflow id = application id), interpreting the
// process model it was started with. The Update/Query/Signal definitions live next to their handlers.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { Interpreter } from './interpreter.ts';
import { messageDeliveredSignal, signalDeliveredSignal } from './messages.ts';
import type { ApplicationInput, ApplicationState, CompleteTaskInput, CompleteTaskResult } from './state.ts';

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const retryIncidentUpdate = defineUpdate<void, [string]>('retryIncident');
export const stateQuery = defineQuery<ApplicationState>('state');

export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationState> {
  // A timer start's schedule cannot know the id of each run: the workflow id is the application id.
  const engine = new Interpreter({
    ...input,
    applicationId: input.applicationId || workflowInfo().workflowId,
  });
  setHandler(stateQuery, () => engine.state);
  setHandler(completeTaskUpdate, (task) => engine.tasks.complete(task), {
    validator: (task) => engine.tasks.validate(task),
  });
  setHandler(retryIncidentUpdate, (id) => engine.retryIncident(id), {
    validator: (id) => {
      if (!engine.incidents.some((i) => i.id === id)) {
        throw ApplicationFailure.create({
          type: 'IncidentNotFound',
          message: `incident ${id} is not open`,
          nonRetryable: true,
        });
      }
    },
  });
  setHandler(messageDeliveredSignal, (message) => engine.waits.onMessage(message));
  setHandler(signalDeliveredSignal, (signal) => engine.waits.onSignal(signal));
  const state = await engine.run();
  // Let a completion's Update return its ledger record before the workflow closes.
  await condition(allHandlersFinished);
  return state;
}
