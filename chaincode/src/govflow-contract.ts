// The govflow smart contract: workflow step records (hash-chained per application), approval
// rules decided against department facts, the facts themselves, and deployed definitions.
// Arguments and results are JSON strings; results are canonical so every endorser agrees.
import contractApi, { Context, Contract } from 'fabric-contract-api';
import {
  type ApprovalRule,
  decide,
  factLookups,
  type RuleEvaluation,
  validateRule,
} from './approval-rule.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { evaluateDecisionStep, registerDecisions } from './decision-registry.ts';
import { getDefinition, listDefinitionVersions, registerDefinition } from './definition-registry.ts';
import { factDetails, factForRule, sealDetails } from './fact-details.ts';
import { checkFactWrite, claimFact, factKey, knownRegistry } from './fact-writes.ts';
import { registryOwner } from './registries.ts';
import {
  eventPayload,
  parseJsonArg,
  putJson,
  readJson,
  timestampMillis,
  txTimestampMillis,
  utf8,
  withTransientVariables,
} from './state.ts';
import {
  type ChainHead,
  requireKeyPart,
  type StepRecord,
  validateContractStep,
  validateStepInput,
  verifyRecords,
} from './step-record.ts';
import { appendStep, existingStep, headKey, loadTrail, recordStep } from './steps.ts';

// Named exports the CommonJS module assigns with Object.assign are invisible to ESM, hence this.
const { Info, Returns, Transaction } = contractApi;

@Info({ title: 'GovflowContract', description: 'Workflow step records, approval rules, department facts' })
export class GovflowContract extends Contract {
  constructor() {
    super('govflow');
  }

  /** Records a step once: a retry with the same element instance returns the first record. */
  @Transaction()
  @Returns('string')
  async RecordStep(ctx: Context, inputJson: string): Promise<string> {
    const input = validateStepInput(parseJsonArg(inputJson, 'RecordStep', 'inputJson'), 'RecordStep');
    return canonicalJson(await recordStep(ctx, input));
  }

  /** Decides a step by its approval rule against ledger facts and records the decision. */
  @Transaction()
  @Returns('string')
  async EvaluateRule(ctx: Context, inputJson: string): Promise<string> {
    const where = 'EvaluateRule';
    const {
      identity,
      variables,
      call: rule,
    } = validateContractStep(
      withTransientVariables(ctx, parseJsonArg(inputJson, where, 'inputJson'), where),
      where,
      (input) => validateRule(input.rule, where),
    );
    const existing = await existingStep(ctx, identity.applicationId, identity.elementInstanceId);
    if (existing)
      return canonicalJson({ record: existing, duplicate: true, evaluation: evaluationOf(existing) });

    const { evaluation, facts } = await evaluateRule(ctx, rule, variables);
    const result = await appendStep(ctx, {
      ...identity,
      actor: `contract:${rule.id}`,
      decision: evaluation.decision,
      reasons: evaluation.reasons,
      dataHash: sha256Hex(canonicalJson({ variables, facts })),
    });
    return canonicalJson({ ...result, evaluation: evaluationOf(result.record) });
  }

  /**
   * A department puts a fact in its own registry; no other organisation may. Personal fields go
   * in the transient `details` (with a `salt`) to the registry's private data collection.
   */
  @Transaction()
  @Returns('string')
  async PutFact(ctx: Context, registry: string, key: string, valueJson: string): Promise<string> {
    const { stateKey, value } = checkFactWrite(ctx, registry, key, valueJson, 'PutFact');
    await putJson(ctx.stub, stateKey, await sealDetails(ctx, registry, stateKey, value, 'PutFact'));
    const txId = ctx.stub.getTxID();
    ctx.stub.setEvent('FactPut', eventPayload({ registry, key, txId }));
    return canonicalJson({ txId, registry, key });
  }

  /** Put-if-absent under PutFact's owner rule: the same value again is a duplicate, another fails. */
  @Transaction()
  @Returns('string')
  async ClaimFact(ctx: Context, registry: string, key: string, valueJson: string): Promise<string> {
    return canonicalJson(await claimFact(ctx, registry, key, valueJson));
  }

  @Transaction(false)
  @Returns('string')
  async GetFact(ctx: Context, registry: string, key: string): Promise<string> {
    knownRegistry(registry, 'GetFact');
    requireKeyPart(key, 'key', 'GetFact');
    return canonicalJson(await readJson(ctx.stub, factKey(ctx, registry, key)));
  }

  /** The personal details of a fact, for clients of the collection's member organisations only. */
  @Transaction(false)
  @Returns('string')
  async GetFactDetails(ctx: Context, registry: string, key: string): Promise<string> {
    knownRegistry(registry, 'GetFactDetails');
    requireKeyPart(key, 'key', 'GetFactDetails');
    return canonicalJson(await factDetails(ctx, registry, key, factKey(ctx, registry, key)));
  }

  /** Every version of a fact, newest first (as Fabric's history database returns them). */
  @Transaction(false)
  @Returns('string')
  async GetFactHistory(ctx: Context, registry: string, key: string): Promise<string> {
    knownRegistry(registry, 'GetFactHistory');
    requireKeyPart(key, 'key', 'GetFactHistory');
    const history: { txId: string; timestamp: string; isDelete: boolean; value: unknown }[] = [];
    for await (const mod of ctx.stub.getHistoryForKey(factKey(ctx, registry, key))) {
      const text = utf8(mod.value);
      history.push({
        txId: mod.txId,
        timestamp: new Date(timestampMillis(mod.timestamp as never)).toISOString(),
        isDelete: mod.isDelete,
        value: mod.isDelete || text === '' ? null : JSON.parse(text),
      });
    }
    return canonicalJson(history);
  }

  /** Registers a deployed definition; the same key and version can never change content. */
  @Transaction()
  @Returns('string')
  async RegisterDefinition(ctx: Context, definitionJson: string): Promise<string> {
    const def = parseJsonArg(definitionJson, 'RegisterDefinition', 'definitionJson');
    return canonicalJson(await registerDefinition(ctx, def, 'RegisterDefinition'));
  }

  /** A registered definition version (process or decision model), or null. */
  @Transaction(false)
  @Returns('string')
  async GetDefinition(ctx: Context, key: string, version: string): Promise<string> {
    return canonicalJson(await getDefinition(ctx, key, Number(version), 'GetDefinition'));
  }

  /** Every registered version of a definition key, oldest first. */
  @Transaction(false)
  @Returns('string')
  async ListDefinitionVersions(ctx: Context, key: string): Promise<string> {
    return canonicalJson(await listDefinitionVersions(ctx, key, 'ListDefinitionVersions'));
  }

  /** Registers a deployed DMN model and makes its decisions the latest of their ids. */
  @Transaction()
  @Returns('string')
  async RegisterDecisions(ctx: Context, registrationJson: string): Promise<string> {
    const registration = parseJsonArg(registrationJson, 'RegisterDecisions', 'registrationJson');
    return canonicalJson(await registerDecisions(ctx, registration));
  }

  /** Evaluates the latest version of a DMN decision and records its outcome as the step. */
  @Transaction()
  @Returns('string')
  async EvaluateDecision(ctx: Context, inputJson: string): Promise<string> {
    const where = 'EvaluateDecision';
    const input = withTransientVariables(ctx, parseJsonArg(inputJson, where, 'inputJson'), where);
    return canonicalJson(await evaluateDecisionStep(ctx, input));
  }

  /** The application's step records ordered by seq; unreadable values are left to VerifyTrail. */
  @Transaction(false)
  @Returns('string')
  async GetTrail(ctx: Context, applicationId: string): Promise<string> {
    requireKeyPart(applicationId, 'applicationId', 'GetTrail');
    const { records } = await loadTrail(ctx, applicationId);
    return canonicalJson(records.map((r) => r.record));
  }

  /** Recomputes every record hash, the prevHash chain and seq continuity from world state. */
  @Transaction(false)
  @Returns('string')
  async VerifyTrail(ctx: Context, applicationId: string): Promise<string> {
    requireKeyPart(applicationId, 'applicationId', 'VerifyTrail');
    const { records, unreadable } = await loadTrail(ctx, applicationId);
    let head: ChainHead | null = null;
    try {
      head = await readJson<ChainHead>(ctx.stub, headKey(ctx, applicationId));
    } catch {
      unreadable.push({
        message: `application ${applicationId}: chain head is not valid JSON — content was altered`,
      });
    }
    const problems = [...unreadable, ...verifyRecords(applicationId, records, head)];
    return canonicalJson({ valid: problems.length === 0, records: records.length, problems });
  }
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
