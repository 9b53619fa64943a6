// One organisation's client of a test Fabric network, straight through @hyperledger/fabric-gateway
// with its profile (`<network dir>/profiles/<MSP>.json`), so a test chooses who endorses; and the
// organisations whose endorsements a committed transaction carries, read from its block.
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { type Contract, connect, hash, type Network, signers } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from './fabric-protos.ts';

interface OrgProfile {
  channel: string;
  chaincode: string;
  mspId: string;
  peer: { endpoint: string; tlsRootCert: string };
  identity: { cert: string; key: string };
}

export interface OrgClient {
  mspId: string;
  network: Network;
  contract: Contract;
  close(): void;
}

export function openOrgClient(networkDir: string, mspId: string): OrgClient {
  const file = join(networkDir, 'profiles', `${mspId}.json`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as OrgProfile;
  const at = (p: string) => resolve(dirname(file), p);
  const keyPath = at(profile.identity.key);
  const key = statSync(keyPath).isDirectory() ? join(keyPath, readdirSync(keyPath)[0]) : keyPath;
  const client = new grpc.Client(
    profile.peer.endpoint,
    grpc.credentials.createSsl(readFileSync(at(profile.peer.tlsRootCert))),
  );
  const gateway = connect({
    client,
    identity: { mspId: profile.mspId, credentials: readFileSync(at(profile.identity.cert)) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(key))),
    hash: hash.sha256,
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 30_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
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
