// Event sub-processes: started by their start event's trigger while their parent scope runs,
// either in place of the scope's tokens (interrupting) or beside them.
import { patched } from '@temporalio/workflow';
import type { ElementOf, TimerDefinition } from '../definitions/model.ts';
import { triggerActor } from './actors.ts';
import {
  type Armed,
  isArmedTrigger,
  type ParkedWait,
  type ScopeState,
  scopeState,
} from './continue-as-new.ts';
import { evaluateFeel } from './feel.ts';
import type { Interpreter } from './interpreter.ts';
import { restoreScope } from './resume.ts';
import type { Scope } from './scope.ts';
import type { Variables } from './state.ts';
import { parseCycle } from './timers.ts';

type EventSubProcess = ElementOf<'subProcess'>;

/** Set by an interrupting start listener once it fired: what replaces the scope's tokens. */
export interface Interruption {
  by?: { subProcess: EventSubProcess; payload: Variables };
}

/**
 * Listens for the timer/message/signal start event of `sub` while `scope` runs. `carried`: where
 * the previous run's listener was (continue-as-new).
 */
export async function listenEventSubProcess(
  engine: Interpreter,
  sub: EventSubProcess,
  scope: Scope,
  interrupted: Interruption,
  carried?: Armed,
): Promise<void> {
  const start = engine.startOf(sub.id);
  if (!isArmedTrigger(start.trigger)) return; // errors/escalations are thrown to it
  if (carried && 'done' in carried) {
    scope.listeners.set(sub.id, carried);
    return;
  }
  const resumed = carried && 'occurrence' in carried ? carried : undefined;
  for (let occurrence = resumed?.occurrence ?? 1; ; occurrence++) {
    const subscription = `${sub.id}@${scope.id}/${occurrence}`;
    scope.listeners.set(sub.id, { id: sub.id, occurrence, subscription });
    const payload = await engine.waits.waitFor(
      start.trigger,
      scope.context(),
      subscription,
      occurrence === resumed?.occurrence ? resumed.dueAt : undefined,
      start.id,
    );
    if (start.interrupting) {
      interrupted.by = { subProcess: sub, payload };
      scope.cancellation.cancel();
      return;
    }
    scope.spawn(() => runEventSubProcess(engine, sub, scope, payload, true));
    if (start.trigger.type === 'timer' && timerSpent(start.trigger.timer, occurrence, scope)) {
      scope.listeners.set(sub.id, { id: sub.id, done: true });
      return;
    }
  }
}

/**
 * Applications that began before cycle counts were honoured here fired `R3/...` forever; the
 * patch marker keeps their replay unchanged while every newer one stops after the last repetition.
 */
export const CYCLE_COUNT_PATCH = 'event-subprocess-cycle-count';

/** A date or duration fires once; a cycle `R<n>/...` after its n-th repetition. */
function timerSpent(timer: TimerDefinition, occurrence: number, scope: Scope): boolean {
  if (timer.kind !== 'cycle') return true;
  let repetitions = Number.POSITIVE_INFINITY;
  try {
    repetitions = parseCycle(String(evaluateFeel(timer.expression, scope.context()))).repetitions;
  } catch {
    // the wait itself reports a bad cycle as an incident when it is armed
  }
  return occurrence >= repetitions && patched(CYCLE_COUNT_PATCH);
}

/**
 * Runs an instance of `sub` in a scope of its own. `beside`: it runs as one more unit of `scope`,
 * next to its tokens, and continue-as-new can carry it; otherwise it replaces them.
 */
export async function runEventSubProcess(
  engine: Interpreter,
  sub: EventSubProcess,
  scope: Scope,
  payload: Variables,
  beside = false,
): Promise<void> {
  const inner = engine.newScope(sub.id, scope);
  Object.assign(inner.vars, payload);
  const start = engine.startOf(sub.id);
  await engine.record(start, engine.nextInstance(start), triggerActor(start.trigger), 'triggered', payload);
  const release = beside ? engine.park(scope, () => running(engine, sub, inner)) : undefined;
  try {
    await engine.runScope(inner, engine.targets(start));
  } finally {
    release?.();
  }
}

/** Takes up an instance the previous run left running beside the tokens of `scope`. */
export async function resumeEventSubProcess(
  engine: Interpreter,
  wait: ParkedWait & { kind: 'eventSubProcess' },
  scope: Scope,
): Promise<void> {
  const sub = engine.model.elements[wait.elementId] as EventSubProcess;
  const inner = restoreScope(wait.scope, sub.id, scope);
  const release = engine.park(scope, () => running(engine, sub, inner));
  try {
    await engine.runScope(inner, [], wait.scope.parked, wait.scope.listeners);
  } finally {
    release();
  }
}

function running(engine: Interpreter, sub: EventSubProcess, inner: Scope): ParkedWait | undefined {
  const state: ScopeState | undefined = inner.units > 0 ? scopeState(engine, inner) : undefined;
  return state && { kind: 'eventSubProcess', elementId: sub.id, scope: state };
}
