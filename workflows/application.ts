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
import { readyToContinueAsNew } from './continue-as-new.ts';
import { Interpreter } from './interpreter.ts';
import { messageDeliveredSignal, signalDeliveredSignal } from './messages.ts';
import type {
  ApplicationInput,
  ApplicationState,
  AssignTaskInput,
  CompleteTaskInput,
  CompleteTaskResult,
  TaskActionInput,
  TaskActionResult,
} from './state.ts';
import { TaskClaims } from './task-claims.ts';

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const claimTaskUpdate = defineUpdate<TaskActionResult, [TaskActionInput]>('claimTask');
export const unclaimTaskUpdate = defineUpdate<TaskActionResult, [TaskActionInput]>('unclaimTask');
export const assignTaskUpdate = defineUpdate<TaskActionResult, [AssignTaskInput]>('assignTask');
export const retryIncidentUpdate = defineUpdate<void, [string]>('retryIncident');
export const stateQuery = defineQuery<ApplicationState>('state');

export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationState> {
  // A timer start's schedule cannot know the id of each run: the workflow id is the application id.
  const engine = new Interpreter({
    ...input,
    applicationId: input.applicationId || workflowInfo().workflowId,
  });
  setHandler(stateQuery, () => engine.state);
  // A resumed run re-opens its tasks and re-arms its waits (synchronously) before the handlers are
  // set: a completion or signal that reached it between the runs waits in Temporal's buffer until
  // then, and must find them.
  const resumed = input.resume ? engine.run() : undefined;
  setHandler(completeTaskUpdate, (task) => engine.tasks.complete(task), {
    validator: (task) => engine.tasks.validate(task),
  });
  const claims = new TaskClaims(engine.tasks, engine);
  setHandler(claimTaskUpdate, (input) => claims.claim(input), {
    validator: (input) => claims.validateClaim(input),
  });
  setHandler(unclaimTaskUpdate, (input) => claims.unclaim(input), {
    validator: (input) => claims.validateUnclaim(input),
  });
  setHandler(assignTaskUpdate, (input) => claims.assign(input), {
    validator: (input) => claims.validateAssign(input),
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
  const run = resumed ?? engine.run();
  for (;;) {
    let moves = -1;
    const due = condition(() => {
      if (!readyToContinueAsNew(engine) || !allHandlersFinished()) return false;
      moves = engine.moves;
      return true;
    }).then(() => 'continue' as const);
    const ended = await Promise.race([run, due]);
    if (ended !== 'continue') {
      // Let a completion's Update return its ledger record before the workflow closes.
      await condition(allHandlersFinished);
      return ended;
    }
    // What woke in the same activation has run meanwhile: a wait may have taken its message but
    // not yet moved on. Carry over only if nothing moved and everything still waits, then snapshot
    // and continue synchronously, so nothing can move in between.
    const root = engine.moves === moves ? readyToContinueAsNew(engine) : undefined;
    if (root && allHandlersFinished()) {
      return continueAsNew<typeof applicationWorkflow>({
        ...input,
        applicationId: engine.applicationId,
        data: {},
        resume: engine.snapshot(root),
      });
    }
  }
}
