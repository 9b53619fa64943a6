// govflow:approvalRule is what the chaincode evaluates; an incomplete rule would make the
// contract fail at run time, so its shape is checked here (its FEEL in feel-syntax).
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { extensionsOf } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

const RULE = 'approval-rule-invalid';

export function approvalRuleInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    const rules = extensionsOf(node, 'govflow:ApprovalRule');
    const start = ctx.locator.element(node.id)?.offset ?? 0;
    const positions = rules.length > 0 ? ctx.locator.tags('approvalRule', start, rules.length) : [];
    rules.forEach((rule, index) => {
      const report = (message: string) =>
        found.push(ctx.diagnostic(RULE, message, node, { position: positions[index] }));
      if (!is(node, 'bpmn:UserTask') && !is(node, 'bpmn:ServiceTask') && !is(node, 'bpmn:BusinessRuleTask')) {
        report(
          `${refer(node)} is a ${node.$type}; approval rules belong on user, service or business rule tasks`,
        );
      }
      if (index > 0) report(`${refer(node)} has more than one approval rule`);
      for (const problem of ruleProblems(rule))
        report(`Approval rule "${rule.id ?? ''}" of ${refer(node)} ${problem}`);
    });
  }
  return found;
}

function ruleProblems(rule: ModdleElement): string[] {
  const problems: string[] = [];
  if (!rule.id?.trim()) problems.push('has no id');
  if (!rule.approveWhen) problems.push('has no <govflow:approveWhen> condition');
  const names = new Set<string>();
  for (const fact of (rule.facts ?? []) as ModdleElement[]) {
    const missing = ['name', 'registry', 'key'].filter((attribute) => !String(fact[attribute] ?? '').trim());
    if (missing.length > 0) problems.push(`has a fact without ${missing.join(', ')}`);
    if (fact.name && names.has(fact.name)) problems.push(`declares the fact "${fact.name}" twice`);
    if (fact.name) names.add(fact.name);
  }
  return problems;
}
