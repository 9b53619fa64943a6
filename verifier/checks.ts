// Small helpers shared by the receipt checks: building Check entries and the signed texts.
import { canonicalJson } from './canonical.ts';
import { utf8 } from './encoding.ts';
import { describeRecord } from './records.ts';
import type { Check, CheckpointBody, SignedCheckpoint, StepRecord, Transaction } from './types.ts';

export const valid = (check: string, detail: string): Check => ({ check, status: 'valid', detail });
export const notChecked = (check: string, detail: string): Check => ({
  check,
  status: 'not checked',
  detail,
});
export const invalid = (check: string, detail: string, extra: Partial<Check> = {}): Check => ({
  check,
  status: 'invalid',
  detail,
  ...extra,
});

/** An invalid check naming a record. */
export const recordInvalid = (check: string, record: StepRecord, what: string): Check =>
  invalid(check, `${describeRecord(record)} ${what}`, {
    record: { seq: record?.seq, elementInstanceId: record?.elementInstanceId, txId: record?.txId },
    txId: record?.txId,
  });

/** The signed part of a checkpoint (everything but its signature and witnesses). */
export const checkpointBody = (c: SignedCheckpoint): CheckpointBody => ({
  format: c.format,
  ledgerKey: c.ledgerKey,
  size: c.size,
  root: c.root,
  blockNumber: c.blockNumber,
  timestamp: c.timestamp,
});

export const checkpointMessage = (c: SignedCheckpoint): Uint8Array<ArrayBuffer> =>
  utf8(canonicalJson(checkpointBody(c)));

export const witnessMessage = (c: SignedCheckpoint): Uint8Array<ArrayBuffer> =>
  utf8(canonicalJson({ format: 'govflow-witness/1', checkpoint: checkpointBody(c) }));

/** What the creator organisation signed: the transaction without `signature` and `valid`. */
export function transactionMessage(tx: Transaction): Uint8Array<ArrayBuffer> {
  const { signature: _s, valid: _v, ...signed } = tx;
  return utf8(canonicalJson(signed));
}

/**
 * The step records agree with the receipt's registered definition: none names another key, none
 * cites another hash (of the XML or of the compiled model).
 */
export function definitionCited(
  records: { record: StepRecord }[],
  def: { key: string; version: number; hash: string; modelHash?: string },
  txId: string,
): Check {
  for (const { record } of records) {
    if (record.definitionKey !== undefined && record.definitionKey !== def.key)
      return recordInvalid('definition', record, `names definition ${record.definitionKey}, not ${def.key}`);
    if (
      record.definitionHash !== undefined &&
      record.definitionHash !== def.hash &&
      record.definitionHash !== def.modelHash
    )
      return recordInvalid(
        'definition',
        record,
        `cites definition hash ${record.definitionHash}, not the registered one`,
      );
  }
  const citing = records.filter((r) => r.record.definitionHash !== undefined).length;
  return valid(
    'definition',
    `${def.key} v${def.version} (hash ${def.hash.slice(0, 16)}…) registered in tx ${txId.slice(0, 12)}…, cited by ${citing} records`,
  );
}
