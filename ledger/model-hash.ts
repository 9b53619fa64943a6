// The hash of a compiled process model: what the ledger registers beside the XML hash at
// deployment, and what a worker recomputes over the model it was given to run.
import { canonicalJson, sha256Hex } from '../chaincode/src/canonical.ts';

/** SHA-256 of the model's canonical JSON (keys sorted, absent fields dropped). */
export function modelHash(model: unknown): string {
  return sha256Hex(canonicalJson(model));
}
