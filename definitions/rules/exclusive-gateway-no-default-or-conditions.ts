// When an exclusive gateway splits, the engine must be able to choose: every outgoing flow
// except the default needs a condition.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

export function exclusiveGatewayNoDefaultOrConditions(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const gateway of ctx.nodes.filter((n) => is(n, 'bpmn:ExclusiveGateway'))) {
    const outgoing = ctx.outgoing.get(gateway.id as string) ?? [];
    if (outgoing.length < 2) continue;
    const bare = outgoing.filter((f: ModdleElement) => f !== gateway.default && !f.conditionExpression);
    if (bare.length === 0) continue;
    const ids = bare.map((f) => `"${f.id}"`).join(', ');
    const problem =
      bare.length > 1
        ? `flows ${ids} have no condition and are not`
        : `flow ${ids} has no condition and is not`;
    const fix = gateway.default ? 'add conditions' : 'add conditions or make one flow the default';
    found.push(
      ctx.diagnostic(
        'exclusive-gateway-no-default-or-conditions',
        `Exclusive gateway ${refer(gateway)} splits, but its ${problem} the default: ${fix}`,
        gateway,
      ),
    );
  }
  return found;
}
