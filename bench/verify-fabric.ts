// Verifying a Fabric receipt: a trail of engine steps written on a running network (npm run
// fabric:up), its receipt issued as the API issues it, then verified offline `rounds` times
// against the channel's anchors. Reports the first (cold: certificates parsed, keys imported) and
// the steady time per receipt, the ECDSA verifications per receipt and the receipt's size.

import { join } from 'node:path';
import { sha256Hex } from '../chaincode/src/canonical.ts';
import { FabricLedger } from '../ledger/fabric/index.ts';
import { issueReceipt } from '../ledger/receipts.ts';
import { type FabricReceipt, verifyFabricReceipt } from '../verifier/fabric-receipt.ts';

export async function benchFabric(dir: string, records: number, rounds: number): Promise<void> {
  const ledger = FabricLedger.open(join(dir, 'profiles', 'GovflowMSP.json'));
  try {
    const app = `bench-fabric-${Date.now().toString(36)}`;
    for (let n = 1; n <= records; n++)
      await ledger.recordStep(
        {
          applicationId: app,
          elementId: `task-${n}`,
          elementInstanceId: `task-${n}#${n}`,
          actor: 'user:bench.clerk',
          decision: 'done',
          dataHash: sha256Hex(`${app} ${n}`),
        },
        { mspId: 'GovflowMSP', id: 'bench' },
      );
    const t0 = performance.now();
    const receipt = (await issueReceipt(ledger, app)) as FabricReceipt;
    const issueMs = performance.now() - t0;
    const trust = await ledger.fabricBlocks.trust();
    const c0 = performance.now();
    const first = await verifyFabricReceipt(receipt, trust);
    const coldMs = performance.now() - c0;
    if (!first.valid)
      throw new Error(`bench receipt does not verify: ${JSON.stringify(first.checks, null, 2)}`);
    const w0 = performance.now();
    for (let i = 0; i < rounds; i++) await verifyFabricReceipt(receipt, trust);
    const ms = (performance.now() - w0) / rounds;
    const blocks = Object.keys(receipt.blocks).length;
    // Per transaction the creator's and the endorsement's signature, per block the orderer's; each
    // distinct certificate's issuer signature once (the verifier memoises it).
    const verifications = records * 2 + blocks;
    console.log(
      `  fabric: ${records} records in ${blocks} blocks: ${ms.toFixed(2)} ms per receipt (${(1000 / ms).toFixed(0)} receipts/s; first ${coldMs.toFixed(1)} ms), ` +
        `${verifications} ECDSA signatures (certificates checked once each), receipt ${(JSON.stringify(receipt).length / 1024).toFixed(1)} KiB, issued in ${issueMs.toFixed(0)} ms`,
    );
  } finally {
    await ledger.close();
  }
}
