// Event definitions as the engine sees them: what an event waits for or raises. Shared by the
// validation rules and the model builder so both read the XML the same way.
import { is } from './context.ts';
import { trimmed } from './draft.ts';
import { extensionOf } from './extensions.ts';
import { stripFeel } from './feel.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { TimerKind } from './timers.ts';

export type TriggerType =
  | 'none'
  | 'timer'
  | 'message'
  | 'error'
  | 'escalation'
  | 'signal'
  | 'link'
  | 'compensation'
  | 'terminate'
  | 'conditional'
  | 'cancel'
  | 'multiple';

const DEFINITION_TYPES: Record<string, TriggerType> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:CancelEventDefinition': 'cancel',
};

/** The single event definition of an event (undefined for none events and receive tasks). */
export function eventDefinition(node: ModdleElement): ModdleElement | undefined {
  const definitions = node.eventDefinitions;
  return Array.isArray(definitions) && definitions.length === 1 ? definitions[0] : undefined;
}

export function triggerTypeOf(node: ModdleElement): TriggerType {
  if (is(node, 'bpmn:ReceiveTask')) return 'message';
  const definitions: ModdleElement[] = Array.isArray(node.eventDefinitions) ? node.eventDefinitions : [];
  if (definitions.length === 0) return 'none';
  if (definitions.length > 1) return 'multiple';
  return DEFINITION_TYPES[definitions[0]?.$type] ?? 'multiple';
}

/** The bpmn:Message of a message event or receive task. */
export function messageOf(node: ModdleElement): ModdleElement | undefined {
  return is(node, 'bpmn:ReceiveTask') ? node.messageRef : eventDefinition(node)?.messageRef;
}

export function messageNameOf(node: ModdleElement): string | undefined {
  const name = messageOf(node)?.name;
  return trimmed(name);
}

/** `zeebe:subscription correlationKey` of the message, without `=`. */
export function correlationKeyOf(node: ModdleElement): string | undefined {
  const message = messageOf(node);
  const key = message ? extensionOf(message, 'zeebe:Subscription')?.correlationKey : undefined;
  return typeof key === 'string' && key.trim() ? stripFeel(key) : undefined;
}

export interface TimerValue {
  kind: TimerKind;
  /** As written: `=expr` or an ISO 8601 literal. */
  raw: string;
}

/** The timer of a timer event; undefined when no (or more than one) value is given. */
export function timerOf(node: ModdleElement): TimerValue | undefined {
  const definition = eventDefinition(node);
  if (!is(definition, 'bpmn:TimerEventDefinition')) return undefined;
  const values = (
    [
      ['date', definition?.timeDate],
      ['duration', definition?.timeDuration],
      ['cycle', definition?.timeCycle],
    ] as const
  ).filter(([, value]) => value);
  if (values.length !== 1) return undefined;
  const [kind, value] = values[0];
  return { kind, raw: typeof value.body === 'string' ? value.body : '' };
}

export function errorCodeOf(node: ModdleElement): string | undefined {
  const code = eventDefinition(node)?.errorRef?.errorCode;
  return trimmed(code);
}

export function escalationCodeOf(node: ModdleElement): string | undefined {
  const code = eventDefinition(node)?.escalationRef?.escalationCode;
  return trimmed(code);
}

export function signalNameOf(node: ModdleElement): string | undefined {
  const name = eventDefinition(node)?.signalRef?.name;
  return trimmed(name);
}

export function linkNameOf(node: ModdleElement): string | undefined {
  const name = eventDefinition(node)?.name;
  return trimmed(name);
}

/** A link throw event: the token continues at the link catch event of the same name. */
export function isLinkThrow(node: ModdleElement): boolean {
  return is(node, 'bpmn:IntermediateThrowEvent') && triggerTypeOf(node) === 'link';
}

/** The link catch events among a scope's nodes, by link name (`''` for those without one). */
export function linkCatchesByName(nodes: ModdleElement[]): Map<string, ModdleElement[]> {
  const catches = new Map<string, ModdleElement[]>();
  for (const node of nodes) {
    if (!is(node, 'bpmn:IntermediateCatchEvent') || triggerTypeOf(node) !== 'link') continue;
    const name = linkNameOf(node) ?? '';
    const list = catches.get(name);
    if (list) list.push(node);
    else catches.set(name, [node]);
  }
  return catches;
}

/**
 * A Camunda 8 message throw or end event implemented by a job worker: `zeebe:taskDefinition`
 * (and `zeebe:taskHeaders`) on the event, a `bpmn:messageEventDefinition` that may lack a
 * messageRef. The job does the sending.
 */
export function isJobWorkerEvent(node: ModdleElement): boolean {
  return (
    isThrowing(node) &&
    triggerTypeOf(node) === 'message' &&
    extensionOf(node, 'zeebe:TaskDefinition') !== undefined
  );
}

/** Catch events wait; throw and end events raise. */
export function isThrowing(node: ModdleElement): boolean {
  return is(node, 'bpmn:IntermediateThrowEvent') || is(node, 'bpmn:EndEvent');
}
