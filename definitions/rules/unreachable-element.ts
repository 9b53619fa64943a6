// Elements no token can reach are dead weight at best and a modelling mistake at worst.
import { type CompileContext, is, isDetachedStart, startEvents } from '../context.ts';
import { described } from '../diagnostic.ts';
import { reachableFrom } from '../graph.ts';
import type { Diagnostic } from '../model.ts';

export function unreachableElement(ctx: CompileContext): Diagnostic[] {
  const starts = startEvents(ctx).map((s) => s.id as string);
  if (starts.length === 0) return []; // no-start-event says it all
  const reached = reachableFrom(ctx, starts);
  return ctx.nodes
    .filter(
      (node) => !reached.has(node.id as string) && !isDetachedStart(node) && !is(node, 'bpmn:StartEvent'),
    )
    .map((node) =>
      ctx.diagnostic(
        'unreachable-element',
        `${described(node)} cannot be reached from the start event`,
        node,
      ),
    );
}
