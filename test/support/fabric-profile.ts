// A connection profile for one process acting as several organisations of a network started by
// `npm run fabric:up` (each through its own organisation's peer), from the network's per-
// organisation profiles: for tests and benchmarks that write a trail as the engine and a department.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

interface OrgProfile {
  channel: string;
  chaincode: string;
  mspId: string;
  peer: { endpoint: string; hostAlias?: string; tlsRootCert: string };
  identity: { cert: string; key: string };
}

export function connectionProfile(dir: string, mspIds = ['GovflowMSP', 'LandRegistryMSP']): string {
  const network = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as {
    organisations: Record<string, { profile: string }>;
  };
  const peers: Record<string, unknown> = {};
  const identities: Record<string, unknown> = {};
  let channel = '';
  let chaincode = '';
  for (const mspId of mspIds) {
    const file = network.organisations[mspId].profile;
    const p = JSON.parse(readFileSync(file, 'utf8')) as OrgProfile;
    const abs = (path: string) => resolve(dirname(file), path);
    ({ channel, chaincode } = p);
    peers[mspId] = {
      endpoint: p.peer.endpoint,
      hostAlias: p.peer.hostAlias,
      tlsRootCert: abs(p.peer.tlsRootCert),
    };
    identities[mspId] = { cert: abs(p.identity.cert), key: abs(p.identity.key), peer: mspId };
  }
  const file = join(mkdtempSync(join(tmpdir(), 'govflow-profile-')), 'connection.json');
  writeFileSync(file, JSON.stringify({ channel, chaincode, peers, identities }));
  return file;
}
