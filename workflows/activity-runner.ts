// Activities: tasks, sub-processes and call activities, with their boundary events, input/output
// mappings and multi-instance. Each execution gets a scope of its own so that an interrupting
// boundary event can cancel exactly it.
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { ElementOf, Mapping } from '../definitions/model.ts';
import { runBody } from './activity-kinds.ts';
import { evaluateCondition, evaluateFeel } from './feel.ts';
import { type ActivityElement, type Interpreter, ignoreCancellation } from './interpreter.ts';
import type { Scope } from './scope.ts';
import type { Variables } from './state.ts';
import { BpmnThrow, EngineIncident } from './throws.ts';

type Boundary = ElementOf<'boundaryEvent'>;

/** Executes an activity where a token reached it; returns where the token goes next. */
export async function runActivity(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
): Promise<string[]> {
  const boundaries = element.boundaryEvents.map((id) => engine.model.elements[id] as Boundary);
  const listeners = new CancellationScope();
  const body = new CancellationScope();
  let inner: Scope | undefined;
  let interruptedBy: { boundary: Boundary; payload: Variables } | undefined;
  for (const boundary of boundaries.filter((b) => ['timer', 'message', 'signal'].includes(b.trigger.type))) {
    listeners
      .run(() =>
        listen(
          engine,
          boundary,
          () => inner?.context() ?? scope.context(),
          scope,
          (payload) => {
            interruptedBy = { boundary, payload };
            body.cancel();
          },
        ),
      )
      .catch(ignoreCancellation);
  }
  let result: Variables;
  try {
    result = await body.run(async () => {
      // Created inside `body` so that cancelling the body cancels the scope's tokens too.
      inner = engine.newScope(element.id, scope);
      if (element.multiInstance) return runMultiInstance(engine, element, inner);
      await applyInputs(engine, element, inner);
      return runBody(engine, element, inner);
    });
  } catch (err) {
    const thrown = err instanceof BpmnThrow && boundaries.find((b) => b.id === err.catcherId);
    if (thrown && err instanceof BpmnThrow) {
      scope.setAll(err.variables);
      return leaveBy(engine, thrown, scope, {});
    }
    if (interruptedBy && isCancellation(err))
      return leaveBy(engine, interruptedBy.boundary, scope, interruptedBy.payload);
    throw err;
  } finally {
    listeners.cancel();
  }
  return finishActivity(engine, element, inner!, scope, result);
}

/** Output mappings (or all results) into the enclosing scope; remembers it for compensation. */
export async function finishActivity(
  engine: Interpreter,
  element: ActivityElement,
  inner: Scope,
  scope: Scope,
  result: Variables,
): Promise<string[]> {
  if (element.outputs.length > 0) {
    await engine.guard(element, `${element.id}#outputs`, async () =>
      applyMappings(element.outputs, inner, scope, result),
    );
  } else scope.setAll(result);
  const compensation = element.boundaryEvents
    .map((id) => engine.model.elements[id] as Boundary)
    .find((b) => b.trigger.type === 'compensation' && b.compensationHandler);
  if (compensation) {
    scope.compensable.push({
      activityId: element.id,
      handlerId: compensation.compensationHandler!,
      scope: inner,
    });
  }
  return engine.targets(element);
}

/** A boundary event fired: record it and continue along its outgoing flows. */
async function leaveBy(
  engine: Interpreter,
  boundary: Boundary,
  scope: Scope,
  payload: Variables,
): Promise<string[]> {
  scope.setAll(payload);
  await engine.record(boundary, engine.nextInstance(boundary), 'engine', 'triggered', payload);
  return engine.targets(boundary);
}

/** Listens for a timer/message/signal boundary event while its activity runs. */
async function listen(
  engine: Interpreter,
  boundary: Boundary,
  context: () => Variables,
  scope: Scope,
  interrupt: (payload: Variables) => void,
): Promise<void> {
  const trigger = boundary.trigger;
  const alongside = (payload: Variables) =>
    scope.spawn(async () => {
      scope.setAll(payload);
      await engine.record(boundary, engine.nextInstance(boundary), 'engine', 'triggered', payload);
      for (const target of engine.targets(boundary)) scope.spawn(() => engine.runToken(target, scope));
    });
  if (trigger.type === 'timer' && trigger.timer.kind === 'cycle' && !boundary.interrupting) {
    // A non-interrupting cycle fires on each repetition for as long as the activity runs.
    let elapsed = 0;
    const delays = await engine.guard(boundary, `${boundary.id}#timer`, async () =>
      engine.waits.timerDelays(trigger, context()),
    );
    for (const at of delays) {
      await sleep(Math.max(0, at - elapsed));
      elapsed = at;
      alongside({});
    }
    return;
  }
  for (let occurrence = 1; ; occurrence++) {
    const subscription = `${boundary.id}@${engine.lastSeq}/${occurrence}`;
    const payload = await engine.guard(boundary, subscription, () =>
      engine.waits.waitFor(trigger, context(), subscription),
    );
    if (boundary.interrupting) return interrupt(payload);
    alongside(payload);
    if (trigger.type === 'timer') return;
  }
}

/** Runs every instance of a multi-instance activity; collects `outputElement` into `outputCollection`. */
async function runMultiInstance(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
): Promise<Variables> {
  const mi = element.multiInstance!;
  const items = await engine.guard(element, `${element.id}#collection`, async () => {
    const value = evaluateFeel(mi.inputCollection, scope.context());
    if (!Array.isArray(value))
      throw new EngineIncident(`inputCollection \`${mi.inputCollection}\` of ${element.id} is not a list`);
    return value;
  });
  const outputs: unknown[] = items.map(() => null);
  let completed = 0;
  let done = false;
  const runOne = async (item: unknown, index: number) => {
    const instance = engine.newScope(element.id, scope);
    if (mi.inputElement) instance.vars[mi.inputElement] = item;
    instance.vars.loopCounter = index + 1;
    // As in Zeebe: each instance maps its inputs once its item is set.
    await applyInputs(engine, element, instance);
    const result = await runBody(engine, element, instance);
    if (mi.outputElement)
      outputs[index] = evaluateFeel(mi.outputElement, { ...instance.context(), ...result });
    completed += 1;
    if (mi.completionCondition) {
      const counts = {
        numberOfInstances: items.length,
        numberOfCompletedInstances: completed,
        numberOfActiveInstances: items.length - completed,
      };
      done = evaluateCondition(mi.completionCondition, { ...scope.context(), ...counts });
    }
  };
  if (mi.sequential) {
    for (let i = 0; i < items.length && !done; i++) await runOne(items[i], i);
  } else {
    const group = new CancellationScope();
    await Promise.all(
      items.map((item, i) =>
        group
          .run(() => runOne(item, i))
          .then(() => {
            if (done) group.cancel();
          })
          .catch((err) => {
            if (!(done && isCancellation(err))) throw err; // instances cut short by the completion condition
          }),
      ),
    );
  }
  return mi.outputCollection ? { [mi.outputCollection]: outputs } : {};
}

/** Input mappings become local variables of the activity's (or instance's) scope. */
function applyInputs(engine: Interpreter, element: ActivityElement, scope: Scope): Promise<void> {
  return engine.guard(element, `${element.id}#inputs`, async () =>
    applyMappings(element.inputs, scope, scope),
  );
}

/** Evaluates mappings in `from`'s context (plus extra values) and sets each target on `to`. */
function applyMappings(mappings: Mapping[], from: Scope, to: Scope, extra: Variables = {}): void {
  const context = { ...from.context(), ...extra };
  for (const m of mappings) {
    const value = evaluateFeel(m.source, context);
    if (to === from) to.vars[m.target] = value;
    else to.set(m.target, value);
  }
}
