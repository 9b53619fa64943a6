// A gateway's default flow must be one of the flows leaving that gateway.
import type { CompileContext } from '../context.ts';
import { described } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export function defaultFlowNotOutgoing(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => node.default && node.default.sourceRef !== node)
    .map((node) =>
      ctx.diagnostic(
        'default-flow-not-outgoing',
        `${described(node)} names "${node.default.id}" as its default flow, but that flow does not leave it`,
        node,
      ),
    );
}
