// A message that arrives while an application runs is delivered by name and correlation key;
// without a key the engine cannot tell which application it is for. A message start event
// creates a new application and needs none.
import { type CompileContext, is } from '../context.ts';
import { described } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';
import { correlationKeyOf, isThrowing, messageOf, triggerTypeOf } from '../triggers.ts';

export function messageCorrelationMissing(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => {
      if (triggerTypeOf(node) !== 'message' || isThrowing(node) || is(node, 'bpmn:SendTask')) return false;
      const topLevelStart = is(node, 'bpmn:StartEvent') && ctx.scopeOf.get(node.id as string) === ctx.process;
      return !topLevelStart && messageOf(node) !== undefined && !correlationKeyOf(node);
    })
    .map((node) =>
      ctx.diagnostic(
        'message-correlation-missing',
        `${described(node)} waits for message "${messageOf(node)?.name ?? ''}", which has no correlation key: add <zeebe:subscription correlationKey="=..."/> to the message`,
        node,
      ),
    );
}
