// An operator holds the ledger key and the engine's organisation key (GovflowMSP) on the same
// machine. A checkpoint "witnessed" only by the engine therefore proves nothing beyond the
// ledger key: the offline verifier must not count the engine as a witness, as the ledger does not.
import { describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../verifier/index.ts';
import { buildLedger, makeKeys, pinnedKeys, receiptOf } from '../verifier/ledger-fixture.ts';

const keys = makeKeys();
const pinned = pinnedKeys(keys);

describe('witness co-signatures by the engine organisation', () => {
  it('a checkpoint co-signed only by GovflowMSP does not satisfy the witnesses check', async () => {
    const forgery = { witnesses: [keys.orgs.GovflowMSP] };
    const receipt = receiptOf(keys, buildLedger(keys, forgery), forgery);
    const report = await verifyReceipt(receipt, pinned);
    const witnesses = report.checks.find((c) => c.check === 'witnesses')!;
    expect(witnesses.status).toBe('invalid');
    expect(witnesses.detail).toMatch(/GovflowMSP .*engine/);
    expect(report.valid).toBe(false);
  });

  it('nor is the engine counted towards the required number', async () => {
    const forgery = { witnesses: [keys.orgs.GovflowMSP, keys.orgs.TaxBureauMSP] };
    const receipt = receiptOf(keys, buildLedger(keys, forgery), forgery);
    const report = await verifyReceipt(receipt, pinned, { minWitnesses: 2 });
    expect(report.valid).toBe(false);
  });

  it('a department witness still verifies', async () => {
    const forgery = { witnesses: [keys.orgs.TaxBureauMSP] };
    const receipt = receiptOf(keys, buildLedger(keys, forgery), forgery);
    expect((await verifyReceipt(receipt, pinned)).valid).toBe(true);
  });
});
