// A receipt from a Fabric ledger: the application's records, each with the block (as the peer
// stores it) holding the transaction that wrote it, the definition's registration likewise, and
// the channel's trust anchors from its configuration block (verifier/README.md, "Fabric").
import type { FabricReceipt, FabricTxRef } from '../../verifier/fabric-receipt.ts';
import type { StepRecord as VerifierRecord } from '../../verifier/types.ts';
import type { StepRecord } from '../types.ts';
import type { FabricBlocks } from './blocks.ts';

export async function buildFabricReceipt(
  blocks: FabricBlocks,
  applicationId: string,
  records: StepRecord[],
  definition: { key: string; version: number; hash: string; modelHash?: string; txId: string } | null,
): Promise<FabricReceipt> {
  const txIds = [...new Set([...records.map((r) => r.txId), ...(definition ? [definition.txId] : [])])];
  const located = new Map<string, FabricTxRef>();
  const blockBytes: Record<string, string> = {};
  // Sequentially: a trail's transactions often share blocks, and each lookup is one peer query.
  for (const txId of txIds) {
    const { ref, block } = await blocks.locate(txId);
    located.set(txId, ref);
    blockBytes[String(ref.blockNumber)] = block;
  }
  const refOf = (txId: string) => located.get(txId) as FabricTxRef;
  return {
    format: 'govflow-receipt/1',
    applicationId,
    issuedAt: new Date().toISOString(),
    ledger: { kind: 'fabric', trust: await blocks.trust() },
    definition: definition && {
      key: definition.key,
      version: definition.version,
      hash: definition.hash,
      ...(definition.modelHash ? { modelHash: definition.modelHash } : {}),
      registration: refOf(definition.txId),
    },
    records: records.map((record) => ({ record: record as VerifierRecord, transaction: refOf(record.txId) })),
    blocks: blockBytes,
  };
}
