// A boundary event sits on an activity (task, sub-process, call activity) and starts a path of
// its own: it has no incoming flows. A compensation boundary event names its handler by an
// association instead of a flow.
import { isCompensationBoundary } from '../compensation.ts';
import { type CompileContext, is } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';

const RULE = 'boundary-event-invalid';
const ACTIVITIES = /^bpmn:(\w*Task|Task|SubProcess|CallActivity)$/;

export function boundaryEventInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const { handlerOf } = ctx.compensation;
  for (const node of ctx.nodes.filter((n) => is(n, 'bpmn:BoundaryEvent'))) {
    const host = node.attachedToRef;
    if (host && !ACTIVITIES.test(host.$type)) {
      found.push(
        ctx.diagnostic(
          RULE,
          `${described(node)} is attached to ${refer(host)}, which is not an activity`,
          node,
        ),
      );
    } else if (host && ctx.scopeOf.get(host.id) !== ctx.scopeOf.get(node.id as string)) {
      found.push(
        ctx.diagnostic(
          RULE,
          `${described(node)} is attached to ${refer(host)}, which sits in another (sub-)process`,
          node,
        ),
      );
    } else if (!host) {
      found.push(ctx.diagnostic(RULE, `${described(node)} is attached to no activity (attachedToRef)`, node));
    }
    if ((ctx.incoming.get(node.id as string) ?? []).length > 0)
      found.push(
        ctx.diagnostic(
          RULE,
          `${described(node)} has incoming sequence flows; a boundary event starts its own path`,
          node,
        ),
      );
    if (isCompensationBoundary(node) && !handlerOf.has(node.id as string)) {
      const message = `${described(node)} has no compensation handler: connect it to an activity marked isForCompensation with an association`;
      found.push(ctx.diagnostic(RULE, message, node));
    }
  }
  return found;
}
