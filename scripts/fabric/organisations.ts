// Who is on the local Fabric network and where each node listens. One orderer organisation
// and one peer per organisation: the engine (GovflowMSP) and every department that owns a registry.
import { join } from 'node:path';

export interface PeerOrganisation {
  mspId: string;
  /** cryptogen's organisation domain (folder names under crypto/peerOrganizations/). */
  domain: string;
  /** Ports of its peer: gateway/gossip listener, chaincode listener, operations (health). */
  ports: { peer: number; chaincode: number; operations: number };
}

export const CHANNEL = 'govflow';
export const CHAINCODE = 'govflow';
export const ORDERER_MSP = 'OrdererMSP';
const ORDERER_DOMAIN = 'orderer.govflow.local';

const PEER_ORGS = [
  ['GovflowMSP', 'govflow'],
  ['LandRegistryMSP', 'landregistry'],
  ['TaxBureauMSP', 'taxbureau'],
  ['SocialInsuranceMSP', 'socialinsurance'],
  ['MarketRegulationMSP', 'marketregulation'],
  ['CreditMSP', 'credit'],
] as const;

export interface NetworkLayout {
  dir: string;
  basePort: number;
  orderer: { domain: string; host: string; ports: { listen: number; admin: number; operations: number } };
  /** Where the chaincode service listens; every peer connects to it. */
  chaincodeAddress: string;
  organisations: PeerOrganisation[];
}

/** Default ports start at 7050; tests pass a base of their own so several networks can run. */
export function networkLayout(dir: string, basePort = 7050): NetworkLayout {
  return {
    dir,
    basePort,
    orderer: {
      domain: ORDERER_DOMAIN,
      host: `orderer.${ORDERER_DOMAIN}`,
      ports: { listen: basePort, admin: basePort + 1, operations: basePort + 2 },
    },
    chaincodeAddress: `127.0.0.1:${basePort + 9}`,
    organisations: PEER_ORGS.map(([mspId, name], i) => ({
      mspId,
      domain: `${name}.govflow.local`,
      ports: {
        peer: basePort + 10 + i * 10,
        chaincode: basePort + 11 + i * 10,
        operations: basePort + 12 + i * 10,
      },
    })),
  };
}

/** Paths inside the network directory, so every script finds the same files. */
export const paths = {
  crypto: (l: NetworkLayout) => join(l.dir, 'crypto'),
  ordererOrg: (l: NetworkLayout) => join(l.dir, 'crypto', 'ordererOrganizations', l.orderer.domain),
  ordererNode: (l: NetworkLayout) =>
    join(l.dir, 'crypto', 'ordererOrganizations', l.orderer.domain, 'orderers', l.orderer.host),
  peerOrg: (l: NetworkLayout, o: PeerOrganisation) => join(l.dir, 'crypto', 'peerOrganizations', o.domain),
  peerNode: (l: NetworkLayout, o: PeerOrganisation) =>
    join(l.dir, 'crypto', 'peerOrganizations', o.domain, 'peers', `peer0.${o.domain}`),
  user: (l: NetworkLayout, o: PeerOrganisation, user: 'Admin' | 'User1') =>
    join(l.dir, 'crypto', 'peerOrganizations', o.domain, 'users', `${user}@${o.domain}`),
  genesisBlock: (l: NetworkLayout) => join(l.dir, 'channel', `${CHANNEL}.block`),
  logs: (l: NetworkLayout) => join(l.dir, 'logs'),
  pids: (l: NetworkLayout) => join(l.dir, 'pids'),
  profiles: (l: NetworkLayout) => join(l.dir, 'profiles'),
  description: (l: NetworkLayout) => join(l.dir, 'network.json'),
};
