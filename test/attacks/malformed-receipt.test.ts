// A receipt is input from anyone: whatever it holds, the verifier reports it invalid, naming the
// problem, and never throws (the CLI would die with a stack trace instead of a report).
import { describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../verifier/index.ts';
import type { Receipt } from '../../verifier/types.ts';
import { buildLedger, makeKeys, pinnedKeys, receiptOf } from '../verifier/ledger-fixture.ts';

const keys = makeKeys();
const pinned = pinnedKeys(keys);

type Mangle = (r: any) => void;
const deep = () => {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < 20_000; i++) {
    const next = {};
    node.a = next;
    node = next;
  }
  return root;
};

describe('malformed receipts', () => {
  it.each<[string, Mangle]>([
    ['a null write in a record transaction', (r) => (r.records[0].inclusion.tx.writes = [null])],
    ['organisations that are not a list', (r) => (r.keys.organisations = 5)],
    ['a null write in the registration', (r) => (r.definition.registration.tx.writes = [null])],
    ['a record nested too deep to hash', (r) => (r.records[0].record.extra = deep())],
  ])('%s: invalid, not a throw', async (_name, mangle) => {
    const receipt = receiptOf(keys, buildLedger(keys)) as Receipt;
    mangle(receipt);
    const report = await verifyReceipt(receipt, pinned);
    expect(report.valid).toBe(false);
    expect(report.checks.some((c) => c.status === 'invalid')).toBe(true);
  });
});
