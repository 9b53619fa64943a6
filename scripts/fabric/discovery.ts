// When is the network really up? When every organisation's peer, asked through Fabric's
// discovery service, knows every other organisation's peer and that each runs the chaincode:
// only then can a gateway collect the endorsements a policy asks for.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fabricBinary } from './binaries.ts';
import { CHAINCODE, CHANNEL, type NetworkLayout, type PeerOrganisation, paths } from './organisations.ts';
import { NetworkError, runTool, sleep } from './processes.ts';

interface DiscoveredPeer {
  MSPID: string;
  Endpoint: string;
  Chaincodes?: string[] | null;
}

function discoverConfig(layout: NetworkLayout, o: PeerOrganisation): string {
  const file = join(layout.dir, 'discover', `${o.mspId}.yaml`);
  if (existsSync(file)) return file;
  mkdirSync(join(layout.dir, 'discover'), { recursive: true });
  const msp = join(paths.user(layout, o, 'User1'), 'msp');
  const first = (dir: string) => join(dir, readdirSync(dir)[0]);
  runTool('discover saveConfig', fabricBinary('discover'), [
    '--peerTLSCA',
    join(paths.peerNode(layout, o), 'tls', 'ca.crt'),
    '--userKey',
    first(join(msp, 'keystore')),
    '--userCert',
    first(join(msp, 'signcerts')),
    '--MSP',
    o.mspId,
    '--configFile',
    file,
    'saveConfig',
  ]);
  return file;
}

/** Organisations whose peer `o`'s peer does not yet see running the chaincode. */
function unseen(layout: NetworkLayout, o: PeerOrganisation): string[] {
  const result = spawnSync(
    fabricBinary('discover'),
    [
      '--configFile',
      discoverConfig(layout, o),
      'peers',
      '--channel',
      CHANNEL,
      '--server',
      `127.0.0.1:${o.ports.peer}`,
    ],
    { encoding: 'utf8', env: { ...process.env, FABRIC_LOGGING_SPEC: 'error' } },
  );
  let peers: DiscoveredPeer[] = [];
  try {
    peers = result.status === 0 ? (JSON.parse(result.stdout) as DiscoveredPeer[]) : [];
  } catch {
    peers = [];
  }
  const running = new Set(peers.filter((p) => p.Chaincodes?.includes(CHAINCODE)).map((p) => p.MSPID));
  return layout.organisations.map((x) => x.mspId).filter((m) => !running.has(m));
}

export async function waitForDiscovery(layout: NetworkLayout, timeoutMs = 60_000): Promise<void> {
  const since = Date.now();
  let pending = layout.organisations;
  let last: string[] = [];
  while (pending.length > 0) {
    const still = pending.map((o) => ({ o, missing: unseen(layout, o) })).filter((x) => x.missing.length > 0);
    if (still.length === 0) return;
    pending = still.map((x) => x.o);
    last = still.map((x) => `${x.o.mspId} does not see ${x.missing.join(', ')}`);
    if (Date.now() - since > timeoutMs)
      throw new NetworkError(
        `peers do not find each other after ${timeoutMs / 1000} s: ${last.join('; ')} (see the peer logs under ${paths.logs(layout)})`,
      );
    await sleep(250);
  }
}
