// Conditions are only evaluated by exclusive and inclusive gateways; a condition on a flow
// leaving a task, an event or an event-based gateway would silently be ignored, so it is an
// error (parallel gateways have their own rule).
import { type CompileContext, is } from '../context.ts';
import { kindOf, refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

const CONDITIONAL_SOURCES = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway']);

export function conditionalFlowFromTask(ctx: CompileContext): Diagnostic[] {
  return ctx.flows
    .filter(
      (flow) =>
        flow.conditionExpression &&
        flow.sourceRef &&
        !CONDITIONAL_SOURCES.has(flow.sourceRef.$type) &&
        !is(flow.sourceRef, 'bpmn:ParallelGateway'),
    )
    .map((flow) =>
      ctx.diagnostic(
        'conditional-flow-from-task',
        `Sequence flow "${flow.id}" has a condition but leaves ${kindOf(flow.sourceRef)} ${refer(flow.sourceRef)}; conditions are only allowed on flows leaving an exclusive or inclusive gateway`,
        flow,
      ),
    );
}
