// A business rule task is decided by the contract: by an approval rule against ledger facts
// (govflow:approvalRule) or by a DMN decision (zeebe:calledDecision); or it runs a handler like a
// service task (zeebe:taskDefinition). Exactly one of the three, complete.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { calledDecisionOf, extensionOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

const RULE = 'business-rule-task-invalid';
const IMPLEMENTATIONS = ['govflow:ApprovalRule', 'zeebe:CalledDecision', 'zeebe:TaskDefinition'];

export function businessRuleTaskInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    if (!is(node, 'bpmn:BusinessRuleTask')) continue;
    const given = IMPLEMENTATIONS.filter((type) => extensionOf(node, type));
    if (given.length === 0)
      found.push(
        ctx.diagnostic(
          RULE,
          `Business rule task ${refer(node)} has no rule: add a <govflow:approvalRule> (decided on the ledger), a <zeebe:calledDecision decisionId="..." resultVariable="..."/> or a <zeebe:taskDefinition type="..."/>`,
          node,
        ),
      );
    if (given.length > 1)
      found.push(
        ctx.diagnostic(
          RULE,
          `Business rule task ${refer(node)} has ${given.join(' and ')}: give only one way to decide it`,
          node,
        ),
      );
    if (given.length !== 1 || given[0] !== 'zeebe:CalledDecision') continue;
    const { decisionId, resultVariable } = calledDecisionOf(node);
    const missing = [!decisionId && 'decisionId', !resultVariable && 'resultVariable'].filter(Boolean);
    if (missing.length > 0)
      found.push(
        ctx.diagnostic(
          RULE,
          `Business rule task ${refer(node)} calls a decision without ${missing.join(' and ')}: set both on <zeebe:calledDecision>`,
          node,
        ),
      );
  }
  return found;
}
