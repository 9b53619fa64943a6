// Service and send tasks (and business rule tasks and message throw/end events run by a job
// worker) run the handler named by zeebe:taskDefinition type; without it nothing runs.
import type { CompileContext } from '../context.ts';
import { described } from '../diagnostic.ts';
import { extensionOf } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { isJobWorkerEvent } from '../triggers.ts';

/** Elements whose work is done by a handler (a job-worker business rule task or event has a task definition). */
export function runsHandler(node: ModdleElement): boolean {
  if (node.$type === 'bpmn:ServiceTask' || node.$type === 'bpmn:SendTask') return true;
  if (isJobWorkerEvent(node)) return true;
  return (
    node.$type === 'bpmn:BusinessRuleTask' &&
    !extensionOf(node, 'govflow:ApprovalRule') &&
    extensionOf(node, 'zeebe:TaskDefinition') !== undefined
  );
}

export function serviceTaskTypeMissing(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => runsHandler(node) && !extensionOf(node, 'zeebe:TaskDefinition')?.type?.trim())
    .map((node) =>
      ctx.diagnostic(
        'service-task-type-missing',
        `${described(node)} has no handler: add <zeebe:taskDefinition type="..."/> to its extension elements`,
        node,
      ),
    );
}
