// A multi-instance activity runs once per item of a collection: it needs the collection
// (zeebe:loopCharacteristics inputCollection); an output collection needs its output element.
import type { CompileContext } from '../context.ts';
import { described } from '../diagnostic.ts';
import { multiInstanceOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function multiInstanceInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    const multi = multiInstanceOf(node);
    if (!multi || multi.loop.loopCardinality) continue; // cardinality: unsupported-feature
    const problems: string[] = [];
    if (!multi.inputCollection)
      problems.push('has no input collection: add <zeebe:loopCharacteristics inputCollection="=items"/>');
    if (Boolean(multi.outputCollection) !== Boolean(multi.outputElement))
      problems.push('needs both outputCollection and outputElement, or neither');
    for (const problem of problems)
      found.push(
        ctx.diagnostic(
          'multi-instance-invalid',
          `Multi-instance ${described(node).toLowerCase()} ${problem}`,
          node,
        ),
      );
  }
  return found;
}
