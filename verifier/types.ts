// The shapes a receipt is made of. The field lists mirror the ledger's (TxRecord, StepRecord,
// checkpoints) without importing them, so this folder stands alone.

export interface PublishedKey {
  /** base64 SPKI DER of an Ed25519 public key. */
  publicKey: string;
  /** SHA-256 hex of the SPKI DER bytes. */
  fingerprint: string;
}

export interface OrganisationKey extends PublishedKey {
  mspId: string;
}

/** The keys a verifier trusts, obtained from outside the receipt (/.well-known/govflow-ledger.json). */
export interface PinnedKeys {
  ledger: PublishedKey;
  organisations: OrganisationKey[];
}

/** A ledger transaction as stored in its block (the ledger's TxRecord). */
export interface Transaction {
  txId: string;
  fn: string;
  creator: { mspId: string; id: string };
  timestamp: string;
  writes: { key: string; value: string | null }[];
  valid: boolean;
  /** base64 Ed25519 by the creator organisation over canonicalJson(tx without signature and valid). */
  signature: string;
  [field: string]: unknown;
}

export interface TxInclusion {
  txId: string;
  blockNumber: number;
  txIndex: number;
  leafIndex: number;
  treeSize: number;
  tx: Transaction;
  /** RFC 6962 audit path, leaf to root, hex. */
  proof: string[];
}

export interface CheckpointBody {
  format: 'govflow-checkpoint/1';
  /** Fingerprint of the ledger key that signs it. */
  ledgerKey: string;
  size: number;
  root: string;
  blockNumber: number;
  timestamp: string;
}

export interface WitnessSignature {
  mspId: string;
  keyFingerprint: string;
  /** base64 Ed25519 over canonicalJson({ format: 'govflow-witness/1', checkpoint: body }). */
  signature: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  signature: string;
  witnesses: WitnessSignature[];
}

export interface StepRecord {
  applicationId: string;
  elementId: string;
  elementInstanceId: string;
  actor: string;
  decision: string;
  dataHash: string;
  definitionKey?: string;
  definitionHash?: string;
  seq: number;
  txId: string;
  timestamp: string;
  prevHash: string;
  hash: string;
  [field: string]: unknown;
}

export interface Receipt {
  format: 'govflow-receipt/1';
  applicationId: string;
  issuedAt: string;
  definition: {
    key: string;
    version: number;
    hash: string;
    modelHash?: string;
    registration: TxInclusion;
  } | null;
  records: { record: StepRecord; inclusion: TxInclusion }[];
  checkpoint: SignedCheckpoint;
  keys: PinnedKeys;
}

/** What a verifier fetched from the ledger now, to check the receipt against it. */
export interface CurrentLedger {
  checkpoint: SignedCheckpoint;
  /** Consistency proof from the receipt's checkpoint size to the current one. */
  consistency: string[];
  /** Inclusion proofs of the receipt's transactions in the current tree, by txId (null: not found). */
  inclusions?: Record<string, CurrentInclusion | null>;
}

/** Where the ledger now places a transaction, and the audit path to its current root. */
export interface CurrentInclusion {
  leafIndex: number;
  treeSize: number;
  proof: string[];
}

export type CheckStatus = 'valid' | 'invalid' | 'not checked';

export interface Check {
  /** Stable name of the check, e.g. `checkpoint-signature`. */
  check: string;
  status: CheckStatus;
  /** What was found, naming the first record or transaction that fails. */
  detail: string;
  /** The first failing record, when the check is about records. */
  record?: { seq: number; elementInstanceId: string; txId: string };
  /** The first failing transaction. */
  txId?: string;
}

export interface ReceiptReport {
  /** True when no check is invalid and the receipt's core checks ran. */
  valid: boolean;
  applicationId: string;
  checks: Check[];
}
