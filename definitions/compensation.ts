// Compensation: a compensation boundary event is linked to its handler activity by an
// association (not a sequence flow); the handler runs only when its activity is compensated.
import { type CompileContext, is } from './context.ts';
import type { ModdleElement } from './moddle-types.ts';
import { triggerTypeOf } from './triggers.ts';

export interface CompensationLinks {
  /** The handler's id, by the id of the compensation boundary event it is associated with. */
  handlerOf: Map<string, string>;
  handlers: Set<string>;
}

/**
 * The handler associated with each compensation boundary event, and the set of handlers
 * (computed once per compilation: CompileContext.compensation).
 */
export function compensationLinks(ctx: CompileContext): CompensationLinks {
  const handlerOf = new Map<string, string>();
  for (const association of ctx.associations) {
    for (const [from, to] of [
      [association.sourceRef, association.targetRef],
      [association.targetRef, association.sourceRef],
    ] as ModdleElement[][]) {
      if (
        isCompensationBoundary(from) &&
        to?.id &&
        ctx.nodeById.get(to.id) === to &&
        !is(to, 'bpmn:BoundaryEvent')
      )
        handlerOf.set(from.id as string, to.id);
    }
  }
  return { handlerOf, handlers: new Set(handlerOf.values()) };
}

export function isCompensationBoundary(node: ModdleElement | undefined): node is ModdleElement {
  return is(node, 'bpmn:BoundaryEvent') && triggerTypeOf(node as ModdleElement) === 'compensation';
}
