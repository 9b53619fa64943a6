// The anchors of the embedded ledger: what a verifier needs to check a transaction without
// trusting the ledger's files. A Merkle tree over every transaction (RFC 6962 hashing), signed
// checkpoints (tree heads) issued after each commit, inclusion and consistency proofs, and the
// co-signatures of witnesses (department organisations) over checkpoints they have checked.
//
// Serialisation: everything hashed or signed is canonicalJson (chaincode/src/canonical.ts).
//   leafBytes  = UTF-8(canonicalJson({ blockNumber, txIndex, tx }))   (tx = the stored TxRecord)
//   leafHash   = SHA-256(0x00 || leafBytes), nodeHash = SHA-256(0x01 || left || right)
//   checkpoint signature = Ed25519 (ledger key) over UTF-8(canonicalJson(CheckpointBody))
//   witness signature    = Ed25519 (organisation key) over
//                          UTF-8(canonicalJson({ format: "govflow-witness/1", checkpoint: CheckpointBody }))
// The checkpoint and key shapes are the verifier's own, so the ledger serves exactly what it checks.
import type {
  CheckpointBody,
  PublishedKey,
  SignedCheckpoint,
  TxInclusion as VerifierTxInclusion,
  WitnessSignature,
} from '../../verifier/types.ts';

import type { TxRecord } from '../embedded/block-store.ts';

export const CHECKPOINT_FORMAT = 'govflow-checkpoint/1';
export const WITNESS_FORMAT = 'govflow-witness/1';

export type { CheckpointBody, PublishedKey, SignedCheckpoint, WitnessSignature };

/** A transaction with its leaf position and audit path, as the verifier reads it, with the stored TxRecord. */
export type TxInclusion = Omit<VerifierTxInclusion, 'tx'> & { tx: TxRecord };

export interface LedgerAnchors {
  /** The ledger's public key (base64 SPKI) and fingerprint, and each organisation's, from the genesis block. */
  keys(): Promise<{ ledger: PublishedKey; organisations: (PublishedKey & { mspId: string })[] }>;
  /** The newest checkpoint, with the witness signatures stored for it. */
  latestCheckpoint(): Promise<SignedCheckpoint>;
  /** A stored checkpoint of exactly that tree size (with its witness signatures), or null. */
  checkpoint(size: number): Promise<SignedCheckpoint | null>;
  /** The newest checkpoint that has at least `minWitnesses` witness signatures, or null. */
  latestWitnessedCheckpoint(minWitnesses: number): Promise<SignedCheckpoint | null>;
  /** The transaction with that id, its leaf position and an inclusion proof to the tree of `treeSize` leaves. */
  inclusion(txId: string, treeSize: number): Promise<TxInclusion | null>;
  /** Consistency proof between two tree sizes (from <= to <= current size), RFC 6962 PROOF, hex. */
  consistency(fromSize: number, toSize: number): Promise<string[]>;
  /**
   * Checks a witness signature (organisation key from the genesis block, checkpoint of that size
   * stored) and stores it. Idempotent. Throws an Error naming what is wrong: unknown size,
   * unknown organisation, the engine's (GovflowMSP) or the ledger's own key, bad signature.
   */
  addWitnessSignature(size: number, witness: WitnessSignature): Promise<void>;
}
