// Step records: the hash each carries, the chain they form, and where the contract wrote them.
import { canonicalJson } from './canonical.ts';
import { sha256Hex } from './encoding.ts';
import type { StepRecord } from './types.ts';

/** SHA-256 of the canonical JSON of every field but `hash` (chaincode/src/step-record.ts). */
export function stepRecordHash(record: StepRecord): string {
  const { hash: _ignored, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

/** Fabric's composite key of a step: U+0000 step U+0000 <applicationId> U+0000 <elementInstanceId> U+0000. */
export const stepKey = (applicationId: string, elementInstanceId: string): string =>
  `\u0000step\u0000${applicationId}\u0000${elementInstanceId}\u0000`;

/** The registered definition's key: versions zero-padded to 8 digits (chaincode/src/definition-registry.ts). */
export const definitionKey = (key: string, version: number): string =>
  `\u0000definition\u0000${key}\u0000${String(version).padStart(8, '0')}\u0000`;

/** Names a record in reports. */
export const describeRecord = (r: StepRecord): string =>
  `record seq ${r?.seq} (${r?.elementInstanceId}, tx ${String(r?.txId).slice(0, 12)}…)`;

/**
 * The first problem of an application's chain: each record's hash recomputed, seq 1..n in order,
 * each prevHash the previous record's hash ('' for the first), all of the same application.
 */
export function chainProblem(
  applicationId: string,
  records: StepRecord[],
): { index: number; what: string } | null {
  let previous = '';
  for (const [index, record] of records.entries()) {
    if (record === null || typeof record !== 'object') return { index, what: 'is not an object' };
    if (record.applicationId !== applicationId)
      return { index, what: `belongs to application ${record.applicationId}, not ${applicationId}` };
    if (stepRecordHash(record) !== record.hash)
      return { index, what: 'hash mismatch: its content was altered' };
    if (record.seq !== index + 1)
      return {
        index,
        what: `has seq ${record.seq} where ${index + 1} was expected: a record is missing or moved`,
      };
    if (record.prevHash !== previous)
      return { index, what: "prevHash is not the previous record's hash: the chain is broken" };
    previous = record.hash;
  }
  return null;
}
