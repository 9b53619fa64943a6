// The default flow is taken when no condition holds; a condition on it is never evaluated.
import type { CompileContext } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export function defaultFlowWithCondition(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => node.default?.conditionExpression)
    .map((node) =>
      ctx.diagnostic(
        'default-flow-with-condition',
        `Sequence flow "${node.default.id}" is the default flow of ${refer(node)} and must not have a condition`,
        node.default,
      ),
    );
}
