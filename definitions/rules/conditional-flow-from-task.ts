// Conditions are only evaluated by gateways in this version; a condition on a flow leaving a
// task or event would silently be ignored, so it is an error.
import type { CompileContext } from '../context.ts';
import { kindOf, refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

export function conditionalFlowFromTask(ctx: CompileContext): Diagnostic[] {
  return ctx.flows
    .filter((flow) => flow.conditionExpression && flow.sourceRef && !flow.sourceRef.$type.endsWith('Gateway'))
    .map((flow) =>
      ctx.diagnostic(
        'conditional-flow-from-task',
        `Sequence flow "${flow.id}" has a condition but leaves ${kindOf(flow.sourceRef)} ${refer(flow.sourceRef)}; conditions are only allowed on flows leaving an exclusive gateway`,
        flow,
      ),
    );
}
