// A call activity starts another deployed process by its key (zeebe:calledElement processId).
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { calledElementOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function callActivityProcessMissing(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => is(node, 'bpmn:CallActivity') && !calledElementOf(node).processId)
    .map((node) =>
      ctx.diagnostic(
        'call-activity-process-missing',
        `Call activity ${refer(node)} calls no process: add <zeebe:calledElement processId="..."/> to its extension elements`,
        node,
      ),
    );
}
