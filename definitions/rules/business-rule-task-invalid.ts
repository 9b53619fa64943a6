// A business rule task is decided by the contract against ledger facts (govflow:approvalRule),
// or runs a handler like a service task (zeebe:taskDefinition). DMN decisions are reported by
// unsupported-feature.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { extensionOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function businessRuleTaskInvalid(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter(
      (node) =>
        is(node, 'bpmn:BusinessRuleTask') &&
        !extensionOf(node, 'govflow:ApprovalRule') &&
        !extensionOf(node, 'zeebe:TaskDefinition') &&
        !extensionOf(node, 'zeebe:CalledDecision'),
    )
    .map((node) =>
      ctx.diagnostic(
        'business-rule-task-invalid',
        `Business rule task ${refer(node)} has no rule: add a <govflow:approvalRule> (decided on the ledger) or a <zeebe:taskDefinition type="..."/>`,
        node,
      ),
    );
}
