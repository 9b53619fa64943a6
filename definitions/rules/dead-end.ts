// A token that arrives at an element without outgoing flow is stuck: only end events may end a path.
import { isCompensationBoundary } from '../compensation.ts';
import { type CompileContext, is, isEventSubProcess } from '../context.ts';
import { described } from '../diagnostic.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { isLinkThrow } from '../triggers.ts';

/** Elements that legitimately have no outgoing flow although they are not end events. */
export function endsWithoutFlow(node: ModdleElement): boolean {
  if (is(node, 'bpmn:EndEvent') || node.isForCompensation === true || isEventSubProcess(node)) return true;
  // a compensation boundary event links to its handler by association, never by flow
  if (isCompensationBoundary(node)) return true;
  // a link throw event continues at its link catch event
  return isLinkThrow(node);
}

export function isDeadEnd(ctx: CompileContext, node: ModdleElement): boolean {
  return !endsWithoutFlow(node) && (ctx.outgoing.get(node.id as string) ?? []).length === 0;
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
