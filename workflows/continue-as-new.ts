// Long applications (reminder loops, months of waiting) start a fresh run before their history
// grows too long. That happens only when every token is parked at a wait that can be taken up
// again from plain data; the new run resumes each wait where it was: same element instance ids,
// same task ids, same timer due times, same message subscriptions.
//
// Carried over, in the process scope and in embedded sub-processes at any depth (their scope ids,
// local variables, parallel join arrivals and compensable activities):
// - user tasks and receive tasks, also inside multi-instance bodies;
// - embedded sub-processes, and running instances of non-interrupting event sub-processes;
// - timer, message and signal intermediate catch events, and event-based gateways;
// - the timer/message/signal boundary events of those activities: one-shot timers keep their due
//   time, a non-interrupting cycle its next due time and remaining repetitions, message and signal
//   boundaries their subscription (error, escalation and compensation boundaries need nothing);
// - the start listeners of event sub-processes (a timer keeps its due time, a repeating one its
//   occurrence count);
// - messages delivered to a subscription no wait has taken up yet.
//
// Not carried, so an application waiting this way does not continue as new until it moves on:
// - call activities: a new run could not wait for the child started by the previous one;
// - an interrupting event sub-process running in place of its scope's tokens;
// - a token waiting at an inclusive join for the other tokens of its scope;
// - compensation handlers run by a compensation throw (the throwing token is not at a wait);
// - open incidents, and steps in flight (ledger records, handlers, an unsubscribe), which are not waits.
import { workflowInfo } from '@temporalio/workflow';
import type { EventTrigger } from '../definitions/model.ts';
import type { ActivityElement, Interpreter } from './interpreter.ts';
import type { DeliveredMessage } from './messages.ts';
import type { Scope } from './scope.ts';
import type { CarriedTasks, OpenTask, Variables } from './state.ts';

/** A timer/message/signal listener (boundary event or event sub-process start). */
export type Armed =
  /** Waiting for its `occurrence`th event; `dueAt` (epoch ms) for a timer. */
  | { id: string; occurrence: number; subscription: string; dueAt?: number }
  /** A non-interrupting timer cycle: the next firing and how many remain (that one included). */
  | { id: string; cycle: { dueAt: number; left: number; everyMs: number } }
  /** Fired for good: not armed again. */
  | { id: string; done: true };

/** What an activity's own execution waits for. */
export type BodyWait =
  | { kind: 'userTask'; instance: string; task: OpenTask }
  | { kind: 'receiveTask'; instance: string }
  /** The sub-process's tokens, in the activity's scope state. */
  | { kind: 'subProcess' }
  | {
      kind: 'multiInstance';
      items: unknown[];
      outputs: unknown[];
      completed: number;
      /** The instances still running: each one's scope and what it waits for. */
      instances: { index: number; scope: ScopeState; body: BodyWait }[];
    };

export type ParkedWait =
  /** An open task in the process scope, as engines before `activity` wrote it (still resumed). */
  | { kind: 'userTask'; elementId: string; instance: string; task: OpenTask; localVars: Variables }
  /** A catch event; `dueAt` (epoch ms) for a timer, the same subscription id otherwise. */
  | { kind: 'catch'; elementId: string; instance: string; dueAt?: number }
  | { kind: 'activity'; elementId: string; scope: ScopeState; body: BodyWait; boundaries: Armed[] }
  /** Racing its events; the due time of each timer among them, by element id. */
  | { kind: 'eventGateway'; elementId: string; instance: string; dueAt: Record<string, number> }
  /** A running instance of a (non-interrupting) event sub-process. */
  | { kind: 'eventSubProcess'; elementId: string; scope: ScopeState };

export interface ScopeParts {
  vars: Variables;
  /** Where its tokens (and event sub-process instances) wait. */
  parked: ParkedWait[];
  /** Arrivals at parallel joins, by gateway id. */
  joins?: Record<string, number>;
  /** Completed activities with a compensation handler, oldest first. */
  compensable?: { activityId: string; handlerId: string }[];
  /** Its event sub-process start listeners; absent in snapshots of older engines. */
  listeners?: Armed[];
}

export interface ScopeState extends ScopeParts {
  id: string;
}

/** The process scope (its id is always `root`) and what the whole application needs. */
export interface ResumeState extends ScopeParts {
  counters: { element: number; scope: number; token: number; incident: number };
  outcomes: string[];
  startedAt: string;
  /** Messages delivered to a wait that had not taken them up yet. */
  delivered: DeliveredMessage[];
  /** How many runs came before this one. */
  runs: number;
  /** Completed tasks the memo lists, and the count of claim records; absent from older engines. */
  tasks?: CarriedTasks;
}

/** History length past which a quiescent application continues as new, unless the input sets one. */
export const DEFAULT_HISTORY_LIMIT = 10_000;

const ARMED = new Set(['timer', 'message', 'signal']);

/** A timer, message or signal: what a listener waits for (errors and escalations are thrown to theirs). */
export function isArmedTrigger(trigger: EventTrigger): boolean {
  return ARMED.has(trigger.type);
}

/**
 * The process scope's state for a new run when history is long and everything waits at something
 * a new run can take up again; undefined otherwise.
 */
export function readyToContinueAsNew(engine: Interpreter): ScopeState | undefined {
  const info = workflowInfo();
  const long =
    info.continueAsNewSuggested || info.historyLength > (engine.input.historyLimit ?? DEFAULT_HISTORY_LIMIT);
  if (!long || engine.incidents.length > 0 || !engine.waits.idle() || engine.root.units <= 0)
    return undefined;
  return scopeState(engine, engine.root);
}

/** `scope` for a new run; undefined while something in it is not at a wait that can be carried. */
export function scopeState(engine: Interpreter, scope: Scope): ScopeState | undefined {
  if (scope.ending || scope.units !== scope.waits.size) return undefined;
  const parked: ParkedWait[] = [];
  for (const carry of scope.waits) {
    const wait = carry();
    if (!wait) return undefined;
    parked.push(wait);
  }
  const starts = engine
    .eventSubProcesses(scope.ownerId)
    .map((sub) => ({ id: sub.id, trigger: engine.startOf(sub.id).trigger }));
  const listeners = armedStates(engine, starts, scope.listeners);
  if (!listeners) return undefined;
  const state: ScopeState = { id: scope.id, vars: scope.vars, parked };
  if (scope.joinArrivals.size > 0) state.joins = Object.fromEntries(scope.joinArrivals);
  if (scope.compensable.length > 0)
    state.compensable = scope.compensable.map(({ activityId, handlerId }) => ({ activityId, handlerId }));
  if (listeners.length > 0) state.listeners = listeners;
  return state;
}

/** What the activity executing in `inner` waits for, and that scope's state; undefined if not carriable. */
export function bodyState(
  engine: Interpreter,
  inner: Scope | undefined,
): { scope: ScopeState; body: BodyWait } | undefined {
  const body = inner?.body?.();
  const scope = body && scopeState(engine, inner!);
  return body && scope ? { scope, body } : undefined;
}

/** An activity waiting in `inner`, with the listeners of its boundary events as they stand. */
export function activityWait(
  engine: Interpreter,
  element: ActivityElement,
  inner: Scope | undefined,
  boundaries: Map<string, Armed>,
): ParkedWait | undefined {
  const waiting = bodyState(engine, inner);
  if (!waiting) return undefined;
  const { scope, body } = waiting;
  const attached = element.boundaryEvents.map((id) => {
    const boundary = engine.model.elements[id] as { id: string; trigger: EventTrigger };
    return { id, trigger: boundary.trigger };
  });
  const armed = armedStates(engine, attached, boundaries);
  return armed && { kind: 'activity', elementId: element.id, scope, body, boundaries: armed };
}

/**
 * The listeners for the timer/message/signal events among `events`, with each timer's due time;
 * undefined while one is not armed yet or its event has happened but it has not moved on.
 */
function armedStates(
  engine: Interpreter,
  events: { id: string; trigger: EventTrigger }[],
  live: Map<string, Armed>,
): Armed[] | undefined {
  const states: Armed[] = [];
  for (const { id, trigger } of events) {
    if (!isArmedTrigger(trigger)) continue;
    const at = live.get(id);
    if (!at) return undefined;
    if ('done' in at) states.push(at);
    else if ('cycle' in at) {
      if (at.cycle.dueAt <= Date.now()) return undefined;
      states.push({ id, cycle: { ...at.cycle } });
    } else {
      const dueAt = engine.waits.dueAt(at.subscription);
      if (engine.waits.ready(at.subscription) || (trigger.type === 'timer' && dueAt === undefined))
        return undefined;
      states.push(dueAt === undefined ? { ...at } : { ...at, dueAt });
    }
  }
  return states;
}
