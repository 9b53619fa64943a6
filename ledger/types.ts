// The client side of the ledger: one interface, implemented by the embedded ledger (default) and,
// later, by a Fabric gateway. Activities and the API talk only to this.
import type { DecisionGraph } from '../chaincode/src/decision.ts';
import type { DecisionOutcome } from '../chaincode/src/decision-registry.ts';
import type { DefinitionRecord } from '../chaincode/src/definition-registry.ts';
import type { FactVersion } from '../chaincode/src/facts.ts';
import type { StepInput, StepRecord } from '../chaincode/src/step-record.ts';
import type { ApprovalRule } from '../definitions/model.ts';

/** Who submits a transaction: the organisation (Fabric MSP id) and the user within it. */
export interface LedgerIdentity {
  mspId: string;
  id: string;
}

export type { DecisionOutcome } from '../chaincode/src/decision-registry.ts';
export type { DefinitionRecord } from '../chaincode/src/definition-registry.ts';
export type { FactVersion } from '../chaincode/src/facts.ts';
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

/**
 * A contract-decided step names itself and its registered definition (key and version; a hash,
 * when given, must be the registered one); the contract takes the rule or decision from there.
 */
export interface ContractStepInput
  extends Omit<
    StepInput,
    'decision' | 'reasons' | 'actor' | 'dataHash' | 'definitionKey' | 'definitionVersion'
  > {
  definitionKey: string;
  definitionVersion: number;
}

export interface EvaluateRuleInput extends ContractStepInput {
  /** Application variables the fact keys and conditions read; only their hash is stored. */
  variables: Record<string, unknown>;
}

export interface EvaluateDecisionInput extends ContractStepInput {
  /** Must be the decision the registered definition lets this element call. */
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
  /** SHA-256 of the deployed source (BPMN/DMN XML). */
  hash: string;
  deployer: string;
}

/** A deployed process: what decides its steps, registered with it (the contract reads it from there). */
export interface ProcessRegistration extends DefinitionRegistration {
  /** SHA-256 of the canonical JSON of the compiled model (ledger/model-hash.ts). */
  modelHash: string;
  /** Each step's approval rule, by element id. */
  rules: Record<string, ApprovalRule>;
  /** The decision each business rule task calls, by element id. */
  decisionCalls: Record<string, string>;
}

/** A deployed DMN model: its definition record plus the decisions the contract evaluates. */
export interface DecisionRegistration extends DefinitionRegistration {
  graph: DecisionGraph;
}

/** A chaincode event of a committed, valid transaction, at its place in commit order. */
export interface LedgerEvent {
  name: string;
  /** The payload parsed as JSON (the raw text when it is not JSON). */
  payload: unknown;
  txId: string;
  blockNumber: number;
  /** Index of the transaction in its block. */
  txIndex: number;
  /** Index of the event in its transaction (Fabric keeps one per transaction: 0). */
  eventIndex: number;
  /** The transaction's timestamp, ISO 8601. */
  timestamp: string;
}

/**
 * The last event a consumer processed, like fabric-gateway's Checkpoint. Without txIndex the
 * whole block counts as processed, unless txId names the last processed transaction in it.
 * A txId that does not match the ledger at that position is refused (a different ledger).
 */
export interface EventCheckpoint {
  blockNumber: number;
  txIndex?: number;
  /** Without it, every event of the transaction counts as processed. */
  eventIndex?: number;
  txId?: string;
}

export interface EventsOptions {
  /** Deliver only events after this position; it wins over `from`. */
  after?: EventCheckpoint;
  /** Without `after`: every event since the first block (default), or only new ones. */
  from?: 'start' | 'now';
  /** Ends the iteration (quietly) when aborted. */
  signal?: AbortSignal;
}

export interface FactClaimResult {
  /** The claiming transaction, or for a duplicate the one that already holds the same value. */
  txId: string;
  duplicate: boolean;
}

export interface Ledger {
  readonly kind: 'embedded' | 'fabric';
  /** Signed checkpoints, inclusion and consistency proofs, witness co-signatures (embedded ledger). */
  readonly anchors?: import('./anchors/types.ts').LedgerAnchors;
  /** A Fabric ledger's blocks and channel configuration, for receipts (Fabric ledger). */
  readonly fabricBlocks?: import('./fabric/blocks.ts').FabricBlocks;
  recordStep(input: StepInput, as: LedgerIdentity): Promise<RecordResult>;
  /** Evaluates the step's registered approval rule against ledger facts and records the decision. */
  evaluateRule(
    input: EvaluateRuleInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { evaluation: RuleEvaluation }>;
  /**
   * Puts a fact in its owner's registry. `value` is public and must not hold the registry's
   * personal fields; those go in `details`, kept in the registry's private data collection while
   * the value carries their salted hash (`detailsHash`).
   */
  putFact(
    registry: string,
    key: string,
    value: unknown,
    as: LedgerIdentity,
    details?: Record<string, unknown>,
  ): Promise<{ txId: string }>;
  /** The public value of a fact, or null. */
  getFact(registry: string, key: string): Promise<unknown | null>;
  /** A fact's details, for an organisation that is a member of the registry's collection; null if none. */
  factDetails(registry: string, key: string, as: LedgerIdentity): Promise<Record<string, unknown> | null>;
  /**
   * Put-if-absent, with putFact's owner rule: of concurrent claims of one key exactly one wins; the
   * same value again is a duplicate; a different value rejects with FactTakenError (ledger/errors.ts).
   */
  claimFact(registry: string, key: string, value: unknown, as: LedgerIdentity): Promise<FactClaimResult>;
  /** Every version of a fact, newest first. */
  factHistory(registry: string, key: string): Promise<FactVersion[]>;
  /** Registers a process version with its rules, decision calls and model hash (GovflowMSP only). */
  registerDefinition(def: ProcessRegistration, as: LedgerIdentity): Promise<{ txId: string }>;
  /** A registered definition version (process or DMN model) as the ledger holds it, or null. */
  definitionRecord(key: string, version: number): Promise<DefinitionRecord | null>;
  /** Every registered version of a definition key, oldest first. */
  definitionVersions(key: string): Promise<DefinitionRecord[]>;
  /** Registers a DMN model; each of its decisions becomes the latest version of its id. */
  registerDecisions(def: DecisionRegistration, as: LedgerIdentity): Promise<{ txId: string }>;
  /** Evaluates the decision the registered definition lets the element call; records its outcome. */
  evaluateDecision(
    input: EvaluateDecisionInput,
    as: LedgerIdentity,
  ): Promise<RecordResult & { outcome: DecisionOutcome }>;
  trail(applicationId: string): Promise<TrailEntry[]>;
  /** Checks the stored records (and, where the ledger keeps them locally, the blocks). */
  verify(applicationId: string): Promise<VerifyReport>;
  /** Committed chaincode events of valid transactions in commit order, following new commits. */
  events(options?: EventsOptions): AsyncIterable<LedgerEvent>;
  close(): Promise<void>;
}
