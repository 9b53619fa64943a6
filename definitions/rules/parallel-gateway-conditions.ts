// A parallel gateway takes every outgoing flow; a condition there would be silently ignored.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export function parallelGatewayConditions(ctx: CompileContext): Diagnostic[] {
  return ctx.flows
    .filter((flow) => flow.conditionExpression && is(flow.sourceRef, 'bpmn:ParallelGateway'))
    .map((flow) =>
      ctx.diagnostic(
        'parallel-gateway-conditions',
        `Sequence flow "${flow.id}" leaves parallel gateway ${refer(flow.sourceRef)}, which takes every flow; remove its condition or use an exclusive gateway`,
        flow,
      ),
    );
}
