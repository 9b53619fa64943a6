// The Fabric ledger: the same contract transactions as the embedded ledger, submitted to a Fabric
// network through its gateway service. The trail and its verification come from the peer's world
// state (VerifyTrail); blocks are the network's to keep.
import { ContractLedger } from '../contract-ledger.ts';
import type { Ledger } from '../types.ts';
import { FabricBlocks } from './blocks.ts';
import { readConnectionProfile } from './connection.ts';
import { FabricGateway, type FabricGatewayOptions } from './gateway.ts';

export { FabricBlocks } from './blocks.ts';
export { type ConnectionProfile, readConnectionProfile } from './connection.ts';
export { FabricGateway } from './gateway.ts';

export class FabricLedger extends ContractLedger implements Ledger {
  readonly fabricBlocks: FabricBlocks;

  private constructor(readonly fabric: FabricGateway) {
    super('fabric', fabric);
    this.fabricBlocks = new FabricBlocks(fabric);
  }

  /** Connects with a network's connection profile; nothing is dialled until first use. */
  static open(connectionFile: string, options: FabricGatewayOptions = {}): FabricLedger {
    return new FabricLedger(new FabricGateway(readConnectionProfile(connectionFile), options));
  }
}
