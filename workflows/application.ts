// One workflow execution per application (workflow id = application id), interpreting the
// process model it was started with. The Update/Query/Signal definitions live next to their handlers.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
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
  const run = engine.run();
  for (;;) {
    const due = condition(() => engine.canContinueAsNew() && allHandlersFinished()).then(
      () => 'continue' as const,
    );
    const ended = await Promise.race([run, due]);
    if (ended !== 'continue') {
      // Let a completion's Update return its ledger record before the workflow closes.
      await condition(allHandlersFinished);
      return ended;
    }
    // A token may have woken since the condition held: check again, then snapshot and continue
    // synchronously, so nothing can move in between.
    if (engine.canContinueAsNew() && allHandlersFinished()) {
      return continueAsNew<typeof applicationWorkflow>({
        ...input,
        applicationId: engine.applicationId,
        data: {},
        resume: engine.snapshot(),
      });
    }
  }
}
