// How the Fabric ledger reaches the network: a connection profile (`.data/fabric/connection.json`
// or FABRIC_CONNECTION), naming the channel, the chaincode, each organisation's peer
// (gateway endpoint and TLS root) and the identities the engine and departments submit with.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const Peer = z.object({
  /** host:port of the peer's gateway service. */
  endpoint: z.string().min(1),
  /** The name in the peer's TLS certificate, when it differs from the endpoint's host. */
  hostAlias: z.string().min(1).optional(),
  /** PEM file of the organisation's TLS CA, relative to the profile. */
  tlsRootCert: z.string().min(1),
});

const Identity = z.object({
  /** PEM files of the X.509 certificate and its private key, relative to the profile. */
  cert: z.string().min(1),
  key: z.string().min(1),
  /** The organisation (MSP id) whose peer this identity connects through. */
  peer: z.string().min(1),
});

export const ConnectionProfile = z.object({
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  peers: z.record(z.string(), Peer),
  identities: z.record(z.string(), Identity),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

/** The profile with every file path made absolute; a clear error names a bad field. */
export function readConnectionProfile(file: string): ConnectionProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `cannot read the Fabric connection profile ${file}: ${(err as Error).message} (LEDGER=fabric needs a running network and its profile; see the README's Fabric section)`,
    );
  }
  const parsed = ConnectionProfile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Fabric connection profile ${file}: field ${issue.path.join('.')}: ${issue.message}`);
  }
  const base = dirname(resolve(file));
  const profile = parsed.data;
  for (const peer of Object.values(profile.peers)) peer.tlsRootCert = resolve(base, peer.tlsRootCert);
  for (const [mspId, identity] of Object.entries(profile.identities)) {
    identity.cert = resolve(base, identity.cert);
    identity.key = resolve(base, identity.key);
    if (!profile.peers[identity.peer])
      throw new Error(
        `Fabric connection profile ${file}: field identities.${mspId}.peer names ${identity.peer}, which has no peer`,
      );
  }
  return profile;
}
