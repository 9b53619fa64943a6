// Forged Fabric receipts, each refused by the check that covers it. The forger starts from a real
// receipt of a real network and, where a forgery would otherwise be caught earlier, holds the
// engine client's and the orderer's keys too (an insider): the data hash is recomputed, the
// envelope re-signed and the block re-signed by the real orderer, so the check under test is the
// only one left to catch it.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stepRecordHash } from '../../chaincode/src/step-record.ts';
import type { FabricLedger } from '../../ledger/fabric/index.ts';
import { parseCertificate, pemToDer } from '../../verifier/der.ts';
import { type FabricReceipt, verifyFabricReceipt } from '../../verifier/fabric-receipt.ts';
import { type FabricTrust, trustFingerprint } from '../../verifier/fabric-trust.ts';
import type { ReceiptReport } from '../../verifier/types.ts';
import { common, msp } from '../support/fabric-protos.ts';
import {
  engineTrail,
  type FabricTrail,
  fabricNetwork,
  openLedger,
  ruleTrail,
  sameBlockPair,
} from '../verifier/fabric-fixture.ts';
import {
  clone,
  endorseAs,
  ForgedBlock,
  foreignSigner,
  networkSigners,
  serialized,
  signLowS,
} from './fabric-forger.ts';

const network = fabricNetwork();

const failing = (report: ReceiptReport) =>
  report.checks.filter((c) => c.status === 'invalid').map((c) => c.check);

describe('forged Fabric receipts', () => {
  let ledger: FabricLedger;
  let trail: FabricTrail;
  let signers: ReturnType<typeof networkSigners>;
  beforeAll(async () => {
    if (!network.dir) return;
    ledger = openLedger(network.dir);
    trail = await engineTrail(ledger);
    signers = networkSigners(network.dir);
  });
  afterAll(() => ledger?.close());
  beforeEach((context) => {
    if (network.unavailable) context.skip(network.unavailable);
  });

  /** A copy of the receipt and the block of record `index` (0-based), to forge. */
  const forge = (index = 1) => {
    const receipt = clone(trail.receipt);
    const { blockNumber, txIndex } = receipt.records[index].transaction;
    return { receipt, txIndex, block: new ForgedBlock(receipt, blockNumber) };
  };
  const verify = (receipt: FabricReceipt, trust: FabricTrust = trail.trust) =>
    verifyFabricReceipt(receipt, trust);

  it('the untouched receipt verifies (the baseline of every forgery below)', async () => {
    expect((await verify(trail.receipt)).valid).toBe(true);
  });

  it('a changed record field: the chain breaks, or with its hash recomputed, it is not what the transaction wrote', async () => {
    const { receipt } = forge();
    const last = receipt.records[2].record;
    last.decision = 'approved';
    let report = await verify(receipt);
    expect(failing(report)).toEqual(['records-chained', 'records-in-transactions']);
    last.hash = stepRecordHash(last as never);
    report = await verify(receipt);
    expect(failing(report)).toEqual(['records-in-transactions']);
    expect(report.checks.find((c) => c.check === 'records-in-transactions')).toMatchObject({
      record: { seq: 3 },
      detail: expect.stringMatching(/differs from the value its transaction wrote/),
    });
  });

  it('a changed byte in the block data: its data hash no longer matches the signed header', async () => {
    const { receipt, block, txIndex } = forge();
    const data = block.block.getData()!;
    const entries = data.getDataList_asU8();
    const text = Buffer.from(entries[txIndex]);
    const at = text.indexOf('"decision":"done"') + '"decision":"d'.length;
    expect(at).toBeGreaterThan(20);
    text[at] = 'u'.charCodeAt(0); // "dune"
    entries[txIndex] = Uint8Array.from(text);
    data.setDataList(entries);
    block.save();
    const report = await verify(receipt);
    expect(report.valid).toBe(false);
    expect(report.checks.find((c) => c.check === 'block-data-hash')).toMatchObject({
      status: 'invalid',
      record: { seq: 2 },
      detail: expect.stringMatching(/does not hash to its header's data hash/),
    });
  });

  it("a forged orderer signature: a changed byte, or a block resealed by an orderer identity of the forger's CA", async () => {
    const { receipt, block } = forge();
    const meta = block.block.getMetadata()!.getMetadataList_asU8();
    const signatures = Buffer.from(meta[0]);
    signatures[signatures.length - 5] ^= 1; // inside the DER signature, the last field
    meta[0] = Uint8Array.from(signatures);
    block.block.getMetadata()!.setMetadataList(meta);
    block.save();
    let report = await verify(receipt);
    expect(failing(report)).toEqual(['orderer-signatures']);

    const second = forge();
    const realRoot = trail.trust.organisations.find((o) => o.mspId === 'OrdererMSP')!.roots[0];
    second.block.reseal(foreignSigner('OrdererMSP', realRoot, 'orderer'));
    second.block.save();
    report = await verify(second.receipt);
    expect(failing(report)).toEqual(['orderer-signatures']);
    expect(report.checks.find((c) => c.check === 'orderer-signatures')?.detail).toMatch(
      /OrdererMSP's certificate was not issued by any of its organisation's root certificates/,
    );
  });

  it('an endorsement signature changed (envelope and block re-signed by the insiders)', async () => {
    const { receipt, block, txIndex } = forge();
    block.editEndorsements(txIndex, signers.engine, (action) => {
      const [e] = action.getEndorsementsList();
      const sig = Buffer.from(e.getSignature_asU8());
      sig[sig.length - 3] ^= 1;
      e.setSignature(Uint8Array.from(sig));
    });
    block.reseal(signers.orderer);
    block.save();
    const report = await verify(receipt);
    expect(failing(report)).toEqual(['endorsements']);
    expect(report.checks.find((c) => c.check === 'endorsements')?.detail).toMatch(
      /endorsement 0 by GovflowMSP: the signature does not verify/,
    );
  });

  it("an endorsement removed so the engine's organisation is missing (another organisation's real peer endorses instead)", async () => {
    const { receipt, block, txIndex } = forge();
    block.editEndorsements(txIndex, signers.engine, (action) => {
      action.setEndorsementsList([endorseAs(action, signers.peer('LandRegistryMSP'))]);
    });
    block.reseal(signers.orderer);
    block.save();
    const report = await verify(receipt);
    expect(failing(report)).toEqual(['endorsement-policy']);
    expect(report.checks.find((c) => c.check === 'endorsement-policy')).toMatchObject({
      record: { seq: 2 },
      detail: expect.stringMatching(/lacks an endorsement by GovflowMSP \(endorsed by LandRegistryMSP\)/),
    });
  });

  it("an endorser certificate from a CA that is not the organisation's root (same CA name)", async () => {
    const realRoot = trail.trust.organisations.find((o) => o.mspId === 'GovflowMSP')!.roots[0];
    const forged = foreignSigner('GovflowMSP', realRoot, 'peer');
    // Named exactly like the real CA (same DER name), so only its signature tells them apart.
    const der = (pem: string) => parseCertificate(pemToDer(pem));
    expect(Buffer.from(der(forged.certificate).issuer)).toEqual(Buffer.from(der(realRoot).subject));
    expect(new X509Certificate(forged.certificate).issuer).toBe(new X509Certificate(realRoot).subject);
    const { receipt, block, txIndex } = forge();
    block.editEndorsements(txIndex, signers.engine, (action) => {
      action.setEndorsementsList([endorseAs(action, forged)]);
    });
    block.reseal(signers.orderer);
    block.save();
    const report = await verify(receipt);
    expect(failing(report)).toEqual(['endorsements']);
    expect(report.checks.find((c) => c.check === 'endorsements')?.detail).toMatch(
      /GovflowMSP's certificate was not issued by any of its organisation's root certificates/,
    );
  });

  it("a client's signature passed off as a peer's endorsement (the engine's own client key)", async () => {
    const { receipt, block, txIndex } = forge();
    block.editEndorsements(txIndex, signers.engine, (action) => {
      action.setEndorsementsList([endorseAs(action, signers.engine)]);
    });
    block.reseal(signers.orderer);
    block.save();
    const report = await verify(receipt);
    expect(failing(report)).toEqual(['endorsements']);
    expect(report.checks.find((c) => c.check === 'endorsements')?.detail).toMatch(/is not a peer identity/);
  });

  it("the receipt's roots swapped for the forger's, with every signature made by the forger's CA", async () => {
    const { receipt, block, txIndex } = forge();
    const orgs = Object.fromEntries(
      ['OrdererMSP', 'GovflowMSP'].map((m) => {
        const real = trail.trust.organisations.find((o) => o.mspId === m)!.roots[0];
        return [m, foreignSigner(m, real, m === 'OrdererMSP' ? 'orderer' : 'peer')];
      }),
    );
    block.editEndorsements(txIndex, signers.engine, (action) => {
      action.setEndorsementsList([endorseAs(action, orgs.GovflowMSP)]);
    });
    block.reseal(orgs.OrdererMSP);
    block.save();
    const { fingerprint: _old, ...body } = trail.trust;
    const swapped = {
      ...body,
      organisations: body.organisations.map((o) =>
        orgs[o.mspId] ? { ...o, roots: [orgs[o.mspId].caPem] } : o,
      ),
    };
    receipt.ledger.trust = { ...swapped, fingerprint: trustFingerprint(swapped) };
    const report = await verify(receipt);
    expect(report.valid).toBe(false);
    expect(report.checks[0]).toMatchObject({ check: 'trust', status: 'invalid' });
    // The pinned roots are used regardless of the receipt's: the forged block fails on them.
    for (const check of ['orderer-signatures', 'endorsements'])
      expect(report.checks.find((c) => c.check === check)).toMatchObject({
        status: 'invalid',
        record: { seq: 2 },
      });
    const byFingerprint = await verifyFabricReceipt(receipt, { fingerprint: trail.trust.fingerprint });
    expect(byFingerprint.checks[0]).toMatchObject({ check: 'trust', status: 'invalid' });
    expect(byFingerprint.valid).toBe(false);
  });

  it("an invalid-flagged transaction: the peer's validation code is not VALID", async () => {
    const { receipt, block, txIndex } = forge();
    const meta = block.block.getMetadata()!.getMetadataList_asU8();
    const flags = Uint8Array.from(meta[2]);
    flags[txIndex] = 11; // MVCC_READ_CONFLICT
    meta[2] = flags;
    block.block.getMetadata()!.setMetadataList(meta);
    block.save();
    const report = await verify(receipt);
    expect(failing(report)).toEqual(['transactions-valid']);
    expect(report.checks.find((c) => c.check === 'transactions-valid')?.detail).toMatch(
      /flagged its transaction invalid \(validation code 11\)/,
    );
  });

  it('a transaction submitted by another organisation: the creator is not the engine', async () => {
    const { receipt, block, txIndex } = forge();
    const land = signers.peer('LandRegistryMSP');
    // Re-sign the envelope as a land registry identity by rewriting the creator in its header.
    const data = block.block.getData()!;
    const entries = data.getDataList_asU8();
    const envelope = common.Envelope.deserializeBinary(entries[txIndex]);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader()!;
    const sigHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    sigHeader.setCreator(serialized(land));
    header.setSignatureHeader(sigHeader.serializeBinary());
    envelope.setPayload(payload.serializeBinary());
    envelope.setSignature(signLowS(land.key, envelope.getPayload_asU8()));
    entries[txIndex] = envelope.serializeBinary();
    data.setDataList(entries);
    block.reseal(signers.orderer);
    block.save();
    const report = await verify(receipt);
    expect(failing(report)).toEqual(['creator-signatures']);
    expect(report.checks.find((c) => c.check === 'creator-signatures')?.detail).toMatch(
      /submitted by LandRegistryMSP, not the engine \(GovflowMSP\)/,
    );
  });

  it("entries of a block re-framed so one transaction takes another's place and its VALID flag (same data hash, same orderer signature)", async () => {
    const pair = await sameBlockPair(ledger);
    const receipt = clone(pair.receipt);
    const ref = receipt.records[0].transaction;
    expect(ref.txIndex).toBeGreaterThan(0);
    const block = new ForgedBlock(receipt, ref.blockNumber);
    // The peer flagged this transaction invalid; the forger wants the VALID flag of the one before.
    const meta = block.block.getMetadata()!.getMetadataList_asU8();
    const flags = Uint8Array.from(meta[2]);
    flags[ref.txIndex] = 11;
    meta[2] = flags;
    block.block.getMetadata()!.setMetadataList(meta);
    block.save();
    expect(failing(await verify(receipt))).toEqual(['transactions-valid']);
    // Joined with its predecessor, its envelope's fields come last, so a lax reader sees it at
    // index - 1, where the flag says VALID; the joined bytes hash as before.
    const data = block.block.getData()!;
    const entries = data.getDataList_asU8();
    const joined = Uint8Array.from(Buffer.concat([entries[ref.txIndex - 1], entries[ref.txIndex]]));
    data.setDataList([...entries.slice(0, ref.txIndex - 1), joined, ...entries.slice(ref.txIndex + 1)]);
    flags.copyWithin(ref.txIndex, ref.txIndex + 1);
    meta[2] = flags.subarray(0, flags.length - 1);
    block.block.getMetadata()!.setMetadataList(meta);
    block.save();
    receipt.records[0].transaction = { ...ref, txIndex: ref.txIndex - 1 };
    const report = await verify(receipt, pair.trust);
    expect(failing(report)).toEqual(['block-data-hash']);
    expect(report.checks.find((c) => c.check === 'block-data-hash')?.detail).toMatch(
      new RegExp(`entry ${ref.txIndex - 1} is not exactly a marshalled envelope`),
    );
  });

  it("a contract decision with the fact owner's endorsement removed (the engine's stays)", async (context) => {
    const rule = await ruleTrail(ledger);
    const receipt = clone(rule.receipt);
    const index = receipt.records.findIndex((r) => r.record.actor.startsWith('contract:'));
    const { blockNumber, txIndex } = receipt.records[index].transaction;
    const block = new ForgedBlock(receipt, blockNumber);
    let removed = false;
    block.editEndorsements(txIndex, signers.engine, (action) => {
      const all = action.getEndorsementsList();
      const engineOnly = all.filter(
        (e) =>
          msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid() !== 'LandRegistryMSP',
      );
      removed = engineOnly.length < all.length;
      action.setEndorsementsList(engineOnly);
    });
    if (!removed)
      context.skip("this network's chaincode does not have the fact owner's peer endorse rule decisions");
    block.reseal(signers.orderer);
    block.save();
    expect((await verify(rule.receipt, rule.trust)).valid).toBe(true);
    const report = await verify(receipt, rule.trust);
    expect(failing(report)).toEqual(['endorsement-policy']);
    expect(report.checks.find((c) => c.check === 'endorsement-policy')?.detail).toMatch(
      /lacks an endorsement by LandRegistryMSP \(endorsed by GovflowMSP\)/,
    );
  });

  it('a block missing from the receipt, or not a block, is reported rather than thrown', async () => {
    const receipt = clone(trail.receipt);
    delete receipt.blocks[String(receipt.records[0].transaction.blockNumber)];
    let report = await verify(receipt);
    expect(report.valid).toBe(false);
    expect(report.checks.find((c) => c.status === 'invalid')?.detail).toMatch(/is not in the receipt/);
    receipt.blocks[String(receipt.records[0].transaction.blockNumber)] =
      Buffer.from('not a block').toString('base64');
    report = await verify(receipt);
    expect(report.valid).toBe(false);
  });
});

describe('malformed Fabric receipts (no network needed)', () => {
  const pinned = { fingerprint: '0'.repeat(64) };
  it.each([
    ['not an object', null],
    ['no ledger', { format: 'govflow-receipt/1', applicationId: 'a', records: [], blocks: {} }],
    [
      'records not a list',
      {
        format: 'govflow-receipt/1',
        applicationId: 'a',
        ledger: { kind: 'fabric' },
        records: {},
        blocks: {},
      },
    ],
    [
      'a transaction reference missing',
      {
        format: 'govflow-receipt/1',
        applicationId: 'a',
        ledger: { kind: 'fabric' },
        records: [{ record: {} }],
        blocks: {},
      },
    ],
    [
      'trust anchors of the wrong shape',
      {
        format: 'govflow-receipt/1',
        applicationId: 'a',
        ledger: { kind: 'fabric', trust: { organisations: 7, fingerprint: 3 } },
        records: [],
        blocks: {},
      },
    ],
  ])('%s: a report naming the problem, not an exception', async (_what, receipt) => {
    const report = await verifyFabricReceipt(receipt as never, pinned);
    expect(report.valid).toBe(false);
    expect(report.checks[0].status).toBe('invalid');
  });
});
