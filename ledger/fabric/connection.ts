// How a process reaches the Fabric network: a connection profile naming ONE organisation, the
// peer it connects through and the identity it signs with. Every process holds only its own
// organisation's profile (`<network dir>/profiles/<MSP id>.json`, or FABRIC_CONNECTION), so no
// process can sign as another organisation: it does not have the key.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  /** PEM file of the X.509 certificate, relative to the profile. */
  cert: z.string().min(1),
  /** Its private key: a PEM file, or cryptogen's keystore folder holding one. */
  key: z.string().min(1),
});

export const ConnectionProfile = z.strictObject({
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  /** The organisation this process acts for. */
  mspId: z.string().regex(/^[A-Za-z][A-Za-z0-9.-]*$/, 'an MSP id such as GovflowMSP'),
  peer: Peer,
  identity: Identity,
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

/** An organisation's profile in a network's profiles folder: `<dir>/<MSP id>.json`. */
export function organisationProfileFile(profilesDir: string, mspId: string): string {
  return join(profilesDir, `${mspId}.json`);
}

/** The profile with every file path made absolute; a clear error names a bad field. */
export function readConnectionProfile(file: string, expectedMspId?: string): ConnectionProfile {
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
    const field =
      issue.path.length > 0 ? issue.path.join('.') : (issue as { keys?: string[] }).keys?.join(', ');
    throw new Error(`Fabric connection profile ${file}: field ${field}: ${issue.message}`);
  }
  const profile = parsed.data;
  if (expectedMspId && profile.mspId !== expectedMspId) {
    throw new Error(
      `Fabric connection profile ${file}: field mspId: it is ${profile.mspId}'s profile, but this process acts for ${expectedMspId}`,
    );
  }
  const base = dirname(resolve(file));
  profile.peer.tlsRootCert = resolve(base, profile.peer.tlsRootCert);
  profile.identity.cert = resolve(base, profile.identity.cert);
  profile.identity.key = resolve(base, profile.identity.key);
  return profile;
}
