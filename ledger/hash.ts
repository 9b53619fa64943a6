// The ledger's hashing, for callers that must hash data exactly as the contract does.
export { canonicalJson, sha256Hex } from '../chaincode/src/canonical.ts';
