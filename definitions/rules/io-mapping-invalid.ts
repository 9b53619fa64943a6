// zeebe:input / zeebe:output need both a source expression and a target variable.
import type { CompileContext } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { ioMappingsOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function ioMappingInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    for (const { direction, source, target } of ioMappingsOf(node)) {
      if (source && target) continue;
      const missing = !source && !target ? 'source and no target' : !source ? 'source' : 'target';
      found.push(
        ctx.diagnostic(
          'io-mapping-invalid',
          `An ${direction} mapping of ${refer(node)} has no ${missing}`,
          node,
        ),
      );
    }
  }
  return found;
}
