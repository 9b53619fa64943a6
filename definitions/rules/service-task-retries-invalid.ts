// Retries must be a whole number; Camunda's expression form is not supported here.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { extensionOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function serviceTaskRetriesInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes.filter((n) => is(n, 'bpmn:ServiceTask'))) {
    const retries = extensionOf(node, 'zeebe:TaskDefinition')?.retries;
    if (retries === undefined || /^\s*\d{1,6}\s*$/.test(retries)) continue;
    found.push(
      ctx.diagnostic(
        'service-task-retries-invalid',
        `Service task ${refer(node)} has retries="${retries}"; use a whole number such as 3`,
        node,
      ),
    );
  }
  return found;
}
