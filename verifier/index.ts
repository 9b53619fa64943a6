// The receipt verifier: standalone (no imports from the application, no node: modules), so the
// same code runs in the CLI, in tests and in a browser. See README.md for the receipt format.
export { canonicalJson } from './canonical.ts';
export { checkpointBody, transactionMessage } from './checks.ts';
export { fromBase64, fromHex, sha256Hex, toBase64, toHex } from './encoding.ts';
export {
  type FabricReceipt,
  type FabricTxRef,
  isFabricReceipt,
  type PinnedFabricTrust,
  verifyFabricReceipt,
} from './fabric-receipt.ts';
export {
  FABRIC_TRUST_FORMAT,
  type FabricOrganisation,
  type FabricTrust,
  trustFingerprint,
} from './fabric-trust.ts';
export { checkConsistency, checkInclusion, leafHash, nodeHash, transactionLeafHash } from './merkle.ts';
export { type VerifyOptions, verifyReceipt } from './receipt.ts';
export { chainProblem, definitionKey, stepKey, stepRecordHash } from './records.ts';
export { sha256 } from './sha256.ts';
export { fingerprint, verifyEd25519 } from './signatures.ts';
export type * from './types.ts';
