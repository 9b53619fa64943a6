// Activities: tasks, sub-processes and call activities, with their boundary events, input/output
// mappings and multi-instance. Each execution gets a scope of its own so that an interrupting
// boundary event can cancel exactly it.
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { ElementOf, Mapping } from '../definitions/model.ts';
import { runBody } from './activity-kinds.ts';
import { triggerActor } from './actors.ts';
import { type Armed, activityWait, isArmedTrigger, type ParkedWait } from './continue-as-new.ts';
import { evaluateFeel } from './feel.ts';
import { type ActivityElement, type Interpreter, ignoreCancellation } from './interpreter.ts';
import { runMultiInstance } from './multi-instance.ts';
import { restoreScope } from './resume.ts';
import type { Scope } from './scope.ts';
import type { Variables } from './state.ts';
import { BpmnThrow } from './throws.ts';

type Boundary = ElementOf<'boundaryEvent'>;

/**
 * Executes an activity where a token reached it; returns where the token goes next. `carried`:
 * where a previous run left it (continue-as-new); false for a compensation handler, which runs
 * within the token that throws the compensation and so is not carried on its own.
 */
export async function runActivity(
  engine: Interpreter,
  element: ActivityElement,
  scope: Scope,
  carried?: (ParkedWait & { kind: 'activity' }) | false,
): Promise<string[]> {
  const boundaries = element.boundaryEvents.map((id) => engine.model.elements[id] as Boundary);
  const listeners = new CancellationScope();
  const body = new CancellationScope();
  let inner: Scope | undefined;
  let interruptedBy: { boundary: Boundary; payload: Variables } | undefined;
  const resumed = carried || undefined;
  const armed = new Map<string, Armed>();
  const release =
    carried === false
      ? undefined
      : engine.park(scope, () => (interruptedBy ? undefined : activityWait(engine, element, inner, armed)));
  for (const boundary of boundaries.filter((b) => isArmedTrigger(b.trigger))) {
    const was = resumed?.boundaries.find((b) => b.id === boundary.id);
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
          armed,
          was,
        ),
      )
      .catch(ignoreCancellation);
  }
  let result: Variables;
  try {
    result = await body.run(async () => {
      // Created inside `body` so that cancelling the body cancels the scope's tokens too.
      inner = resumed ? restoreScope(resumed.scope, element.id, scope) : engine.newScope(element.id, scope);
      if (resumed) return runBody(engine, element, inner, resumed.body, resumed.scope);
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
    release?.();
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

/**
 * A non-interrupting boundary event fired: in `outer`, the scope its activity runs in, record it and
 * start tokens along its outgoing flows, beside the activity.
 */
export function continueBeside(
  engine: Interpreter,
  boundary: Boundary,
  outer: Scope,
  payload: Variables = {},
): void {
  outer.spawn(async () => {
    await takeBoundary(engine, boundary, outer, payload);
    for (const target of engine.targets(boundary)) outer.spawn(() => engine.runToken(target, outer));
  });
}

/** A boundary event's payload goes into the scope it continues in, and the event is recorded. */
async function takeBoundary(engine: Interpreter, boundary: Boundary, scope: Scope, payload: Variables) {
  scope.setAll(payload);
  await engine.record(
    boundary,
    engine.nextInstance(boundary),
    triggerActor(boundary.trigger),
    'triggered',
    payload,
  );
}

/** A boundary event fired: record it and continue along its outgoing flows. */
async function leaveBy(
  engine: Interpreter,
  boundary: Boundary,
  scope: Scope,
  payload: Variables,
): Promise<string[]> {
  await takeBoundary(engine, boundary, scope, payload);
  return engine.targets(boundary);
}

/**
 * Listens for a timer/message/signal boundary event while its activity runs, keeping in `armed`
 * where it is; `carried`: where the previous run's listener was (continue-as-new).
 */
async function listen(
  engine: Interpreter,
  boundary: Boundary,
  context: () => Variables,
  scope: Scope,
  interrupt: (payload: Variables) => void,
  armed: Map<string, Armed>,
  carried?: Armed,
): Promise<void> {
  const trigger = boundary.trigger;
  const id = boundary.id;
  if (carried && 'done' in carried) {
    armed.set(id, carried);
    return;
  }
  if (carried && 'cycle' in carried) {
    // Each later repetition comes one interval after the previous firing, as in the first run.
    const { everyMs } = carried.cycle;
    let { dueAt, left } = carried.cycle;
    for (; left > 0; left--) {
      armed.set(id, { id, cycle: { dueAt, left, everyMs } });
      await sleep(Math.max(0, dueAt - Date.now()));
      continueBeside(engine, boundary, scope);
      dueAt = Date.now() + everyMs;
    }
    armed.set(id, { id, done: true });
    return;
  }
  if (trigger.type === 'timer' && trigger.timer.kind === 'cycle' && !boundary.interrupting) {
    // A non-interrupting cycle fires on each repetition for as long as the activity runs.
    let elapsed = 0;
    const delays = await engine.guard(boundary, `${boundary.id}#timer`, async () =>
      engine.waits.timerDelays(trigger, context()),
    );
    const everyMs = delays.length > 1 ? delays[1] - delays[0] : 0;
    for (const [i, at] of delays.entries()) {
      const delay = Math.max(0, at - elapsed);
      armed.set(id, { id, cycle: { dueAt: Date.now() + delay, left: delays.length - i, everyMs } });
      await sleep(delay);
      elapsed = at;
      continueBeside(engine, boundary, scope);
    }
    armed.set(id, { id, done: true });
    return;
  }
  const resumed = carried && 'occurrence' in carried ? carried : undefined;
  for (let occurrence = resumed?.occurrence ?? 1; ; occurrence++) {
    const again = occurrence === resumed?.occurrence ? resumed : undefined;
    const subscription = again?.subscription ?? `${boundary.id}@${engine.lastSeq}/${occurrence}`;
    armed.set(id, { id, occurrence, subscription });
    const payload = await engine.guard(boundary, subscription, () =>
      engine.waits.waitFor(trigger, context(), subscription, again?.dueAt, boundary.id),
    );
    if (boundary.interrupting) return interrupt(payload);
    continueBeside(engine, boundary, scope, payload);
    if (trigger.type === 'timer') {
      armed.set(id, { id, done: true });
      return;
    }
  }
}

/** Input mappings become local variables of the activity's (or instance's) scope. */
export function applyInputs(engine: Interpreter, element: ActivityElement, scope: Scope): Promise<void> {
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
