// The network's long-running processes: the orderer, one peer per organisation and the chaincode
// service. Each node gets a copy of the release's sample configuration with the few changes a
// Docker-free network needs; everything else is set through its environment (ORDERER_*, CORE_*).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/config.ts';
import { fabricBinary, fabricHome, fabricSampleConfig } from './binaries.ts';
import { type NetworkLayout, ORDERER_MSP, type PeerOrganisation, paths } from './organisations.ts';
import type { NodeProcess } from './processes.ts';

export const ORDERER = 'orderer';
export const CHAINCODE_SERVER = 'chaincode';
export const peerName = (o: PeerOrganisation) => `peer-${o.mspId}`;

export function ordererNode(layout: NetworkLayout): NodeProcess {
  const home = join(layout.dir, 'orderer');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'orderer.yaml'), readFileSync(fabricSampleConfig('orderer.yaml')));
  const node = paths.ordererNode(layout);
  const tls = (f: string) => join(node, 'tls', f);
  const { listen, admin, operations } = layout.orderer.ports;
  return {
    name: ORDERER,
    cmd: fabricBinary('orderer'),
    args: [],
    env: {
      FABRIC_CFG_PATH: home,
      FABRIC_LOGGING_SPEC: 'warning',
      ORDERER_GENERAL_LISTENADDRESS: '127.0.0.1',
      ORDERER_GENERAL_LISTENPORT: String(listen),
      ORDERER_GENERAL_LOCALMSPID: ORDERER_MSP,
      ORDERER_GENERAL_LOCALMSPDIR: join(node, 'msp'),
      ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
      ORDERER_GENERAL_TLS_ENABLED: 'true',
      ORDERER_GENERAL_TLS_PRIVATEKEY: tls('server.key'),
      ORDERER_GENERAL_TLS_CERTIFICATE: tls('server.crt'),
      ORDERER_GENERAL_TLS_ROOTCAS: `[${tls('ca.crt')}]`,
      // Single-node Raft talks to itself on the main listener with the server's TLS pair.
      ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: tls('server.crt'),
      ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: tls('server.key'),
      ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${tls('ca.crt')}]`,
      ORDERER_FILELEDGER_LOCATION: join(home, 'ledger'),
      ORDERER_CONSENSUS_WALDIR: join(home, 'etcdraft', 'wal'),
      ORDERER_CONSENSUS_SNAPDIR: join(home, 'etcdraft', 'snapshot'),
      ORDERER_OPERATIONS_LISTENADDRESS: `127.0.0.1:${operations}`,
      ORDERER_ADMIN_LISTENADDRESS: `127.0.0.1:${admin}`,
      ORDERER_ADMIN_TLS_ENABLED: 'true',
      ORDERER_ADMIN_TLS_PRIVATEKEY: tls('server.key'),
      ORDERER_ADMIN_TLS_CERTIFICATE: tls('server.crt'),
      ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
      ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${tls('ca.crt')}]`,
    },
    health: `http://127.0.0.1:${operations}/healthz`,
  };
}

/** core.yaml for a peer without Docker: no VM endpoint, the cached chaincode-as-a-service builder. */
function peerCoreYaml(): string {
  const sample = readFileSync(fabricSampleConfig('core.yaml'), 'utf8');
  const withoutDocker = sample.replace(/endpoint: unix:\/\/\/var\/run\/docker\.sock/, 'endpoint: ""');
  const withBuilder = withoutDocker.replace(
    /path: \/opt\/hyperledger\/ccaas_builder/,
    `path: ${join(fabricHome(), 'builders', 'ccaas')}`,
  );
  if (withBuilder === withoutDocker || withoutDocker === sample)
    throw new Error(
      `${fabricSampleConfig('core.yaml')} does not have the expected vm.endpoint and ccaas builder entries`,
    );
  return withBuilder;
}

/** FABRIC_CFG_PATH of an organisation's peer and of the peer CLI acting for it. */
export function peerHome(layout: NetworkLayout, o: PeerOrganisation): string {
  return join(layout.dir, 'peers', o.mspId);
}

export function peerNode(layout: NetworkLayout, o: PeerOrganisation): NodeProcess {
  const home = peerHome(layout, o);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'core.yaml'), peerCoreYaml());
  const node = paths.peerNode(layout, o);
  const address = `127.0.0.1:${o.ports.peer}`;
  const chaincode = `127.0.0.1:${o.ports.chaincode}`;
  return {
    name: peerName(o),
    cmd: fabricBinary('peer'),
    args: ['node', 'start'],
    env: {
      FABRIC_CFG_PATH: home,
      FABRIC_LOGGING_SPEC: 'warning',
      CORE_PEER_ID: `peer0.${o.domain}`,
      CORE_PEER_ADDRESS: address,
      CORE_PEER_LISTENADDRESS: address,
      CORE_PEER_CHAINCODEADDRESS: chaincode,
      CORE_PEER_CHAINCODELISTENADDRESS: chaincode,
      CORE_PEER_GOSSIP_BOOTSTRAP: address,
      CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
      // Peers start before they join the channel, so their first calls to the anchor peers fail
      // (no channel TLS roots yet); retry soon rather than after the default 25 s.
      CORE_PEER_GOSSIP_RECONNECTINTERVAL: '1s',
      CORE_PEER_GOSSIP_ALIVETIMEINTERVAL: '1s',
      CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT: '5s',
      CORE_PEER_LOCALMSPID: o.mspId,
      CORE_PEER_MSPCONFIGPATH: join(node, 'msp'),
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_CERT_FILE: join(node, 'tls', 'server.crt'),
      CORE_PEER_TLS_KEY_FILE: join(node, 'tls', 'server.key'),
      CORE_PEER_TLS_ROOTCERT_FILE: join(node, 'tls', 'ca.crt'),
      CORE_PEER_FILESYSTEMPATH: join(home, 'data'),
      CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(home, 'snapshots'),
      CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
      CORE_OPERATIONS_LISTENADDRESS: `127.0.0.1:${o.ports.operations}`,
      CORE_METRICS_PROVIDER: 'disabled',
    },
    health: `http://127.0.0.1:${o.ports.operations}/healthz`,
  };
}

/** The chaincode from chaincode/dist served as a chaincode service every peer connects to. */
export function chaincodeServerNode(layout: NetworkLayout, packageId: string): NodeProcess {
  return {
    name: CHAINCODE_SERVER,
    cmd: process.execPath,
    args: [
      join(REPO_ROOT, 'node_modules', 'fabric-shim', 'cli.js'),
      'server',
      '--module-path',
      join(REPO_ROOT, 'chaincode'),
      '--chaincode-address',
      layout.chaincodeAddress,
      '--chaincode-id',
      packageId,
    ],
    env: { CORE_CHAINCODE_LOGGING_LEVEL: 'warning', CORE_CHAINCODE_LOGGING_SHIM: 'warning' },
    listens: layout.chaincodeAddress,
  };
}
