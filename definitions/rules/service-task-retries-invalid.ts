// Retries must be a whole number; Camunda's expression form is not supported here.
import type { CompileContext } from '../context.ts';
import { described } from '../diagnostic.ts';
import { extensionOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';
import { runsHandler } from './service-task-type-missing.ts';

export function serviceTaskRetriesInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes.filter(runsHandler)) {
    const retries = extensionOf(node, 'zeebe:TaskDefinition')?.retries;
    if (retries === undefined || /^\s*\d{1,6}\s*$/.test(retries)) continue;
    found.push(
      ctx.diagnostic(
        'service-task-retries-invalid',
        `${described(node)} has retries="${retries}"; use a whole number such as 3`,
        node,
      ),
    );
  }
  return found;
}
