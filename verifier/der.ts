// A minimal DER reader for the X.509 certificates Fabric identities carry (PEM), and the one DER
// structure Fabric signs besides them: a block header, SEQUENCE { number INTEGER, previousHash
// OCTET STRING, dataHash OCTET STRING } (protoutil.BlockHeaderBytes, Go's encoding/asn1).
import { fromBase64 } from './encoding.ts';

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  /** The whole element, tag and length included (what a signature covers). */
  raw: Uint8Array;
  /** The content octets. */
  content: Uint8Array;
}

/** The element at `at`, and where the next one starts. Only definite, minimal lengths (DER). */
export function readTlv(bytes: Uint8Array, at = 0): [Tlv, number] {
  if (at + 2 > bytes.length) throw new DerError('truncated element');
  const tag = bytes[at];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let length = bytes[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
    if (length < 0x80 || bytes[at + 2] === 0) throw new DerError('non-minimal length');
  }
  const end = start + length;
  if (end > bytes.length) throw new DerError('element runs past the end');
  return [{ tag, raw: bytes.subarray(at, end), content: bytes.subarray(start, end) }, end];
}

/** The elements inside a constructed element's content. */
export function children(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < content.length; ) {
    const [tlv, next] = readTlv(content, at);
    out.push(tlv);
    at = next;
  }
  return out;
}

function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}`);
  return tlv;
}

const SEQUENCE = 0x30;
const OID_ECDSA_SHA256 = '2a8648ce3d040302'; // 1.2.840.10045.4.3.2
const OID_OU = '55040b'; // 2.5.4.11 organizationalUnitName
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

export interface Certificate {
  /** The DER TBSCertificate: what the issuer signed. */
  tbs: Uint8Array;
  /** DER ECDSA signature of the issuer over tbs. */
  signature: Uint8Array;
  signatureAlgorithmIsEcdsaSha256: boolean;
  issuer: Uint8Array;
  subject: Uint8Array;
  /** DER SubjectPublicKeyInfo, importable by WebCrypto as 'spki'. */
  spki: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The subject's organizational units (Fabric's node OUs: peer, orderer, client, admin). */
  organizationalUnits: string[];
}

function parseTime(tlv: Tlv): Date {
  const s = latin1(tlv.content);
  const m =
    tlv.tag === 0x17
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m || (tlv.tag !== 0x17 && tlv.tag !== 0x18)) throw new DerError(`bad certificate time "${s}"`);
  let year = Number(m[1]);
  if (tlv.tag === 0x17) year += year < 50 ? 2000 : 1900; // RFC 5280 4.1.2.5.1
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function organizationalUnits(name: Uint8Array): string[] {
  const out: string[] = [];
  for (const rdn of children(name))
    for (const attribute of children(rdn.content)) {
      const [type, value] = children(attribute.content);
      if (type?.tag === 0x06 && hex(type.content) === OID_OU && value) out.push(latin1(value.content));
    }
  return out;
}

export function parseCertificate(der: Uint8Array): Certificate {
  const [cert, end] = readTlv(der);
  if (cert.tag !== SEQUENCE || end !== der.length) throw new DerError('not a DER certificate');
  const [tbs, algorithm, signature] = children(cert.content);
  expect(tbs, SEQUENCE, 'tbsCertificate');
  const [algOid] = children(expect(algorithm, SEQUENCE, 'signatureAlgorithm').content);
  const sigBits = expect(signature, 0x03, 'signatureValue');
  if (sigBits.content[0] !== 0) throw new DerError('signature bit string has unused bits');
  const fields = children(tbs.content);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const issuer = expect(fields[offset + 2], SEQUENCE, 'issuer');
  const validity = children(expect(fields[offset + 3], SEQUENCE, 'validity').content);
  const subject = expect(fields[offset + 4], SEQUENCE, 'subject');
  const spki = expect(fields[offset + 5], SEQUENCE, 'subjectPublicKeyInfo');
  return {
    tbs: tbs.raw,
    signature: sigBits.content.subarray(1),
    signatureAlgorithmIsEcdsaSha256: algOid?.tag === 0x06 && hex(algOid.content) === OID_ECDSA_SHA256,
    issuer: issuer.raw,
    subject: subject.raw,
    spki: spki.raw,
    notBefore: parseTime(validity[0]),
    notAfter: parseTime(validity[1]),
    organizationalUnits: organizationalUnits(subject.content),
  };
}

/** The DER bytes of the first CERTIFICATE block of a PEM text. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new DerError('not a PEM certificate');
  return fromBase64(m[1].replace(/\s+/g, ''));
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

function element(tag: number, content: Uint8Array): Uint8Array {
  const head = [tag, ...encodeLength(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head);
  out.set(content, head.length);
  return out;
}

/** A non-negative INTEGER's content: minimal big-endian, a leading 0 when the top bit is set. */
function unsignedInteger(value: bigint): Uint8Array {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

/** protoutil.BlockHeaderBytes: what the orderer signs (with its metadata) and what the next block's previousHash hashes. */
export function blockHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Uint8Array {
  const parts = [
    element(0x02, unsignedInteger(number)),
    element(0x04, previousHash),
    element(0x04, dataHash),
  ];
  const content = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    content.set(p, at);
    at += p.length;
  }
  return element(SEQUENCE, content);
}
