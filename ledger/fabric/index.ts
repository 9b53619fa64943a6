// The Fabric ledger: the same contract transactions as the embedded ledger, submitted to a Fabric
// network through its gateway service. The trail and its verification come from the peer's world
// state (VerifyTrail); blocks are the network's to keep, read back through qscc.
import { ContractLedger } from '../contract-ledger.ts';
import type { Ledger, TrailEntry } from '../types.ts';
import { FabricBlocks } from './blocks.ts';
import { readConnectionProfile } from './connection.ts';
import { FabricGateway, type FabricGatewayOptions } from './gateway.ts';

export { FabricBlocks } from './blocks.ts';
export { type ConnectionProfile, organisationProfileFile, readConnectionProfile } from './connection.ts';
export { FabricGateway } from './gateway.ts';

export class FabricLedger extends ContractLedger implements Ledger {
  readonly fabricBlocks: FabricBlocks;

  private constructor(readonly fabric: FabricGateway) {
    super('fabric', fabric);
    this.fabricBlocks = new FabricBlocks(fabric);
  }

  /** The trail with each record's block, which the contract cannot know (the peer's qscc can). */
  override async trail(applicationId: string): Promise<TrailEntry[]> {
    return withBlockNumbers(await super.trail(applicationId), this.fabricBlocks);
  }

  /**
   * Connects with one organisation's connection profile; nothing is dialled until first use.
   * `mspId`: the organisation this process acts for; a profile of another one is refused.
   */
  static open(connectionFile: string, options: FabricGatewayOptions & { mspId?: string } = {}): FabricLedger {
    return new FabricLedger(new FabricGateway(readConnectionProfile(connectionFile, options.mspId), options));
  }

  /** The organisation this ledger connection acts for. */
  get mspId(): string {
    return this.fabric.mspId;
  }
}

/** Each trail entry with the number of the block holding its transaction. */
export function withBlockNumbers(entries: TrailEntry[], blocks: FabricBlocks): Promise<TrailEntry[]> {
  return Promise.all(
    entries.map(async (entry) => ({
      ...entry,
      blockNumber: (await blocks.locate(entry.record.txId)).ref.blockNumber,
    })),
  );
}
