// Receipts from the real embedded ledger: built from its anchors once in-process witnesses have
// co-signed, verified by the standalone verifier with keys pinned from the key dir; a witness
// refuses a checkpoint that is not consistent with the one it co-signed last.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { buildReceipt, ReceiptNotReadyError } from '../../ledger/receipts.ts';
import { createWitness, startWitnesses, witnessStateFile } from '../../ledger/witness.ts';
import { verifyReceipt } from '../../verifier/index.ts';
import { ENGINE, step, tempLedgerDir } from './helpers.ts';
import { useTempKeyDir } from './key-dir.ts';

useTempKeyDir();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ledgerWithTrail(app: string) {
  const ledger = await EmbeddedLedger.open(tempLedgerDir());
  cleanups.push(() => ledger.close());
  const hash = sha256Hex(`model of ${app}`);
  await ledger.registerDefinition(
    { key: 'permit', version: 1, hash, deployer: 'dana', modelHash: hash, rules: {}, decisionCalls: {} },
    ENGINE,
  );
  for (let n = 1; n <= 3; n++)
    await ledger.recordStep(step(app, n, { definitionKey: 'permit', definitionHash: hash }), ENGINE);
  return ledger;
}

describe('receipts from the embedded ledger', () => {
  it('waits for witnesses, then issues a receipt the verifier accepts with the pinned keys', async () => {
    const ledger = await ledgerWithTrail('app-r1');
    await expect(buildReceipt(ledger, 'app-r1', { waitMs: 300 })).rejects.toBeInstanceOf(
      ReceiptNotReadyError,
    );

    const witnesses = await startWitnesses(ledger.anchors!, ['LandRegistryMSP', 'TaxBureauMSP'], {
      intervalMs: 50,
      onEvent: (m, e) => e.outcome === 'error' && process.stderr.write(`witness ${m}: ${e.error.message}\n`),
    });
    cleanups.push(() => witnesses.stop());
    const receipt = await buildReceipt(ledger, 'app-r1', { minWitnesses: 2 });
    expect(receipt.records.map((r) => r.record.seq)).toEqual([1, 2, 3]);
    expect(receipt.definition).toMatchObject({ key: 'permit', version: 1 });

    const keys = await ledger.anchors!.keys();
    const report = await verifyReceipt(receipt, keys, { minWitnesses: 2 });
    expect(report.checks.filter((c) => c.status !== 'valid')).toEqual([]);
    expect(report.valid).toBe(true);

    // the ledger moves on; the old receipt is still a prefix of it
    await ledger.recordStep(step('app-other', 1), ENGINE);
    const anchors = ledger.anchors!;
    const now = await anchors.latestCheckpoint();
    const inclusions = Object.fromEntries(
      await Promise.all(
        [...receipt.records.map((r) => r.record.txId), receipt.definition!.registration.txId].map(
          async (txId) => [txId, await anchors.inclusion(txId, now.size)],
        ),
      ),
    );
    const current = {
      checkpoint: now,
      consistency: await anchors.consistency(receipt.checkpoint.size, now.size),
      inclusions,
    };
    const later = await verifyReceipt(receipt, keys, { current: current as never });
    expect(later.checks.filter((c) => c.status !== 'valid')).toEqual([]);
    expect(later.valid).toBe(true);
    expect(later.checks.find((c) => c.check === 'consistency')?.status).toBe('valid');
  });

  it('a witness refuses a checkpoint inconsistent with the one it co-signed, and keeps refusing', async () => {
    const ledger = await ledgerWithTrail('app-r2');
    const anchors = ledger.anchors!;
    const { ledger: ledgerKey } = await anchors.keys();
    const stateFile = join(mkdtempSync(join(tmpdir(), 'govflow-witness-')), 'state.json');
    const witness = createWitness({ mspId: 'CreditMSP', source: anchors, ledgerKey, stateFile });
    expect((await witness.once()).outcome).toBe('signed');
    expect((await witness.once()).outcome).toBe('unchanged');
    await ledger.recordStep(step('app-r2', 4), ENGINE);
    expect((await witness.once()).outcome).toBe('signed');

    // What this witness remembers disagrees with the ledger's history: as after a rewrite.
    const signed = await anchors.latestCheckpoint();
    writeFileSync(
      stateFile,
      JSON.stringify({
        mspId: 'CreditMSP',
        ledgerKey,
        last: { size: 3, root: 'ab'.repeat(32), signedAt: '' },
      }),
    );
    await ledger.recordStep(step('app-r2', 5), ENGINE);
    const refused = await witness.once();
    expect(refused).toMatchObject({ outcome: 'refused' });
    expect(refused.outcome === 'refused' && refused.reason).toMatch(
      /not consistent with the checkpoint of size 3/,
    );
    expect((await anchors.latestCheckpoint()).witnesses.map((w) => w.mspId)).not.toContain('CreditMSP');
    expect(signed.witnesses.map((w) => w.mspId)).toContain('CreditMSP');

    // a ledger that shrank below what the witness signed
    writeFileSync(
      stateFile,
      JSON.stringify({
        mspId: 'CreditMSP',
        ledgerKey,
        last: { size: 10_000, root: 'ab'.repeat(32), signedAt: '' },
      }),
    );
    const shrunk = await witness.once();
    expect(shrunk.outcome === 'refused' && shrunk.reason).toMatch(/shrank/);
  });

  it('a witness refuses a checkpoint not signed by the ledger key it pinned', async () => {
    const ledger = await ledgerWithTrail('app-r3');
    const anchors = ledger.anchors!;
    const { ledger: genuine } = await anchors.keys();
    const stateFile = join(mkdtempSync(join(tmpdir(), 'govflow-witness-')), 'state.json');
    // the checkpoint's signature is replaced: the ledger key did not sign this body
    const source = {
      ...anchors,
      latestCheckpoint: async () => ({
        ...(await anchors.latestCheckpoint()),
        timestamp: '2030-01-01T00:00:00.000Z',
      }),
      consistency: anchors.consistency.bind(anchors),
      addWitnessSignature: anchors.addWitnessSignature.bind(anchors),
    };
    const witness = createWitness({ mspId: 'TaxBureauMSP', source, ledgerKey: genuine, stateFile });
    const outcome = await witness.once();
    expect(outcome.outcome === 'refused' && outcome.reason).toMatch(/not signed by the pinned ledger key/);
    expect(witnessStateFile('TaxBureauMSP')).toContain(join('witness', 'TaxBureauMSP.json'));
  });
});
