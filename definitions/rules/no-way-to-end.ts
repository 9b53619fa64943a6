// Catches loops with no exit: every element reached from the start must be able to reach an
// end event of its scope. Elements that only lead into a dead end are left to the dead-end rule.
import { type CompileContext, endEvents } from '../context.ts';
import { kindOf, refer } from '../diagnostic.ts';
import { canReach, entryPoints, reachableFrom } from '../graph.ts';
import type { Diagnostic } from '../model.ts';
import { endsWithoutFlow, isDeadEnd } from './dead-end.ts';

export function noWayToEnd(ctx: CompileContext): Diagnostic[] {
  if (endEvents(ctx).length === 0) return []; // no-end-event says it all
  const finishes = ctx.nodes
    .filter((n) => endsWithoutFlow(n) || isDeadEnd(ctx, n))
    .map((n) => n.id as string);
  const finishing = canReach(ctx, finishes);
  const starts = entryPoints(ctx);
  const reached =
    starts.length > 0 ? reachableFrom(ctx, starts) : new Set(ctx.nodes.map((n) => n.id as string));
  return ctx.nodes
    .filter((node) => reached.has(node.id as string) && !finishing.has(node.id as string))
    .map((node) =>
      ctx.diagnostic(
        'no-way-to-end',
        `No end event can be reached from ${kindOf(node)} ${refer(node)}: every path from it loops back without ending`,
        node,
      ),
    );
}
