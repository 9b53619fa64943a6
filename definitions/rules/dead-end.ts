// A token that arrives at an element without outgoing flow is stuck: only end events may end a path.
import { type CompileContext, is } from '../context.ts';
import { described } from '../diagnostic.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

export function isDeadEnd(ctx: CompileContext, node: ModdleElement): boolean {
  if (is(node, 'bpmn:EndEvent') || node.isForCompensation === true) return false;
  if (is(node, 'bpmn:SubProcess') && node.triggeredByEvent === true) return false;
  return (ctx.outgoing.get(node.id as string) ?? []).length === 0;
}

export function deadEnd(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => isDeadEnd(ctx, node))
    .map((node) =>
      ctx.diagnostic(
        'dead-end',
        `${described(node)} has no outgoing sequence flow and is not an end event`,
        node,
      ),
    );
}
