// The client side of the ledger: one interface, implemented by the embedded ledger (default) and,
// later, by a Fabric gateway. Activities and the API talk only to this.
import type { DecisionGraph } from '../chaincode/src/decision.ts';
import type { DecisionOutcome } from '../chaincode/src/decision-registry.ts';
import type { StepInput, StepRecord } from '../chaincode/src/step-record.ts';
import type { ApprovalRule } from '../definitions/model.ts';

/** Who submits a transaction: the organisation (Fabric MSP id) and the user within it. */
export interface LedgerIdentity {
  mspId: string;
  id: string;
}

export type { DecisionOutcome } from '../chaincode/src/decision-registry.ts';
export type { StepInput, StepRecord } from '../chaincode/src/step-record.ts';

export interface RecordResult {
  record: StepRecord;
  /** True when the record already existed (a retry); nothing was written. */
  duplicate: boolean;
}

export type RuleDecision = 'approve' | 'reject' | 'manual';

export interface RuleEvaluation {
  decision: RuleDecision;
  reasons: string[];
}

export interface EvaluateRuleInput extends Omit<StepInput, 'decision' | 'reasons' | 'actor' | 'dataHash'> {
  rule: ApprovalRule;
  /** Application variables the fact keys and conditions read; only their hash is stored. */
  variables: Record<string, unknown>;
}

export interface EvaluateDecisionInput
  extends Omit<StepInput, 'decision' | 'reasons' | 'actor' | 'dataHash'> {
  decisionId: string;
  /** The decision's context; only their hash is stored, with the outcome. */
  variables: Record<string, unknown>;
}

export interface TrailEntry {
  record: StepRecord;
  blockNumber?: number;
}

export interface VerifyProblem {
  /** What is wrong, naming the record (application, element instance, tx id) or block. */
  message: string;
  blockNumber?: number;
  txId?: string;
  elementInstanceId?: string;
}

export interface VerifyReport {
  valid: boolean;
  /** Number of records checked. */
  records: number;
  problems: VerifyProblem[];
}

export interface DefinitionRegistration {
  key: string;
  version: number;
  hash: string;
  deployer: string;
}

/** A deployed DMN model: its definition record plus the decisions the contract evaluates. */
export interface DecisionRegistration extends DefinitionRegistration {
  graph: DecisionGraph;
}

export interface Ledger {
  readonly kind: 'embedded' | 'fabric';
  recordStep(input: StepInput, as: LedgerIdentity): Promise<RecordResult>;
  /** Evaluates an approval rule against ledger facts and records the decision as the step. */
  evaluateRule(
    input: EvaluateRuleInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { evaluation: RuleEvaluation }>;
  putFact(registry: string, key: string, value: unknown, as: LedgerIdentity): Promise<{ txId: string }>;
  getFact(registry: string, key: string): Promise<unknown | null>;
  registerDefinition(def: DefinitionRegistration, as: LedgerIdentity): Promise<{ txId: string }>;
  /** Registers a DMN model; each of its decisions becomes the latest version of its id. */
  registerDecisions(def: DecisionRegistration, as: LedgerIdentity): Promise<{ txId: string }>;
  /** Evaluates the latest version of a decision and records its outcome as the step. */
  evaluateDecision(
    input: EvaluateDecisionInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { outcome: DecisionOutcome }>;
  trail(applicationId: string): Promise<TrailEntry[]>;
  /** Checks the stored records (and, where the ledger keeps them locally, the blocks). */
  verify(applicationId: string): Promise<VerifyReport>;
  close(): Promise<void>;
}
