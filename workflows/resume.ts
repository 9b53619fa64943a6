// Taking up again, in a new run, a wait the previous run was parked at (see continue-as-new.ts).
import type { ElementOf } from '../definitions/model.ts';
import { completeUserTask } from './activity-kinds.ts';
import { finishActivity } from './activity-runner.ts';
import type { ParkedWait } from './continue-as-new.ts';
import { catchAt } from './events.ts';
import type { Interpreter } from './interpreter.ts';
import type { Scope } from './scope.ts';

export async function resumeWait(engine: Interpreter, wait: ParkedWait, scope: Scope): Promise<string[]> {
  const element = engine.model.elements[wait.elementId];
  if (wait.kind === 'catch')
    return catchAt(engine, element as ElementOf<'intermediateCatchEvent'>, scope, wait);
  const task = element as ElementOf<'userTask'>;
  const inner = engine.newScope(task.id, scope);
  Object.assign(inner.vars, wait.localVars);
  const result = await engine.parkedWhile(wait, () => completeUserTask(engine, task, wait.task));
  return finishActivity(engine, task, inner, scope, result);
}
