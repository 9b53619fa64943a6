// One organisation's client of a test Fabric network, straight through @hyperledger/fabric-gateway
// with its profile (`<network dir>/profiles/<MSP>.json`), so a test chooses who endorses; and the
// organisations whose endorsements a committed transaction carries, read from its block.
import { join } from 'node:path';
import type { Contract, Network } from '@hyperledger/fabric-gateway';
import { readConnectionProfile } from '../../ledger/fabric/connection.ts';
import { connectOrganisation } from '../../ledger/fabric/gateway.ts';
import { common, msp, peer } from './fabric-protos.ts';

export interface OrgClient {
  mspId: string;
  network: Network;
  contract: Contract;
  close(): void;
}

export function openOrgClient(networkDir: string, mspId: string): OrgClient {
  const profile = readConnectionProfile(join(networkDir, 'profiles', `${mspId}.json`), mspId);
  const { gateway, client } = connectOrganisation(profile, 30_000);
  const network = gateway.getNetwork(profile.channel);
  return {
    mspId: profile.mspId,
    network,
    contract: network.getContract(profile.chaincode),
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

/** The MSP ids of the peers that endorsed a committed transaction, sorted, from its block (qscc). */
export async function endorsingOrganisations(network: Network, txId: string): Promise<string[]> {
  const qscc = network.getContract('qscc');
  const bytes = await qscc.evaluateTransaction('GetBlockByTxID', network.getName(), txId);
  const block = common.Block.deserializeBinary(bytes);
  for (const envelopeBytes of block.getData()?.getDataList_asU8() ?? []) {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
    );
    const header = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
    if (header.getTxId() !== txId) continue;
    const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const orgs = tx.getActionsList().flatMap((action) =>
      peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8())
        .getAction()!
        .getEndorsementsList()
        .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid()),
    );
    return [...new Set(orgs)].sort();
  }
  throw new Error(`transaction ${txId} is not in the block qscc returned for it`);
}
