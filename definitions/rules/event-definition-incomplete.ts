// Events are matched by name or code: messages by name, signals by name, links by name within
// a scope, escalations by code. A trigger missing its name or code could never be matched.
import { type CompileContext, is } from '../context.ts';
import { described } from '../diagnostic.ts';
import { extensionOf } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import {
  escalationCodeOf,
  isThrowing,
  linkNameOf,
  messageNameOf,
  signalNameOf,
  triggerTypeOf,
} from '../triggers.ts';

export function eventDefinitionIncomplete(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    const problem = problemOf(node);
    if (problem)
      found.push(ctx.diagnostic('event-definition-incomplete', `${described(node)} ${problem}`, node));
  }
  return found;
}

function problemOf(node: ModdleElement): string | undefined {
  switch (triggerTypeOf(node)) {
    case 'message':
      // a send task's handler sends, and so does a job-worker throw event's (its message may be
      // unnamed); a task definition elsewhere is unsupported-feature's business
      if (is(node, 'bpmn:SendTask') || extensionOf(node, 'zeebe:TaskDefinition')) return undefined;
      return messageNameOf(node) ? undefined : 'refers to no bpmn:message with a name';
    case 'signal':
      return signalNameOf(node) ? undefined : 'refers to no bpmn:signal with a name';
    case 'link':
      return linkNameOf(node) ? undefined : 'is a link event without a name';
    case 'escalation':
      // catching events may omit the code: they catch every escalation
      return !isThrowing(node) || escalationCodeOf(node)
        ? undefined
        : 'throws no escalation code: refer to a bpmn:escalation with an escalationCode';
    default:
      return undefined;
  }
}
