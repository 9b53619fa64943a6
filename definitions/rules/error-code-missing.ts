// An error end event throws an error that boundary events and event sub-processes catch by
// code; without a code nothing specific could catch it. (Catching events may omit the code:
// they then catch every error.)
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { Diagnostic } from '../model.ts';
import { errorCodeOf, eventDefinition, triggerTypeOf } from '../triggers.ts';

export function errorCodeMissing(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => is(node, 'bpmn:EndEvent') && triggerTypeOf(node) === 'error' && !errorCodeOf(node))
    .map((node) => {
      const error = eventDefinition(node)?.errorRef;
      const why = error ? `its error ${refer(error)} has no errorCode` : 'it refers to no bpmn:error';
      return ctx.diagnostic(
        'error-code-missing',
        `Error end event ${refer(node)} throws no error code: ${why}`,
        node,
      );
    });
}
