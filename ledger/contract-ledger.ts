// The Ledger interface written once on top of a gateway that submits and evaluates contract
// transactions by name, so the embedded ledger and a Fabric gateway share the domain layer.

import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../chaincode/src/canonical.ts';
import { ContractError, FactTakenError } from './errors.ts';
import type {
  DecisionOutcome,
  DecisionRegistration,
  DefinitionRecord,
  EvaluateDecisionInput,
  EvaluateRuleInput,
  EventsOptions,
  FactClaimResult,
  FactVersion,
  Ledger,
  LedgerEvent,
  LedgerIdentity,
  ProcessRegistration,
  RecordResult,
  RuleEvaluation,
  StepInput,
  StepRecord,
  TrailEntry,
  VerifyReport,
} from './types.ts';

/**
 * How the domain layer reaches the contract. Both resolve with the transaction's JSON result.
 * A rejection by the contract itself (bad input, forbidden write) must reject with ContractError;
 * anything else (I/O, MVCC conflict after retries, network) with a plain Error.
 */
export interface LedgerGateway {
  /** Endorse, order and commit a transaction as `as`. */
  submit(fn: string, args: string[], as: LedgerIdentity, transient?: Record<string, string>): Promise<string>;
  /** Run a query transaction, as `as` when given (or the gateway's own identity); nothing is committed. */
  evaluate(fn: string, args: string[], as?: LedgerIdentity): Promise<string>;
  /** Committed chaincode events (Fabric: the gateway's chaincode event service). */
  events?(options: EventsOptions): AsyncIterable<LedgerEvent>;
  close?(): Promise<void>;
}

export type { FactVersion } from './types.ts';

export class ContractLedger implements Ledger {
  constructor(
    readonly kind: 'embedded' | 'fabric',
    protected readonly gateway: LedgerGateway,
  ) {}

  async recordStep(input: StepInput, as: LedgerIdentity): Promise<RecordResult> {
    return this.submitJson<RecordResult>('RecordStep', input, as);
  }

  async evaluateRule(
    input: EvaluateRuleInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { evaluation: RuleEvaluation }> {
    return this.submitStepCall<RecordResult & { evaluation: RuleEvaluation }>('EvaluateRule', input, as);
  }

  /**
   * `details` travel as transient data to the registry's private data collection, with a fresh
   * random salt (the contract cannot make one: every endorser must compute the same result).
   */
  async putFact(
    registry: string,
    key: string,
    value: unknown,
    as: LedgerIdentity,
    details?: Record<string, unknown>,
  ): Promise<{ txId: string }> {
    const transient =
      details === undefined
        ? undefined
        : { details: json(details, 'PutFact'), salt: randomBytes(32).toString('hex') };
    const result = JSON.parse(
      await this.gateway.submit('PutFact', [registry, key, json(value, 'PutFact')], as, transient),
    );
    return { txId: result.txId };
  }

  /** The public value of a fact (with `detailsHash` when it has details). */
  async getFact(registry: string, key: string): Promise<unknown | null> {
    return JSON.parse(await this.gateway.evaluate('GetFact', [registry, key]));
  }

  async factDetails(
    registry: string,
    key: string,
    as: LedgerIdentity,
  ): Promise<Record<string, unknown> | null> {
    return JSON.parse(await this.gateway.evaluate('GetFactDetails', [registry, key], as));
  }

  async claimFact(
    registry: string,
    key: string,
    value: unknown,
    as: LedgerIdentity,
  ): Promise<FactClaimResult> {
    try {
      const result = JSON.parse(
        await this.gateway.submit('ClaimFact', [registry, key, json(value, 'ClaimFact')], as),
      );
      return { txId: result.txId, duplicate: result.duplicate };
    } catch (err) {
      if (err instanceof ContractError && err.code === 'FACT_TAKEN')
        throw new FactTakenError(err.message, registry, key);
      throw err;
    }
  }

  async factHistory(registry: string, key: string): Promise<FactVersion[]> {
    return JSON.parse(await this.gateway.evaluate('GetFactHistory', [registry, key])) as FactVersion[];
  }

  async registerDefinition(def: ProcessRegistration, as: LedgerIdentity): Promise<{ txId: string }> {
    const result = await this.submitJson<Registered>('RegisterDefinition', def, as);
    return { txId: result.definition.txId };
  }

  async definitionRecord(key: string, version: number): Promise<DefinitionRecord | null> {
    return JSON.parse(await this.gateway.evaluate('GetDefinition', [key, String(version)]));
  }

  async definitionVersions(key: string): Promise<DefinitionRecord[]> {
    return JSON.parse(await this.gateway.evaluate('ListDefinitionVersions', [key])) as DefinitionRecord[];
  }

  async registerDecisions(def: DecisionRegistration, as: LedgerIdentity): Promise<{ txId: string }> {
    const result = await this.submitJson<Registered>('RegisterDecisions', def, as);
    return { txId: result.definition.txId };
  }

  async evaluateDecision(
    input: EvaluateDecisionInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { outcome: DecisionOutcome }> {
    return this.submitStepCall<RecordResult & { outcome: DecisionOutcome }>('EvaluateDecision', input, as);
  }

  /**
   * Any contract transaction by name, submitted as `as` (`govflow ledger invoke`, like `peer
   * chaincode invoke`): resolves with the contract's JSON result, rejects with its ContractError.
   */
  invoke(
    fn: string,
    args: string[],
    as: LedgerIdentity,
    transient?: Record<string, string>,
  ): Promise<string> {
    return this.gateway.submit(fn, args, as, transient);
  }

  /** Any query transaction by name, as `as` when given (`govflow ledger query`); nothing is committed. */
  query(fn: string, args: string[], as?: LedgerIdentity): Promise<string> {
    return this.gateway.evaluate(fn, args, as);
  }

  async trail(applicationId: string): Promise<TrailEntry[]> {
    return this.records(applicationId).then((records) => records.map((record) => ({ record })));
  }

  /** Records as the contract returns them (ordered by seq). */
  protected async records(applicationId: string): Promise<StepRecord[]> {
    return JSON.parse(await this.gateway.evaluate('GetTrail', [applicationId])) as StepRecord[];
  }

  async verify(applicationId: string): Promise<VerifyReport> {
    return JSON.parse(await this.gateway.evaluate('VerifyTrail', [applicationId])) as VerifyReport;
  }

  events(options: EventsOptions = {}): AsyncIterable<LedgerEvent> {
    if (!this.gateway.events) throw new Error(`the ${this.kind} ledger's gateway does not stream events`);
    return this.gateway.events(options);
  }

  async close(): Promise<void> {
    await this.gateway.close?.();
  }

  /**
   * Submits a step call whose application variables travel as transient data: the peers read them
   * to decide, and a Fabric block keeps only the rest of the proposal (the step's identity, the
   * rule or decision id); the record keeps their hash.
   */
  private async submitStepCall<T>(
    fn: string,
    { variables, ...call }: { variables: Record<string, unknown> },
    as: LedgerIdentity,
  ): Promise<T> {
    const transient = { variables: json(variables, fn) };
    return JSON.parse(await this.gateway.submit(fn, [json(call, fn)], as, transient)) as T;
  }

  /** Submits `fn` with its one argument as canonical JSON and parses the JSON result. */
  private async submitJson<T>(fn: string, arg: unknown, as: LedgerIdentity): Promise<T> {
    return JSON.parse(await this.gateway.submit(fn, [json(arg, fn)], as)) as T;
  }
}

/** What RegisterDefinition and RegisterDecisions return, as far as the ledger reads it. */
type Registered = { definition: { txId: string } };

/** Arguments travel as canonical JSON; a value that is not JSON is the caller's mistake. */
function json(value: unknown, fn: string): string {
  try {
    return canonicalJson(value);
  } catch (err) {
    throw new ContractError(`${fn}: argument is not JSON-serialisable: ${(err as Error).message}`, fn);
  }
}
