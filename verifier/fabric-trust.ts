// Trust anchors of a Fabric channel, as its configuration block names them: each organisation's
// MSP root certificates (and whether it orders blocks), plus what govflow's contract fixes (its
// chaincode name, the engine's organisation, who owns each registry). A verifier pins this
// document, or its fingerprint, from outside the receipt; and an identity is trusted when its
// certificate was issued by one of its organisation's roots and, where the organisation uses
// Fabric's node OUs, carries the role it acted in.
import { canonicalJson } from './canonical.ts';
import { type Certificate, parseCertificate, pemToDer } from './der.ts';
import { verifyEcdsa } from './ecdsa.ts';
import { sha256Hex, toBase64 } from './encoding.ts';
import type { Identity } from './fabric-block.ts';

export const FABRIC_TRUST_FORMAT = 'govflow-fabric-trust/1';

export interface FabricOrganisation {
  mspId: string;
  /** The MSP's root CA certificates (PEM) from the channel configuration. */
  roots: string[];
  /** Whether the MSP classifies identities by node OU (peer, orderer, client, admin). */
  nodeOUs: boolean;
  /** An orderer organisation (its identities sign blocks). */
  orderer: boolean;
}

export interface FabricTrust {
  format: typeof FABRIC_TRUST_FORMAT;
  channel: string;
  chaincode: string;
  /** The organisation whose transactions record steps and registrations. */
  engineMspId: string;
  organisations: FabricOrganisation[];
  /** Registry name → the organisation that owns it (chaincode/src/registries.ts). */
  registryOwners: Record<string, string>;
  /** trustFingerprint of the rest. */
  fingerprint: string;
}

/** SHA-256 over the canonical JSON of the anchors, certificates as base64 DER, organisations sorted. */
export function trustFingerprint(trust: Omit<FabricTrust, 'fingerprint'>): string {
  const organisations = [...trust.organisations]
    .sort((a, b) => (a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0))
    .map((o) => ({
      mspId: o.mspId,
      roots: o.roots.map((pem) => toBase64(pemToDer(pem))).sort(),
      nodeOUs: o.nodeOUs === true,
      orderer: o.orderer === true,
    }));
  return sha256Hex(
    canonicalJson({
      format: trust.format,
      channel: trust.channel,
      chaincode: trust.chaincode,
      engineMspId: trust.engineMspId,
      organisations,
      registryOwners: trust.registryOwners,
    }),
  );
}

const parsed = new Map<string, Certificate | null>();

function certificate(pem: string): Certificate | null {
  if (!parsed.has(pem)) {
    if (parsed.size > 4096) parsed.clear(); // a bound for long-running verifiers
    try {
      parsed.set(pem, parseCertificate(pemToDer(pem)));
    } catch {
      parsed.set(pem, null);
    }
  }
  return parsed.get(pem) ?? null;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether `root` issued `cert`: memoised, since a receipt repeats the same few certificates. */
const issuance = new Map<string, Promise<boolean>>();
function issuedBy(certPem: string, cert: Certificate, rootPem: string): Promise<boolean> {
  const id = `${certPem}\u0000${rootPem}`;
  let result = issuance.get(id);
  if (!result) {
    if (issuance.size > 4096) issuance.clear();
    const root = certificate(rootPem);
    result =
      !root || !sameBytes(root.subject, cert.issuer) || !cert.signatureAlgorithmIsEcdsaSha256
        ? Promise.resolve(false)
        : verifyEcdsa(root.spki, cert.signature, cert.tbs, false);
    issuance.set(id, result);
  }
  return result;
}

/** The node OU an identity must carry for what it did (null: any member). */
export type Role = 'peer' | 'orderer';

/**
 * Why `identity` is not a trusted member of its organisation acting as `role` at `at`, or null:
 * its certificate must parse, be issued by (and verify with) one of the pinned roots of its MSP,
 * be valid at that time, and carry the role's OU when the MSP uses node OUs.
 */
export async function identityProblem(
  trust: FabricTrust,
  identity: Identity,
  role: Role | null,
  at: Date,
): Promise<string | null> {
  const org = trust.organisations.find((o) => o.mspId === identity.mspId);
  if (!org) return `organisation ${identity.mspId} is not in the channel's pinned configuration`;
  if (role === 'orderer' && !org.orderer) return `${identity.mspId} is not an orderer organisation`;
  const cert = certificate(identity.certificate);
  if (!cert) return `${identity.mspId}'s certificate does not parse`;
  let issued = false;
  for (const pem of org.roots) {
    if (await issuedBy(identity.certificate, cert, pem)) {
      issued = true;
      break;
    }
  }
  if (!issued)
    return `${identity.mspId}'s certificate was not issued by any of its organisation's root certificates`;
  if (at < cert.notBefore || at > cert.notAfter)
    return `${identity.mspId}'s certificate was not valid at ${at.toISOString()}`;
  if (org.nodeOUs && role && !cert.organizationalUnits.includes(role))
    return `${identity.mspId}'s certificate is not a ${role} identity (OUs: ${cert.organizationalUnits.join(', ') || 'none'})`;
  return null;
}

/** The SubjectPublicKeyInfo of an identity's certificate (null when it does not parse). */
export const identityKey = (identity: Identity): Uint8Array | null =>
  certificate(identity.certificate)?.spki ?? null;
