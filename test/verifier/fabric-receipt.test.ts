// Receipts from a real Fabric network, verified offline against the channel's trust anchors read
// from its config block: a trail of engine steps with its definition, a contract-decided step,
// pinning by document or by fingerprint. The forgeries are in test/attacks/fabric-receipt-forgery.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FabricLedger } from '../../ledger/fabric/index.ts';
import { verifyFabricReceipt } from '../../verifier/fabric-receipt.ts';
import { type FabricTrust, trustFingerprint } from '../../verifier/fabric-trust.ts';
import { common, msp, peer } from '../support/fabric-protos.ts';
import { engineTrail, type FabricTrail, fabricNetwork, openLedger, ruleTrail } from './fabric-fixture.ts';

const network = fabricNetwork();

/** The organisations that endorsed a transaction, read with fabric-protos (not the verifier). */
function endorsingOrganisations(blockBase64: string, txIndex: number): string[] {
  const block = common.Block.deserializeBinary(Buffer.from(blockBase64, 'base64'));
  const envelope = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[txIndex]);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction()!;
  return endorsed
    .getEndorsementsList()
    .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid());
}

describe('receipts from a Fabric ledger', () => {
  let ledger: FabricLedger;
  let trail: FabricTrail;
  beforeAll(async () => {
    if (!network.dir) return;
    ledger = openLedger(network.dir);
    trail = await engineTrail(ledger);
  });
  afterAll(() => ledger?.close());
  beforeEach((context) => {
    if (network.unavailable) context.skip(network.unavailable);
  });

  it('carry each record with its block and the channel anchors from the config block', () => {
    const { receipt, trust } = trail;
    expect(receipt.ledger.kind).toBe('fabric');
    expect(receipt.records).toHaveLength(3);
    for (const { record, transaction } of receipt.records) {
      expect(transaction.txId).toBe(record.txId);
      expect(receipt.blocks[String(transaction.blockNumber)]).toBeTypeOf('string');
    }
    expect(receipt.definition?.registration.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(trust.channel).toBe('govflow');
    expect(trust.organisations.map((o) => [o.mspId, o.orderer])).toEqual(
      expect.arrayContaining([
        ['OrdererMSP', true],
        ['GovflowMSP', false],
        ['LandRegistryMSP', false],
      ]),
    );
    expect(trust.organisations.every((o) => o.roots.length > 0 && o.nodeOUs)).toBe(true);
    expect(trust.fingerprint).toBe(trustFingerprint(trust));
  });

  it('verify offline against the pinned trust document: every check valid', async () => {
    const report = await verifyFabricReceipt(trail.receipt, trail.trust);
    expect(report.checks.filter((c) => c.status !== 'valid')).toEqual([]);
    expect(report.checks.map((c) => c.check)).toEqual([
      'trust',
      'records-chained',
      'block-data-hash',
      'orderer-signatures',
      'transactions-valid',
      'creator-signatures',
      'endorsements',
      'endorsement-policy',
      'records-in-transactions',
      'definition',
    ]);
    expect(report.valid).toBe(true);
  });

  it("verify with only the anchors' fingerprint pinned, taking the receipt's copy when it matches", async () => {
    const report = await verifyFabricReceipt(trail.receipt, { fingerprint: trail.trust.fingerprint });
    expect(report.valid).toBe(true);
    const other = await verifyFabricReceipt(trail.receipt, { fingerprint: '0'.repeat(64) });
    expect(other.valid).toBe(false);
    expect(other.checks[0]).toMatchObject({ check: 'trust', status: 'invalid' });
    expect(other.checks.slice(1).every((c) => c.status === 'not checked')).toBe(true);
  });

  it('refuse a pinned trust document edited without its fingerprint', async () => {
    const edited: FabricTrust = { ...trail.trust, engineMspId: 'LandRegistryMSP' };
    const report = await verifyFabricReceipt(trail.receipt, edited);
    expect(report.valid).toBe(false);
    expect(report.checks[0].detail).toMatch(/pinned trust document does not match its fingerprint/);
  });

  it('require the owners of the facts a contract decision read among its endorsers', async () => {
    const rule = await ruleTrail(ledger);
    const decided = rule.receipt.records.find((r) => r.record.actor.startsWith('contract:'));
    expect(decided).toBeDefined();
    const { blockNumber, txIndex } = decided!.transaction;
    const endorsers = endorsingOrganisations(rule.receipt.blocks[String(blockNumber)], txIndex);
    const report = await verifyFabricReceipt(rule.receipt, rule.trust);
    const policy = report.checks.find((c) => c.check === 'endorsement-policy');
    if (endorsers.includes('LandRegistryMSP')) {
      // The network's policy makes the fact owner's peer re-execute the rule.
      expect(policy).toMatchObject({ status: 'valid' });
      expect(report.valid).toBe(true);
    } else {
      // Endorsed by the engine alone: the decision is only the engine's word, which the receipt says.
      expect(policy).toMatchObject({ status: 'invalid', record: { seq: 2 } });
      expect(policy?.detail).toMatch(/lacks an endorsement by LandRegistryMSP \(endorsed by GovflowMSP\)/);
      expect(report.checks.filter((c) => c.status === 'invalid').map((c) => c.check)).toEqual([
        'endorsement-policy',
      ]);
    }
  });
});
