// Taking up again, in a new run, a wait the previous run was parked at (see continue-as-new.ts).
import type { ElementOf } from '../definitions/model.ts';
import { completeUserTask } from './activity-kinds.ts';
import { finishActivity, runActivity } from './activity-runner.ts';
import { activityWait, type ParkedWait, type ScopeParts, type ScopeState } from './continue-as-new.ts';
import { catchAt } from './events.ts';
import type { ActivityElement, Interpreter } from './interpreter.ts';
import { Scope } from './scope.ts';

/** Where the token parked at `wait` goes next, once the wait is over. */
export async function resumeWait(engine: Interpreter, wait: ParkedWait, scope: Scope): Promise<string[]> {
  const element = engine.model.elements[wait.elementId];
  if (wait.kind === 'catch')
    return catchAt(engine, element as ElementOf<'intermediateCatchEvent'>, scope, wait);
  if (wait.kind === 'activity') return runActivity(engine, element as ActivityElement, scope, wait);
  if (wait.kind === 'eventGateway')
    return engine.gateways.raceEvents(element as ElementOf<'eventBasedGateway'>, scope, wait);
  if (wait.kind !== 'userTask') throw new Error(`${wait.kind} ${wait.elementId} is not a token's wait`);
  // Written by an engine that carried only plain tasks of the process scope: taken up as it did.
  const task = element as ElementOf<'userTask'>;
  const inner = engine.newScope(task.id, scope);
  Object.assign(inner.vars, wait.localVars);
  const carry = () => activityWait(engine, task, inner, new Map());
  const result = await engine.parkedWhile(scope, carry, () =>
    completeUserTask(engine, task, wait.task, inner),
  );
  return finishActivity(engine, task, inner, scope, result);
}

/** A scope as the previous run left it, under `parent`. */
export function restoreScope(state: ScopeState, ownerId: string, parent: Scope): Scope {
  const scope = new Scope(state.id, ownerId, parent);
  Object.assign(scope.vars, state.vars);
  restoreParts(scope, state);
  return scope;
}

/** Parallel join arrivals and compensable activities of a restored scope. */
export function restoreParts(scope: Scope, parts: ScopeParts): void {
  for (const [gateway, arrived] of Object.entries(parts.joins ?? {}))
    scope.joinArrivals.set(gateway, arrived);
  for (const { activityId, handlerId } of parts.compensable ?? []) {
    // A handler runs in the scope its activity ran in; the activity's own scope is not needed again.
    scope.compensable.push({
      activityId,
      handlerId,
      scope: new Scope(`${activityId}~done`, activityId, scope),
    });
  }
}
