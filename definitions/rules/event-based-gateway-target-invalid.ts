// An event-based gateway waits for the first of several events; each outgoing flow must lead
// straight to something that waits (a timer, message or signal catch event, or a receive task).
import { type CompileContext, is } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';
import { triggerTypeOf } from '../triggers.ts';

const RULE = 'event-based-gateway-target-invalid';
const WAITS_FOR = new Set(['timer', 'message', 'signal']);

export function eventBasedGatewayTargetInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const gateway of ctx.nodes.filter((n) => is(n, 'bpmn:EventBasedGateway'))) {
    const outgoing = ctx.outgoing.get(gateway.id as string) ?? [];
    if (outgoing.length < 2)
      found.push(
        ctx.diagnostic(
          RULE,
          `${described(gateway)} needs at least two outgoing flows to choose between`,
          gateway,
        ),
      );
    for (const flow of outgoing) {
      const target = flow.targetRef;
      const waits =
        is(target, 'bpmn:ReceiveTask') ||
        (is(target, 'bpmn:IntermediateCatchEvent') && WAITS_FOR.has(triggerTypeOf(target)));
      if (waits) continue;
      const message = `Sequence flow "${flow.id}" leaves event-based gateway ${refer(gateway)} for ${refer(target)}; it must lead to a timer, message or signal catch event or a receive task`;
      found.push(ctx.diagnostic(RULE, message, flow));
    }
  }
  return found;
}
