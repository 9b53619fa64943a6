// The Ledger interface written once on top of a gateway that submits and evaluates contract
// transactions by name, so the embedded ledger and a Fabric gateway share the domain layer.

import { canonicalJson } from '../chaincode/src/canonical.ts';
import { ContractError } from './errors.ts';
import type {
  DecisionOutcome,
  DecisionRegistration,
  DefinitionRegistration,
  EvaluateDecisionInput,
  EvaluateRuleInput,
  Ledger,
  LedgerIdentity,
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
  submit(fn: string, args: string[], as: LedgerIdentity): Promise<string>;
  /** Run a query transaction; nothing is committed. */
  evaluate(fn: string, args: string[]): Promise<string>;
  close?(): Promise<void>;
}

export interface FactVersion {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: unknown;
}

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
    return this.submitJson<RecordResult & { evaluation: RuleEvaluation }>('EvaluateRule', input, as);
  }

  async putFact(
    registry: string,
    key: string,
    value: unknown,
    as: LedgerIdentity,
  ): Promise<{ txId: string }> {
    const result = JSON.parse(
      await this.gateway.submit('PutFact', [registry, key, json(value, 'PutFact')], as),
    );
    return { txId: result.txId };
  }

  async getFact(registry: string, key: string): Promise<unknown | null> {
    return JSON.parse(await this.gateway.evaluate('GetFact', [registry, key]));
  }

  /** Every version of a fact, newest first. Not part of Ledger: for audits and tests. */
  async factHistory(registry: string, key: string): Promise<FactVersion[]> {
    return JSON.parse(await this.gateway.evaluate('GetFactHistory', [registry, key])) as FactVersion[];
  }

  async registerDefinition(def: DefinitionRegistration, as: LedgerIdentity): Promise<{ txId: string }> {
    const result = await this.submitJson<Registered>('RegisterDefinition', def, as);
    return { txId: result.definition.txId };
  }

  async registerDecisions(def: DecisionRegistration, as: LedgerIdentity): Promise<{ txId: string }> {
    const result = await this.submitJson<Registered>('RegisterDecisions', def, as);
    return { txId: result.definition.txId };
  }

  async evaluateDecision(
    input: EvaluateDecisionInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { outcome: DecisionOutcome }> {
    return this.submitJson<RecordResult & { outcome: DecisionOutcome }>('EvaluateDecision', input, as);
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

  async close(): Promise<void> {
    await this.gateway.close?.();
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
