// DMN decisions on the ledger: a deployed decision model is stored with its definition record,
// each of its decisions becomes the latest version of its id, and a business rule task's call
// evaluates that version inside the contract (FEEL clock at the transaction time) and records
// the outcome as the step, so every endorser reaches it and anyone can see which table decided.
import type { Context } from 'fabric-contract-api';
import { decisionActor } from './actors.ts';
import { atTransactionTime } from './approval-rule.ts';
import { requireEngine } from './caller.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { CodedContractError } from './contract-errors.ts';
import { type DecisionGraph, validateDecisionGraph } from './decision.ts';
import { evaluateDecision } from './decision-table.ts';
import { type DefinitionRecord, registerDefinition, registeredProcess } from './definition-registry.ts';
import { putJson, readJson, txTimestampMillis } from './state.ts';
import { requireKeyPart, requireObject, type StepRecord, validateContractStep } from './step-record.ts';
import { appendCallStep, repeatedCall, stepCallHash } from './steps.ts';

/** Which deployed model and version a decision id currently resolves to. */
export interface DecisionVersion {
  decisionId: string;
  key: string;
  version: number;
  hash: string;
}

/** What a decision call returned, kept beside its step so a retried call returns the same. */
export interface DecisionOutcome extends DecisionVersion {
  output: unknown;
  matchedRules: string[];
  /** Required decisions evaluated on the way, with the rules that matched in each. */
  evaluated: { decisionId: string; matchedRules: string[] }[];
}

const graphKey = (ctx: Context, key: string, version: number) =>
  ctx.stub.createCompositeKey('decision-graph', [key, String(version).padStart(8, '0')]);
const latestKey = (ctx: Context, decisionId: string) => ctx.stub.createCompositeKey('decision', [decisionId]);
const outcomeKey = (ctx: Context, applicationId: string, elementInstanceId: string) =>
  ctx.stub.createCompositeKey('decision-outcome', [applicationId, elementInstanceId]);

export async function registerDecisions(
  ctx: Context,
  raw: unknown,
): Promise<{ definition: DefinitionRecord; duplicate: boolean; decisions: string[] }> {
  const where = 'RegisterDecisions';
  requireEngine(ctx, where, 'register decision models');
  const input = requireObject(raw, where);
  const graph = validateDecisionGraph(input.graph, where);
  if (graph.id !== input.key)
    throw new Error(
      `${where}: field "key" (${String(input.key)}) must be the decision model's id (${graph.id})`,
    );
  const { graph: _graph, ...definition } = input;
  const registered = await registerDefinition(ctx, definition, where, 'decisions');
  const decisions = graph.decisions.map((d) => d.id);
  if (registered.duplicate) return { ...registered, decisions };
  const { key, version, hash } = registered.definition;
  await putJson(ctx.stub, graphKey(ctx, key, version), graph);
  for (const decisionId of decisions) {
    requireKeyPart(decisionId, 'graph.decisions[].id', where);
    await putJson(ctx.stub, latestKey(ctx, decisionId), { decisionId, key, version, hash });
  }
  return { ...registered, decisions };
}

export async function evaluateDecisionStep(
  ctx: Context,
  raw: unknown,
): Promise<{ record: StepRecord; duplicate: boolean; outcome: DecisionOutcome }> {
  const where = 'EvaluateDecision';
  requireEngine(ctx, where, 'evaluate decisions');
  const {
    identity,
    variables,
    call: decisionId,
  } = validateContractStep(raw, where, (input) => {
    requireKeyPart(input.decisionId, 'decisionId', where);
    return input.decisionId;
  });

  const callHash = stepCallHash(where, { ...identity, decisionId, variables });
  const existing = await repeatedCall(ctx, where, identity, callHash);
  if (existing) {
    const outcome = await readJson<DecisionOutcome>(
      ctx.stub,
      outcomeKey(ctx, identity.applicationId, identity.elementInstanceId),
    );
    if (!outcome)
      throw new Error(`${where}: step ${identity.elementInstanceId} was recorded without a decision outcome`);
    return { record: existing, duplicate: true, outcome };
  }

  const definition = await registeredProcess(ctx, identity, where);
  if (definition.decisionCalls?.[identity.elementId] !== decisionId) {
    const allowed = definition.decisionCalls?.[identity.elementId];
    throw new CodedContractError(
      'DECISION_NOT_ALLOWED',
      `${where}: definition ${definition.key} v${definition.version} lets element ${identity.elementId} call ${allowed ? `decision "${allowed}"` : 'no decision'}, not "${decisionId}"`,
    );
  }
  const deployed = await readJson<DecisionVersion>(ctx.stub, latestKey(ctx, decisionId));
  if (!deployed) throw new Error(`decision "${decisionId}" is not deployed: deploy its DMN model`);
  const graph = await readJson<DecisionGraph>(ctx.stub, graphKey(ctx, deployed.key, deployed.version));
  if (!graph)
    throw new Error(`decision model ${deployed.key} v${deployed.version} is missing from the ledger`);
  const result = atTransactionTime(txTimestampMillis(ctx.stub), () =>
    evaluateDecision(graph, decisionId, variables),
  );
  const outcome: DecisionOutcome = {
    ...deployed,
    output: result.output,
    matchedRules: result.matchedRules,
    evaluated: result.evaluated.map((e) => ({ decisionId: e.decisionId, matchedRules: e.matchedRules })),
  };
  const matched = result.matchedRules.length > 0 ? `rules ${result.matchedRules.join(', ')}` : 'no rule';
  const recorded = await appendCallStep(ctx, where, callHash, {
    ...identity,
    definitionHash: definition.hash,
    actor: decisionActor(decisionId),
    decision: 'decided',
    reasons: [`decision ${decisionId} of ${deployed.key} v${deployed.version}: ${matched} matched`],
    dataHash: sha256Hex(canonicalJson({ variables, output: result.output })),
  });
  await putJson(ctx.stub, outcomeKey(ctx, identity.applicationId, identity.elementInstanceId), outcome);
  return { ...recorded, outcome };
}
