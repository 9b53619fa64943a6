// A local Fabric network in one directory: brought up from nothing, or started again on the
// ledgers it already has. `startNetwork` is what `npm run fabric:up` and the test setup call.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../cli/config.ts';
import { fabricBinariesMissing } from './binaries.ts';
import { generateCrypto, generateGenesisBlock } from './crypto-and-channel.ts';
import { waitForDiscovery } from './discovery.ts';
import {
  buildChaincode,
  defineChaincode,
  definitionHash,
  installChaincode,
  joinOrderer,
  joinPeer,
  packageChaincode,
} from './lifecycle.ts';
import { CHAINCODE_SERVER, chaincodeServerNode, ORDERER, ordererNode, peerName, peerNode } from './nodes.ts';
import {
  CHAINCODE,
  CHANNEL,
  type NetworkLayout,
  networkLayout,
  type PeerOrganisation,
  paths,
} from './organisations.ts';
import { logFile, NetworkError, pidFile, startNode, stopNode } from './processes.ts';

export { NetworkError } from './processes.ts';

export function defaultNetworkDir(): string {
  return process.env.FABRIC_NETWORK_DIR || join(REPO_ROOT, '.data', 'fabric');
}

export interface NetworkDescription {
  channel: string;
  chaincode: string;
  basePort: number;
  orderer: { endpoint: string; tlsRootCert: string; mspId: string; msp: string };
  organisations: Record<
    string,
    { peer: string; tlsRootCert: string; operations: string; msp: string; profile: string }
  >;
  /** Node name → its log file; pid files are under pids/. */
  logs: Record<string, string>;
  chaincodeDefinition: { packageId: string; sequence: number; hash: string };
}

export interface StartOptions {
  basePort?: number;
  log?: (line: string) => void;
}

export function readNetworkDescription(dir: string): NetworkDescription | undefined {
  const file = join(dir, 'network.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NetworkDescription) : undefined;
}

/** Brings the network in `dir` up (idempotent) and returns its description. */
export async function startNetwork(dir: string, options: StartOptions = {}): Promise<NetworkDescription> {
  const log = options.log ?? (() => {});
  const missing = fabricBinariesMissing();
  if (missing) throw new NetworkError(missing);
  const previous = readNetworkDescription(dir);
  const layout = networkLayout(dir, options.basePort ?? previous?.basePort ?? 7050);
  mkdirSync(dir, { recursive: true });
  const since = Date.now();
  generateCrypto(layout);
  generateGenesisBlock(layout);
  log(`  identities and channel block in ${dir}`);
  await startNode(dir, ordererNode(layout));
  joinOrderer(layout);
  log(`  orderer on 127.0.0.1:${layout.orderer.ports.listen}`);
  await Promise.all(layout.organisations.map((o) => startNode(dir, peerNode(layout, o))));
  for (const o of layout.organisations) joinPeer(layout, o);
  log(`  ${layout.organisations.length} peers joined channel ${CHANNEL}`);
  buildChaincode(log);
  const pkg = packageChaincode(layout);
  await startNode(dir, chaincodeServerNode(layout, pkg.packageId));
  for (const o of layout.organisations) installChaincode(layout, o, pkg);
  const hash = definitionHash(pkg.packageId);
  const sequence =
    previous?.chaincodeDefinition.hash === hash
      ? previous.chaincodeDefinition.sequence
      : (previous?.chaincodeDefinition.sequence ?? 0) + 1;
  await defineChaincode(layout, pkg.packageId, sequence);
  await waitForDiscovery(layout);
  log(`  chaincode ${CHAINCODE} (sequence ${sequence}) served from ${layout.chaincodeAddress}`);
  const description = describe(layout, { packageId: pkg.packageId, sequence, hash });
  writeProfiles(layout);
  writeFileSync(paths.description(layout), `${JSON.stringify(description, null, 2)}\n`);
  log(`  up in ${((Date.now() - since) / 1000).toFixed(1)} s`);
  return description;
}

/** Stops every process a pid file under `dir` names; returns their names. */
export async function stopNetwork(dir: string): Promise<string[]> {
  const pids = join(dir, 'pids');
  if (!existsSync(pids)) return [];
  const names = readdirSync(pids)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => f.slice(0, -4));
  // Clients first, then the peers, the orderer last.
  const order = (n: string) => (n === CHAINCODE_SERVER ? 0 : n === ORDERER ? 2 : 1);
  names.sort((a, b) => order(a) - order(b));
  const stopped: string[] = [];
  for (const name of names) if (await stopNode(dir, name)) stopped.push(name);
  return stopped;
}

/** Stops one organisation's peer (for tests of a peer going away and coming back). */
export async function stopPeer(dir: string, mspId: string): Promise<void> {
  await stopNode(dir, peerName(organisation(dir, mspId)));
}

export async function startPeer(dir: string, mspId: string): Promise<void> {
  const description = readNetworkDescription(dir);
  if (!description) throw new NetworkError(`no network in ${dir}`);
  await startNode(dir, peerNode(networkLayout(dir, description.basePort), organisation(dir, mspId)));
}

function organisation(dir: string, mspId: string): PeerOrganisation {
  const layout = networkLayout(dir, readNetworkDescription(dir)?.basePort);
  const found = layout.organisations.find((o) => o.mspId === mspId);
  if (!found) throw new NetworkError(`no organisation ${mspId} on the network in ${dir}`);
  return found;
}

function firstFile(folder: string): string {
  const [file] = readdirSync(folder);
  if (!file) throw new NetworkError(`no file in ${folder}`);
  return join(folder, file);
}

/** One connection profile per organisation: its channel, its own peer, its own client identity. */
function writeProfiles(layout: NetworkLayout): void {
  const dir = paths.profiles(layout);
  mkdirSync(dir, { recursive: true });
  for (const o of layout.organisations) {
    const user = join(paths.user(layout, o, 'User1'), 'msp');
    const rel = (p: string) => relative(dir, p);
    const profile = {
      channel: CHANNEL,
      chaincode: CHAINCODE,
      mspId: o.mspId,
      peer: {
        endpoint: `127.0.0.1:${o.ports.peer}`,
        // A name in the peer's TLS certificate (cryptogen's SANs): TLS does not send IP addresses as names.
        hostAlias: 'localhost',
        tlsRootCert: rel(join(paths.peerNode(layout, o), 'tls', 'ca.crt')),
      },
      identity: { cert: rel(firstFile(join(user, 'signcerts'))), key: rel(join(user, 'keystore')) },
    };
    writeFileSync(join(dir, `${o.mspId}.json`), `${JSON.stringify(profile, null, 2)}\n`);
  }
}

function describe(
  layout: NetworkLayout,
  chaincodeDefinition: NetworkDescription['chaincodeDefinition'],
): NetworkDescription {
  const logs: Record<string, string> = {
    [ORDERER]: logFile(layout.dir, ORDERER),
    [CHAINCODE_SERVER]: logFile(layout.dir, CHAINCODE_SERVER),
  };
  for (const o of layout.organisations) logs[peerName(o)] = logFile(layout.dir, peerName(o));
  return {
    channel: CHANNEL,
    chaincode: CHAINCODE,
    basePort: layout.basePort,
    orderer: {
      endpoint: `127.0.0.1:${layout.orderer.ports.listen}`,
      tlsRootCert: join(paths.ordererNode(layout), 'tls', 'ca.crt'),
      mspId: 'OrdererMSP',
      msp: join(paths.ordererOrg(layout), 'msp'),
    },
    organisations: Object.fromEntries(
      layout.organisations.map((o) => [
        o.mspId,
        {
          peer: `127.0.0.1:${o.ports.peer}`,
          tlsRootCert: join(paths.peerNode(layout, o), 'tls', 'ca.crt'),
          operations: `127.0.0.1:${o.ports.operations}`,
          msp: join(paths.peerOrg(layout, o), 'msp'),
          profile: join(paths.profiles(layout), `${o.mspId}.json`),
        },
      ]),
    ),
    logs,
    chaincodeDefinition,
  };
}

export { pidFile };
