// The govflow smart contract: workflow step records (hash-chained per application), approval
// rules decided against department facts, the facts themselves, and deployed definitions.
// Arguments and results are JSON strings; results are canonical so every endorser agrees.
// Each transaction only parses its arguments and hands them to the module that owns the logic.
import contractApi, { Context, Contract } from 'fabric-contract-api';
import { requireEngine } from './caller.ts';
import { canonicalJson } from './canonical.ts';
import { evaluateDecisionStep, registerDecisions } from './decision-registry.ts';
import { getDefinition, listDefinitionVersions, registerDefinition } from './definition-registry.ts';
import { factDetails } from './fact-details.ts';
import { claimFact, factHistory, putFact, requireFactKey } from './facts.ts';
import { evaluateRuleStep } from './rule-step.ts';
import { parseJsonArg, readJson, withTransientVariables } from './state.ts';
import { requireKeyPart, validateStepInput } from './step-record.ts';
import { loadTrail, recordStep, verifyTrail } from './steps.ts';

// Named exports the CommonJS module assigns with Object.assign are invisible to ESM, hence this.
const { Info, Returns, Transaction } = contractApi;

/** A step call's input: its JSON argument, with the variables the client sent as transient data. */
const stepCallInput = (ctx: Context, inputJson: string, where: string) =>
  withTransientVariables(ctx, parseJsonArg(inputJson, where, 'inputJson'), where);

@Info({ title: 'GovflowContract', description: 'Workflow step records, approval rules, department facts' })
export class GovflowContract extends Contract {
  constructor() {
    super('govflow');
  }

  /**
   * Records a step of the engine once: the same input again returns the first record, another
   * input for the element instance is a STEP_CONFLICT. Only the engine organisation may call it.
   */
  @Transaction()
  @Returns('string')
  async RecordStep(ctx: Context, inputJson: string): Promise<string> {
    requireEngine(ctx, 'RecordStep', 'record engine steps');
    const input = validateStepInput(parseJsonArg(inputJson, 'RecordStep', 'inputJson'), 'RecordStep');
    return canonicalJson(await recordStep(ctx, input));
  }

  /** Decides a step by its registered approval rule against ledger facts and records the decision. */
  @Transaction()
  @Returns('string')
  async EvaluateRule(ctx: Context, inputJson: string): Promise<string> {
    return canonicalJson(await evaluateRuleStep(ctx, stepCallInput(ctx, inputJson, 'EvaluateRule')));
  }

  /**
   * A department puts a fact in its own registry; no other organisation may. Personal fields go
   * in the transient `details` (with a `salt`) to the registry's private data collection.
   */
  @Transaction()
  @Returns('string')
  async PutFact(ctx: Context, registry: string, key: string, valueJson: string): Promise<string> {
    return canonicalJson(await putFact(ctx, registry, key, valueJson));
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
    return canonicalJson(await readJson(ctx.stub, requireFactKey(ctx, registry, key, 'GetFact')));
  }

  /** The personal details of a fact, for clients of the collection's member organisations only. */
  @Transaction(false)
  @Returns('string')
  async GetFactDetails(ctx: Context, registry: string, key: string): Promise<string> {
    const stateKey = requireFactKey(ctx, registry, key, 'GetFactDetails');
    return canonicalJson(await factDetails(ctx, registry, key, stateKey));
  }

  /** Every version of a fact, newest first (as Fabric's history database returns them). */
  @Transaction(false)
  @Returns('string')
  async GetFactHistory(ctx: Context, registry: string, key: string): Promise<string> {
    return canonicalJson(await factHistory(ctx, requireFactKey(ctx, registry, key, 'GetFactHistory')));
  }

  /** Registers a deployed definition; the same key and version can never change content. */
  @Transaction()
  @Returns('string')
  async RegisterDefinition(ctx: Context, definitionJson: string): Promise<string> {
    requireEngine(ctx, 'RegisterDefinition', 'register definitions');
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

  /**
   * Evaluates the latest version of a DMN decision, if the registered definition lets the step's
   * element call it, and records its outcome as the step.
   */
  @Transaction()
  @Returns('string')
  async EvaluateDecision(ctx: Context, inputJson: string): Promise<string> {
    return canonicalJson(await evaluateDecisionStep(ctx, stepCallInput(ctx, inputJson, 'EvaluateDecision')));
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
    return canonicalJson(await verifyTrail(ctx, applicationId));
  }
}
