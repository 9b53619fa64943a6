// verifyReceipt: a genuine receipt passes every check; each forged piece (with everything else
// rebuilt consistently around it, as an operator holding the files would) fails exactly the check
// that covers it, naming the first record or transaction at fault.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import { stepRecordHash } from '../../chaincode/src/step-record.ts';
import { type ReceiptReport, verifyReceipt } from '../../verifier/index.ts';
import {
  buildLedger,
  currentOf,
  type Forgery,
  type Keys,
  makeKeys,
  pinnedKeys,
  receiptOf,
  signTx,
} from './ledger-fixture.ts';

const keys = makeKeys();
const pinned = pinnedKeys(keys);
const build = (forgery: Forgery = {}) => receiptOf(keys, buildLedger(keys, forgery), forgery);
const status = (report: ReceiptReport) => Object.fromEntries(report.checks.map((c) => [c.check, c.status]));
const check = (report: ReceiptReport, name: string) => report.checks.find((c) => c.check === name)!;

/** Only `failing` checks are invalid, the first of them naming `detail`. */
function expectOnly(report: ReceiptReport, failing: string[], detail?: RegExp) {
  expect(report.valid).toBe(false);
  const invalid = report.checks.filter((c) => c.status === 'invalid').map((c) => c.check);
  expect(invalid.sort()).toEqual([...failing].sort());
  if (detail) expect(check(report, failing[0]).detail).toMatch(detail);
}

describe('verifyReceipt', () => {
  it('passes a genuine receipt on every check', async () => {
    const report = await verifyReceipt(build(), pinned);
    expect(status(report)).toEqual({
      keys: 'valid',
      'records-chained': 'valid',
      'records-in-transactions': 'valid',
      'transaction-signatures': 'valid',
      'inclusion-proofs': 'valid',
      'checkpoint-signature': 'valid',
      witnesses: 'valid',
      definition: 'valid',
    });
    expect(report.valid).toBe(true);
    expect(check(report, 'witnesses').detail).toMatch(/2 of 3 .*LandRegistryMSP, TaxBureauMSP/);
  });

  describe('transaction signatures', () => {
    it("a step transaction signed with another organisation's key", async () => {
      const r = build({ signer: (role, creator) => (role === 'record:2' ? 'LandRegistryMSP' : creator) });
      expectOnly(
        await verifyReceipt(r, pinned),
        ['transaction-signatures'],
        /seq 2 .*not signed by GovflowMSP/,
      );
      expect(check(await verifyReceipt(r, pinned), 'transaction-signatures').record?.seq).toBe(2);
    });

    it('the definition registration signed with another key', async () => {
      const r = build({ signer: (role, creator) => (role === 'definition' ? 'TaxBureauMSP' : creator) });
      expectOnly(
        await verifyReceipt(r, pinned),
        ['transaction-signatures'],
        /definition registration tx tx-def/,
      );
    });

    it('a creator whose key is not pinned', async () => {
      const r = build();
      const without = {
        ...pinned,
        organisations: pinned.organisations.filter((o) => o.mspId !== 'GovflowMSP'),
      };
      const report = await verifyReceipt(r, without);
      expect(check(report, 'transaction-signatures').detail).toMatch(/GovflowMSP, whose key is not pinned/);
    });
  });

  describe('records and their transactions', () => {
    it('a record changed without its transaction (hash mismatch)', async () => {
      const r = build();
      r.records[1].record.decision = 'reject';
      expectOnly(
        await verifyReceipt(r, pinned),
        ['records-chained', 'records-in-transactions'],
        /seq 2 .*hash mismatch/,
      );
    });

    it('a record missing from the middle of the trail', async () => {
      const r = build();
      r.records.splice(1, 1);
      expectOnly(await verifyReceipt(r, pinned), ['records-chained'], /seq 3 .*where 2 was expected/);
    });

    it('a record whose prevHash does not link', async () => {
      const r = build({
        records: (rs) =>
          rs.map((rec) => {
            if (rec.seq !== 3) return rec;
            const forged = { ...rec, prevHash: 'f'.repeat(64) };
            return { ...forged, hash: stepRecordHash(forged) };
          }),
      });
      expectOnly(await verifyReceipt(r, pinned), ['records-chained'], /seq 3 .*prevHash/);
    });

    it('a transaction that wrote something else than the record shows', async () => {
      const r = build({
        tx: (tx, role) => {
          if (role === 'record:2') tx.writes[0].value = canonicalJson({ forged: true });
        },
      });
      // the receipt shows the genuine records; the ledger's transaction holds something else
      r.records.forEach((entry, i) => {
        entry.record = build().records[i].record;
      });
      expectOnly(
        await verifyReceipt(r, pinned),
        ['records-in-transactions'],
        /seq 2 .*differs from the value/,
      );
    });

    it('a record written under another step key', async () => {
      const r = build({
        tx: (tx, role) => {
          if (role === 'record:1') tx.writes[0].key = '\u0000step\u0000app-other\u0000ei-1\u0000';
        },
      });
      expectOnly(await verifyReceipt(r, pinned), ['records-in-transactions'], /seq 1 .*under its step key/);
    });

    it('a step submitted by a department instead of the engine', async () => {
      const r = build({
        tx: (tx, role) => {
          if (role === 'record:3') tx.creator = { mspId: 'LandRegistryMSP', id: 'x' };
        },
      });
      expectOnly(
        await verifyReceipt(r, pinned),
        ['records-in-transactions'],
        /seq 3 .*LandRegistryMSP, not the engine/,
      );
    });

    it('a step from a transaction the ledger marked invalid', async () => {
      const r = build({
        tx: (tx, role) => {
          if (role === 'record:1') tx.valid = false;
        },
      });
      expectOnly(await verifyReceipt(r, pinned), ['records-in-transactions'], /seq 1 .*marked invalid/);
    });

    it('a record paired with another record’s transaction', async () => {
      const r = build();
      r.records[0].inclusion = r.records[1].inclusion;
      expectOnly(
        await verifyReceipt(r, pinned),
        ['records-in-transactions'],
        /seq 1 .*comes with transaction tx-rec-2/,
      );
    });
  });

  describe('inclusion proofs', () => {
    it('an altered audit path', async () => {
      const r = build();
      const proof = r.records[1].inclusion.proof;
      proof[0] = proof[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
      expectOnly(await verifyReceipt(r, pinned), ['inclusion-proofs'], /seq 2 .*another root/);
    });

    it('a transaction altered after it was included (and re-signed by its organisation)', async () => {
      const r = build();
      const { signature: _s, ...tx } = r.records[2].inclusion.tx;
      r.records[2].inclusion.tx = signTx(
        { ...tx, timestamp: '2030-01-01T00:00:00.000Z' },
        keys.orgs.GovflowMSP,
      );
      expectOnly(await verifyReceipt(r, pinned), ['inclusion-proofs'], /seq 3 /);
    });

    it('a proof to another tree size than the checkpoint', async () => {
      const r = build();
      r.definition!.registration.treeSize = 3;
      expectOnly(
        await verifyReceipt(r, pinned),
        ['inclusion-proofs'],
        /definition registration .* not the checkpoint's/,
      );
    });
  });

  describe('checkpoint and witnesses', () => {
    it('a checkpoint signed by another key under the ledger key’s name', async () => {
      const r = build({ checkpointSigner: { mspId: 'x', key: keys.ledger.key } });
      r.checkpoint.signature = build({
        checkpointSigner: { mspId: 'x', key: otherKey() },
      }).checkpoint.signature;
      expectOnly(
        await verifyReceipt(r, pinned),
        ['checkpoint-signature'],
        /not signed by the pinned ledger key/,
      );
    });

    it('a ledger re-keyed: checkpoint and receipt name a new ledger key', async () => {
      const forger: Keys = { ...keys, ledger: { mspId: 'ledger', key: otherKey() } };
      const r = receiptOf(forger, buildLedger(forger));
      expectOnly(await verifyReceipt(r, pinned), ['keys', 'checkpoint-signature'], /pinned ledger key is/);
    });

    it('a checkpoint field changed after signing', async () => {
      const r = build();
      r.checkpoint.timestamp = '2030-01-01T00:00:00.000Z';
      expectOnly(await verifyReceipt(r, pinned), ['checkpoint-signature', 'witnesses']);
    });

    it('a witness co-signature made with another key', async () => {
      const r = build({ witnesses: [keys.orgs.LandRegistryMSP, { mspId: 'TaxBureauMSP', key: otherKey() }] });
      r.checkpoint.witnesses[1].keyFingerprint = pinned.organisations.find(
        (o) => o.mspId === 'TaxBureauMSP',
      )!.fingerprint;
      expectOnly(
        await verifyReceipt(r, pinned),
        ['witnesses'],
        /TaxBureauMSP's co-signature does not verify/,
      );
    });

    it('a witness that is not a pinned organisation', async () => {
      const r = build({ witnesses: [{ mspId: 'RogueMSP', key: otherKey() }] });
      expectOnly(await verifyReceipt(r, pinned), ['witnesses'], /RogueMSP is not a pinned organisation/);
    });

    it('too few witnesses', async () => {
      expectOnly(
        await verifyReceipt(build({ witnesses: [] }), pinned),
        ['witnesses'],
        /0 organisations co-signed/,
      );
      const twice = build({ witnesses: [keys.orgs.TaxBureauMSP, keys.orgs.TaxBureauMSP] });
      expectOnly(
        await verifyReceipt(twice, pinned, { minWitnesses: 2 }),
        ['witnesses'],
        /1 organisations .* 2 required/,
      );
      expect((await verifyReceipt(build(), pinned, { minWitnesses: 2 })).valid).toBe(true);
    });

    it('pinned keys that do not match their fingerprints', async () => {
      const bad = { ...pinned, ledger: { ...pinned.ledger, fingerprint: '0'.repeat(64) } };
      expect(check(await verifyReceipt(build(), bad), 'keys').detail).toMatch(
        /does not match its fingerprint/,
      );
    });
  });

  describe('definition', () => {
    it('records citing another hash than the registered one', async () => {
      const r = build({
        tx: (tx, role) => {
          if (role === 'definition')
            tx.writes[0].value = canonicalJson({
              key: 'property-registration',
              version: 1,
              hash: 'c'.repeat(64),
            });
        },
      });
      r.definition!.hash = 'c'.repeat(64);
      expectOnly(await verifyReceipt(r, pinned), ['definition'], /seq 1 .*cites definition hash d{8}/);
    });

    it('a receipt that misstates what the registration holds', async () => {
      const r = build();
      r.definition!.hash = 'c'.repeat(64);
      expectOnly(
        await verifyReceipt(r, pinned),
        ['definition'],
        /registration's hash is d+, the receipt says c+/,
      );
    });

    it('no registration for records that cite one', async () => {
      const r = build();
      r.definition = null;
      expectOnly(await verifyReceipt(r, pinned), ['definition'], /no registration/);
    });
  });

  it('reports a malformed receipt without throwing', async () => {
    const report = await verifyReceipt({ format: 'other' } as never, pinned);
    expect(report.valid).toBe(false);
    expect(check(report, 'receipt-format').detail).toMatch(/govflow-receipt\/1/);
  });
});

describe('verifyReceipt against the current ledger', () => {
  const leaves = buildLedger(keys);
  const receipt = receiptOf(keys, leaves);
  const currentStatus = async (current: ReturnType<typeof currentOf>) => {
    const report = await verifyReceipt(receipt, pinned, { current });
    return { report, status: status(report) };
  };

  it('accepts a ledger that only grew', async () => {
    const grown = buildLedger(keys, {}, 3, 40);
    const { report, status: s } = await currentStatus(currentOf(keys, grown, receipt));
    expect(s).toMatchObject({
      consistency: 'valid',
      'current-checkpoint-signature': 'valid',
      'current-inclusion': 'valid',
    });
    expect(report.valid).toBe(true);
  });

  it('reports a truncated ledger and the first record no longer in it', async () => {
    const truncated = leaves.slice(0, 5); // keeps record 1 (leaf 3), drops records 2 and 3
    const { report } = await currentStatus(currentOf(keys, truncated, receipt));
    expectOnly(report, ['consistency', 'current-inclusion'], /truncated/);
    expect(check(report, 'current-inclusion').detail).toMatch(/seq 2 .*no longer in the ledger/);
  });

  it('reports a ledger rewritten and re-signed with the old key, naming the first changed record', async () => {
    const rewritten = buildLedger(
      keys,
      {
        records: (rs) =>
          rs.map((r) =>
            r.seq >= 2 ? { ...r, decision: 'reject', hash: stepRecordHash({ ...r, decision: 'reject' }) } : r,
          ),
      },
      3,
      8,
    );
    const { report } = await currentStatus(currentOf(keys, rewritten, receipt));
    expectOnly(report, ['consistency', 'current-inclusion'], /not a prefix/);
    expect(check(report, 'current-inclusion').record?.seq).toBe(2);
  });

  it('reports a ledger rewritten with a new key pair', async () => {
    const forger: Keys = { ...keys, ledger: { mspId: 'ledger', key: otherKey() } };
    const { report } = await currentStatus(currentOf(forger, buildLedger(forger), receipt));
    expect(status(report)['current-checkpoint-signature']).toBe('invalid');
    expect(report.valid).toBe(false);
  });

  it('reports a current checkpoint whose signature does not verify', async () => {
    const current = currentOf(keys, buildLedger(keys, {}, 3, 9), receipt);
    current.checkpoint.size += 0;
    current.checkpoint.signature = receipt.checkpoint.signature;
    const { report } = await currentStatus(current);
    expectOnly(report, ['current-checkpoint-signature'], /not signed by the pinned ledger key/);
  });

  it('reports an altered consistency proof, and says when no current inclusion proofs came', async () => {
    const current = currentOf(keys, buildLedger(keys, {}, 3, 9), receipt);
    current.consistency[0] = current.consistency[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const { report } = await currentStatus({ ...current, inclusions: undefined as never });
    expectOnly(report, ['consistency']);
    expect(check(report, 'current-inclusion').status).toBe('not checked');
  });
});

function otherKey() {
  return generateKeyPairSync('ed25519').privateKey;
}
