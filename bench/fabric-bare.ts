// The floor of a Fabric submit for bench/ledger.ts: @hyperledger/fabric-gateway used directly
// with an organisation's connection profile, no govflow client code between the call and the
// network (no canonical JSON, no retries, no result parsing).
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';

export interface BareGateway {
  submit(fn: string, args: string[]): Promise<void>;
  close(): void;
}

interface Profile {
  channel: string;
  chaincode: string;
  mspId: string;
  peer: { endpoint: string; hostAlias?: string; tlsRootCert: string };
  identity: { cert: string; key: string };
}

export function openBareGateway(profileFile: string): BareGateway {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as Profile;
  const at = (p: string) => resolve(dirname(profileFile), p);
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
  });
  const contract = gateway.getNetwork(profile.channel).getContract(profile.chaincode);
  return {
    submit: async (fn, args) => {
      await contract.submit(fn, { arguments: args });
    },
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
