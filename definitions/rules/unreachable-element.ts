// Elements no token can reach are dead weight at best and a modelling mistake at worst. Tokens
// enter at start events, boundary events, event sub-processes and compensation handlers.
import { type CompileContext, isDetachedStart, startEvents } from '../context.ts';
import { described } from '../diagnostic.ts';
import { entryPoints, reachableFrom } from '../graph.ts';
import type { Diagnostic } from '../model.ts';

export function unreachableElement(ctx: CompileContext): Diagnostic[] {
  if (startEvents(ctx).length === 0) return []; // no-start-event says it all
  const reached = reachableFrom(ctx, entryPoints(ctx));
  return ctx.nodes
    .filter((node) => {
      const scope = ctx.scopeOf.get(node.id as string);
      // inside an unreachable sub-process only the sub-process itself is reported
      const scopeReached = scope === ctx.process || reached.has(scope?.id as string);
      return scopeReached && !reached.has(node.id as string) && !isDetachedStart(node);
    })
    .map((node) =>
      ctx.diagnostic(
        'unreachable-element',
        `${described(node)} cannot be reached from the start event`,
        node,
      ),
    );
}
