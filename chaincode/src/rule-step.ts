// Approval rules on the ledger: a user task's rule is decided inside the contract against the
// department facts it names (details merged in for the rule, hashed for the record) and the
// decision recorded as the step, so every endorser reaches it and anyone can see why.
import type { Context } from 'fabric-contract-api';
import {
  type ApprovalRule,
  decide,
  factLookups,
  type RuleEvaluation,
  validateRule,
} from './approval-rule.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { factForRule } from './fact-details.ts';
import { factKey } from './facts.ts';
import { registryOwner } from './registries.ts';
import { txTimestampMillis } from './state.ts';
import { type StepRecord, validateContractStep } from './step-record.ts';
import { appendStep, existingStep } from './steps.ts';

/** EvaluateRule: decides the step by its rule and records it once (a retry returns the first). */
export async function evaluateRuleStep(
  ctx: Context,
  raw: unknown,
): Promise<{ record: StepRecord; duplicate: boolean; evaluation: RuleEvaluation }> {
  const where = 'EvaluateRule';
  const {
    identity,
    variables,
    call: rule,
  } = validateContractStep(raw, where, (input) => validateRule(input.rule, where));
  const existing = await existingStep(ctx, identity.applicationId, identity.elementInstanceId);
  if (existing) return { record: existing, duplicate: true, evaluation: evaluationOf(existing) };

  const { evaluation, facts } = await evaluateRule(ctx, rule, variables);
  const result = await appendStep(ctx, {
    ...identity,
    actor: `contract:${rule.id}`,
    decision: evaluation.decision,
    reasons: evaluation.reasons,
    dataHash: sha256Hex(canonicalJson({ variables, facts })),
  });
  return { ...result, evaluation: evaluationOf(result.record) };
}

/** Loads the rule's facts and decides. Bad keys, missing facts and FEEL errors make it manual. */
async function evaluateRule(ctx: Context, rule: ApprovalRule, variables: Record<string, unknown>) {
  const now = txTimestampMillis(ctx.stub);
  const reasons: string[] = [];
  const lookups = factLookups(rule, variables, now, reasons);
  const facts: Record<string, unknown> = {};
  /** The facts as stored (details only as their salted hash): what the step's data hash covers. */
  const stored: Record<string, unknown> = {};
  let detailsFailed = false;
  for (const { fact, key } of lookups) {
    facts[fact.name] = null;
    stored[fact.name] = null;
    if (key === null) continue;
    if (!registryOwner(fact.registry)) {
      reasons.push(`fact ${fact.name}: unknown registry ${fact.registry}`);
      continue;
    }
    try {
      const read = await factForRule(ctx, fact.registry, key, factKey(ctx, fact.registry, key), reasons);
      facts[fact.name] = read.value;
      stored[fact.name] = read.stored;
      detailsFailed ||= read.failed;
      if (facts[fact.name] === null) reasons.push(`fact ${fact.registry}/${key} missing`);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err; // e.g. private data not on this peer yet: retry
      reasons.push(`fact ${fact.registry}/${key} unreadable`);
    }
  }
  const evaluation: RuleEvaluation =
    detailsFailed || lookups.some((l) => l.failed)
      ? { decision: 'manual', reasons }
      : decide(rule, { ...variables, ...facts }, now, reasons);
  return { evaluation, facts: stored };
}

function evaluationOf(record: StepRecord): RuleEvaluation {
  return { decision: record.decision as RuleEvaluation['decision'], reasons: record.reasons ?? [] };
}
