// One workflow execution per application (workflow id = application id), interpreting the
// process model it was started with. The Update/Query definitions live next to their handlers.
import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import { Interpreter } from './interpreter.ts';
import type { ApplicationInput, ApplicationState, CompleteTaskInput, CompleteTaskResult } from './state.ts';

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const retryIncidentUpdate = defineUpdate<void, [string]>('retryIncident');
export const stateQuery = defineQuery<ApplicationState>('state');

export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationState> {
  const interpreter = new Interpreter(input);
  setHandler(stateQuery, () => interpreter.state);
  setHandler(completeTaskUpdate, (task) => interpreter.completeTask(task), {
    validator: (task) => interpreter.validateCompletion(task),
  });
  setHandler(retryIncidentUpdate, (id) => interpreter.retryIncident(id), {
    validator: (id) => interpreter.validateRetry(id),
  });
  const state = await interpreter.run();
  // Let a completion's Update return its ledger record before the workflow closes.
  await condition(allHandlersFinished);
  return state;
}
