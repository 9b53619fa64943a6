// Events a token passes through: start, end, intermediate catch and throw. Errors and
// escalations are resolved to their catcher when thrown: the innermost event sub-process or
// boundary event that matches, walking out through the scopes.
import { sleep } from '@temporalio/workflow';
import type { ElementOf, EventTrigger, FlowElement } from '../definitions/model.ts';
import { messaging, runJobHandler } from './activity-proxies.ts';
import { continueBeside, runActivity } from './activity-runner.ts';
import { startActor, triggerActor } from './actors.ts';
import type { ParkedWait } from './continue-as-new.ts';
import { runEventSubProcess } from './event-subprocesses.ts';
import { evaluateFeel } from './feel.ts';
import type { ActivityElement, Interpreter } from './interpreter.ts';
import type { Scope } from './scope.ts';
import type { Variables } from './state.ts';
import { BpmnThrow, EngineIncident, Terminate } from './throws.ts';

type EventElement = ElementOf<
  'startEvent' | 'endEvent' | 'intermediateCatchEvent' | 'intermediateThrowEvent' | 'boundaryEvent'
>;

export async function enterEvent(engine: Interpreter, element: FlowElement, scope: Scope): Promise<string[]> {
  const event = element as EventElement;
  switch (event.kind) {
    case 'startEvent':
      // Sub-process starts are not steps of their own; the process's start is the submission.
      if (!event.parent) {
        const decision = event.trigger.type === 'none' ? 'submitted' : 'started';
        await engine.record(
          event,
          engine.nextInstance(event),
          startActor(event.trigger, engine.input.submittedBy),
          decision,
          scope.context(),
        );
      }
      return engine.targets(event);
    case 'intermediateCatchEvent': {
      if (event.trigger.type === 'link') return engine.targets(event);
      const instance = engine.nextInstance(event);
      let dueAt: number | undefined;
      if (event.trigger.type === 'timer') {
        const trigger = event.trigger;
        const delay = await engine.guard(
          event,
          instance,
          async () => engine.waits.timerDelays(trigger, scope.context(), 1)[0],
        );
        dueAt = Date.now() + delay;
      }
      return catchAt(engine, event, scope, { kind: 'catch', elementId: event.id, instance, dueAt });
    }
    case 'intermediateThrowEvent': {
      if (event.trigger.type === 'link') return [linkTarget(engine, event)];
      const instance = engine.nextInstance(event);
      await throwTrigger(engine, event, instance, scope);
      await engine.record(event, instance, 'engine', event.trigger.type === 'none' ? 'passed' : 'thrown');
      return engine.targets(event);
    }
    case 'endEvent': {
      const instance = engine.nextInstance(event);
      const trigger = event.trigger.type;
      if (!event.parent || trigger !== 'none' || event.outcome === 'rejected') {
        await engine.record(event, instance, 'engine', trigger === 'none' ? event.outcome : trigger);
      }
      if (!event.parent || event.outcome === 'rejected') engine.addOutcome(event.outcome);
      if (trigger === 'terminate') throw new Terminate(scope.id);
      await throwTrigger(engine, event, instance, scope);
      return [];
    }
    case 'boundaryEvent':
      return engine.targets(event); // entered only through its activity (activity-runner.ts)
  }
}

/**
 * Waits at an intermediate catch event (a timer until `dueAt`), then records it and moves on.
 * The token counts as parked meanwhile: continue-as-new can carry the wait over.
 */
export async function catchAt(
  engine: Interpreter,
  event: ElementOf<'intermediateCatchEvent'>,
  scope: Scope,
  wait: ParkedWait & { kind: 'catch' },
): Promise<string[]> {
  const trigger = event.trigger;
  const happen = (): Promise<Variables> =>
    wait.dueAt !== undefined
      ? sleep(Math.max(0, wait.dueAt - Date.now())).then(() => ({}))
      : engine.guard(event, wait.instance, () =>
          engine.waits.waitFor(trigger, scope.context(), wait.instance, undefined, event.id),
        );
  const carry = () =>
    (wait.dueAt !== undefined ? wait.dueAt <= Date.now() : engine.waits.ready(wait.instance))
      ? undefined
      : wait;
  let payload: Variables;
  if (scope === engine.root) payload = await engine.parkedWhile(scope, carry, happen);
  else {
    // No parkedWhile here: its extra `await` would change the steps recorded histories replay.
    const release = engine.park(scope, carry);
    try {
      payload = await happen();
    } finally {
      release();
    }
  }
  scope.setAll(payload);
  await engine.record(event, wait.instance, triggerActor(trigger), 'triggered', payload);
  return engine.targets(event);
}

/** What a throw or end event raises, by its trigger. */
async function throwTrigger(
  engine: Interpreter,
  event: EventElement,
  instance: string,
  scope: Scope,
): Promise<void> {
  const trigger = event.trigger;
  switch (trigger.type) {
    case 'error': {
      const catcher = await engine.guard(event, instance, async () => {
        const found = findCatcher(engine, trigger, scope);
        if (!found)
          throw new EngineIncident(
            `error "${trigger.errorCode ?? ''}" thrown by ${event.id} is caught nowhere`,
          );
        return found;
      });
      throw new BpmnThrow('error', trigger.errorCode, event.id, {}, catcher.id);
    }
    case 'escalation': {
      const catcher = findCatcher(engine, trigger, scope);
      if (!catcher) return; // an escalation nobody catches changes nothing
      if (catcher.interrupting)
        throw new BpmnThrow('escalation', trigger.escalationCode, event.id, {}, catcher.id);
      catcher.continueAlongside();
      return;
    }
    case 'message': {
      if ('job' in event && event.job) {
        // Camunda 8 style: a job worker sends the message.
        const job = event.job;
        await engine.guard(event, instance, () =>
          runJobHandler(
            job,
            { applicationId: engine.applicationId, elementId: event.id, elementInstanceId: instance },
            scope.context(),
          ),
        );
        return;
      }
      const key = trigger.correlationKey ? evaluateFeel(trigger.correlationKey, scope.context()) : '';
      await engine.guard(event, instance, () =>
        messaging.publishMessage({
          name: trigger.messageName,
          correlationKey: String(key ?? ''),
          variables: scope.context(),
          timeToLiveMs: 0,
          messageId: `${engine.applicationId}/${instance}`,
        }),
      );
      return;
    }
    case 'signal':
      await engine.guard(event, instance, () =>
        messaging.broadcastSignal({ name: trigger.signalName, variables: scope.context() }),
      );
      return;
    case 'compensation':
      await compensate(engine, trigger.activityRef, scope);
      return;
    default:
      return;
  }
}

interface Catcher {
  id: string;
  interrupting: boolean;
  /** For a non-interrupting catcher: start its path beside the thrower. */
  continueAlongside(): void;
}

/** The innermost event sub-process start or boundary event that catches this error/escalation. */
export function findCatcher(
  engine: Interpreter,
  trigger: Extract<EventTrigger, { type: 'error' | 'escalation' }>,
  from: Scope,
): Catcher | undefined {
  const code = trigger.type === 'error' ? trigger.errorCode : trigger.escalationCode;
  const matches = (t: EventTrigger) => {
    if (t.type !== trigger.type) return undefined;
    const catches = t.type === 'error' ? t.errorCode : (t as { escalationCode?: string }).escalationCode;
    return catches === undefined ? 'any' : catches === code ? 'exact' : undefined;
  };
  const best = <T extends { trigger: EventTrigger }>(candidates: T[]) =>
    candidates.find((c) => matches(c.trigger) === 'exact') ??
    candidates.find((c) => matches(c.trigger) === 'any');

  for (let scope: Scope | undefined = from; scope; scope = scope.parent) {
    const owner = scope;
    const starts = engine.eventSubProcesses(scope.ownerId).map((sub) => ({ sub, ...engine.startOf(sub.id) }));
    const start = best(starts);
    if (start) {
      return {
        id: start.id,
        interrupting: start.interrupting,
        continueAlongside: () => owner.spawn(() => runEventSubProcess(engine, start.sub, owner, {}, true)),
      };
    }
    const activity = scope.ownerId ? engine.model.elements[scope.ownerId] : undefined;
    const boundary = activity
      ? best(activity.boundaryEvents.map((id) => engine.model.elements[id] as ElementOf<'boundaryEvent'>))
      : undefined;
    if (boundary && owner.parent) {
      const outer = owner.parent;
      return {
        id: boundary.id,
        interrupting: boundary.interrupting,
        continueAlongside: () => continueBeside(engine, boundary, outer),
      };
    }
  }
  return undefined;
}

/** Runs the compensation handlers of completed activities, newest first, walking out through scopes. */
async function compensate(engine: Interpreter, activityRef: string | undefined, from: Scope): Promise<void> {
  for (let scope: Scope | undefined = from; scope; scope = scope.parent) {
    const entries = scope.compensable.filter((e) => !activityRef || e.activityId === activityRef).reverse();
    for (const entry of entries) {
      const handler = engine.model.elements[entry.handlerId] as ActivityElement;
      await runActivity(engine, handler, entry.scope.parent ?? scope, false);
      scope.compensable.splice(scope.compensable.indexOf(entry), 1);
    }
  }
}

function linkTarget(engine: Interpreter, event: ElementOf<'intermediateThrowEvent'>): string {
  const name = event.trigger.type === 'link' ? event.trigger.linkName : '';
  const target = Object.values(engine.model.elements).find(
    (e) =>
      e.kind === 'intermediateCatchEvent' &&
      e.parent === event.parent &&
      e.trigger.type === 'link' &&
      e.trigger.linkName === name,
  );
  if (!target) throw new EngineIncident(`no link catch event named "${name}" for ${event.id}`);
  return target.id;
}
