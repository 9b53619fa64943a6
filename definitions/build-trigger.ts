// Event definitions -> EventTrigger of the process model.
import { is } from './context.ts';
import { eventDeclarations } from './declared-fields.ts';
import { compact, type Draft } from './draft.ts';
import type { ModdleElement } from './moddle-types.ts';
import { timerFeel } from './timers.ts';
import {
  correlationKeyOf,
  errorCodeOf,
  escalationCodeOf,
  eventDefinition,
  linkNameOf,
  messageNameOf,
  messageOf,
  signalNameOf,
  timerOf,
  triggerTypeOf,
} from './triggers.ts';

export function buildTrigger(node: ModdleElement): Draft {
  const type = triggerTypeOf(node);
  switch (type) {
    case 'timer': {
      const timer = timerOf(node);
      return { type, timer: { kind: timer?.kind, expression: timerFeel(timer?.raw ?? '') } };
    }
    case 'message':
      return compact({
        type,
        messageName: messageNameOf(node),
        correlationKey: correlationKeyOf(node),
        ...eventDeclarations(messageOf(node)),
      });
    case 'error':
      return compact({ type, errorCode: errorCodeOf(node) });
    case 'escalation':
      return compact({ type, escalationCode: escalationCodeOf(node) });
    case 'signal':
      return { type, signalName: signalNameOf(node), ...eventDeclarations(eventDefinition(node)?.signalRef) };
    case 'link':
      return { type, linkName: linkNameOf(node) };
    case 'compensation': {
      const activity = eventDefinition(node)?.activityRef;
      // on a throw event the activity to compensate; a boundary event compensates its host
      return compact({ type, activityRef: is(node, 'bpmn:BoundaryEvent') ? undefined : activity?.id });
    }
    case 'terminate':
    case 'none':
      return { type };
    default:
      throw new Error(`buildTrigger reached unsupported trigger ${type} on "${node.id}" after validation`);
  }
}
