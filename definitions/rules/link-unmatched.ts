// A link throw event continues at the one link catch event of the same name in its scope;
// with none (or several) the token would have nowhere (or no single place) to go.
import type { CompileContext } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';
import { isLinkThrow, linkCatchesByName, linkNameOf } from '../triggers.ts';

export function linkUnmatched(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const scope of ctx.scopes) {
    const catches = linkCatchesByName(scope.nodes);
    for (const node of scope.nodes.filter(isLinkThrow)) {
      const name = linkNameOf(node);
      if (name === undefined) continue; // event-definition-incomplete names it
      const targets = catches.get(name) ?? [];
      if (targets.length === 1) continue;
      const problem =
        targets.length === 0
          ? 'no link catch event of that name'
          : `${targets.length} link catch events of that name (${targets.map((t) => refer(t)).join(', ')})`;
      found.push(
        ctx.diagnostic(
          'link-unmatched',
          `Link throw event ${refer(node)} jumps to link "${name}", but its scope has ${problem}`,
          node,
        ),
      );
    }
  }
  return found;
}
