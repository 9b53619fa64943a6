// The Fabric ledger: the same contract transactions as the embedded ledger, submitted to a Fabric
// network through its gateway service. The trail and its verification come from the peer's world
// state (VerifyTrail); blocks are the network's to keep.
import { ContractLedger } from '../contract-ledger.ts';
import type { Ledger } from '../types.ts';
import { readConnectionProfile } from './connection.ts';
import { FabricGateway, type FabricGatewayOptions } from './gateway.ts';

export { type ConnectionProfile, organisationProfileFile, readConnectionProfile } from './connection.ts';
export { FabricGateway } from './gateway.ts';

export class FabricLedger extends ContractLedger implements Ledger {
  private constructor(readonly fabric: FabricGateway) {
    super('fabric', fabric);
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
