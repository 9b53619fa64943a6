// Approval rules on the ledger: a step's rule, as its registered definition holds it, is decided
// inside the contract against the department facts it names (details merged in for the rule,
// hashed for the record) and the decision recorded as the step, so every endorser reaches it and
// anyone can see why. The caller names the step; it never says what the rule is.
import type { Context } from 'fabric-contract-api';
import { ruleActor } from './actors.ts';
import { type ApprovalRule, decide, factLookups, type RuleEvaluation } from './approval-rule.ts';
import { requireEngine } from './caller.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { registeredProcess } from './definition-registry.ts';
import { recordRuleRead, ruleOrganisation } from './endorsement.ts';
import { factForRule } from './fact-details.ts';
import { factKey } from './facts.ts';
import { registryOwner } from './registries.ts';
import { txTimestampMillis } from './state.ts';
import { type StepRecord, validateContractStep } from './step-record.ts';
import { appendCallStep, repeatedCall, stepCallHash } from './steps.ts';

/**
 * EvaluateRule: decides the step by the rule registered for its element and records it once (the
 * same call again returns the first record, another input for the step is a STEP_CONFLICT).
 */
export async function evaluateRuleStep(
  ctx: Context,
  raw: unknown,
): Promise<{ record: StepRecord; duplicate: boolean; evaluation: RuleEvaluation }> {
  const where = 'EvaluateRule';
  requireEngine(ctx, where, 'evaluate approval rules');
  const { identity, variables } = validateContractStep(raw, where, (input) => {
    if ('rule' in input)
      throw new Error(
        `${where}: field "rule" is not accepted: the rule comes from the registered definition`,
      );
  });
  const callHash = stepCallHash(where, { ...identity, variables });
  const existing = await repeatedCall(ctx, where, identity, callHash);
  if (existing) return { record: existing, duplicate: true, evaluation: evaluationOf(existing) };

  const definition = await registeredProcess(ctx, identity, where);
  const rule = definition.rules?.[identity.elementId];
  if (!rule) {
    throw new CodedContractError(
      'RULE_NOT_REGISTERED',
      `${where}: definition ${definition.key} v${definition.version} registers no approval rule for element ${identity.elementId}`,
    );
  }
  // Refused before anything is read: no endorser set could agree on such a rule (endorsement.ts).
  const owner = ruleOrganisation(rule, `${where}: element ${identity.elementId}`);
  const { evaluation, facts, read } = await evaluateRule(ctx, rule, variables);
  const result = await appendCallStep(ctx, where, callHash, {
    ...identity,
    definitionHash: definition.hash,
    actor: ruleActor(rule.id),
    decision: evaluation.decision,
    reasons: evaluation.reasons,
    dataHash: sha256Hex(canonicalJson({ variables, facts })),
  });
  // The owner's peer endorses the decision only if it reads the same facts and decides the same.
  if (owner && read.length > 0) {
    const ownFacts = Object.fromEntries(read.map((name) => [name, facts[name]]));
    await recordRuleRead(ctx, owner, {
      applicationId: identity.applicationId,
      elementInstanceId: identity.elementInstanceId,
      ruleId: rule.id,
      factsHash: sha256Hex(canonicalJson(ownFacts)),
      decision: evaluation.decision,
    });
  }
  return { ...result, evaluation: evaluationOf(result.record) };
}

/**
 * Loads the rule's facts and decides. Bad keys, missing facts and FEEL errors make it manual.
 * `read` names the facts looked up in a known registry (found or not): the owner's reads.
 */
async function evaluateRule(ctx: Context, rule: ApprovalRule, variables: Record<string, unknown>) {
  const now = txTimestampMillis(ctx.stub);
  const reasons: string[] = [];
  const lookups = factLookups(rule, variables, now, reasons);
  const facts: Record<string, unknown> = {};
  /** The facts as stored (details only as their salted hash): what the step's data hash covers. */
  const stored: Record<string, unknown> = {};
  const read: string[] = [];
  let detailsFailed = false;
  for (const { fact, key } of lookups) {
    facts[fact.name] = null;
    stored[fact.name] = null;
    if (key === null) continue;
    if (!registryOwner(fact.registry)) {
      reasons.push(`fact ${fact.name}: unknown registry ${fact.registry}`);
      continue;
    }
    read.push(fact.name);
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
  return { evaluation, facts: stored, read };
}

function evaluationOf(record: StepRecord): RuleEvaluation {
  return { decision: record.decision as RuleEvaluation['decision'], reasons: record.reasons ?? [] };
}
