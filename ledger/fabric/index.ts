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
  private readonly trailBlocks: TrailBlocks;

  private constructor(readonly fabric: FabricGateway) {
    super('fabric', fabric);
    this.fabricBlocks = new FabricBlocks(fabric);
    this.trailBlocks = new TrailBlocks(this.fabricBlocks);
  }

  /** The trail with each record's block, which the contract cannot know (the peer's qscc can). */
  override async trail(applicationId: string): Promise<TrailEntry[]> {
    return this.trailBlocks.add(await super.trail(applicationId));
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

/** Each trail entry's block number, looked up by its transaction; committed transactions never move. */
export class TrailBlocks {
  private readonly blockOfTx = new Map<string, number>();

  constructor(private readonly blocks: FabricBlocks) {}

  add(entries: TrailEntry[]): Promise<TrailEntry[]> {
    return Promise.all(
      entries.map(async (entry) => {
        const { txId } = entry.record;
        let blockNumber = this.blockOfTx.get(txId);
        if (blockNumber === undefined) {
          blockNumber = (await this.blocks.locate(txId)).ref.blockNumber;
          if (this.blockOfTx.size >= 10_000) this.blockOfTx.clear();
          this.blockOfTx.set(txId, blockNumber);
        }
        return { ...entry, blockNumber };
      }),
    );
  }
}
