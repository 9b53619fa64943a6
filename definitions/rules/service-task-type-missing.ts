// A service task runs the handler named by zeebe:taskDefinition type; without it nothing runs.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { extensionOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function serviceTaskTypeMissing(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter(
      (node) => is(node, 'bpmn:ServiceTask') && !extensionOf(node, 'zeebe:TaskDefinition')?.type?.trim(),
    )
    .map((node) =>
      ctx.diagnostic(
        'service-task-type-missing',
        `Service task ${refer(node)} has no handler: add <zeebe:taskDefinition type="..."/> to its extension elements`,
        node,
      ),
    );
}
