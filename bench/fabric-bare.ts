// The floor of a Fabric submit for bench/ledger.ts: @hyperledger/fabric-gateway used directly
// with an organisation's connection profile, no govflow client code between the call and the
// network (no canonical JSON, no retries, no result parsing).
import { readConnectionProfile } from '../ledger/fabric/connection.ts';
import { connectOrganisation } from '../ledger/fabric/gateway.ts';

export interface BareGateway {
  submit(fn: string, args: string[]): Promise<void>;
  close(): void;
}

export function openBareGateway(profileFile: string): BareGateway {
  const profile = readConnectionProfile(profileFile);
  const { gateway, client } = connectOrganisation(profile);
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
