// ECDSA P-256 with SHA-256 through WebCrypto, for Fabric identities. Fabric signs in DER
// (SEQUENCE { r INTEGER, s INTEGER }) and accepts only low-S signatures (s <= n/2), so each
// signature has one form; WebCrypto wants the raw r || s (IEEE P1363), 32 bytes each.
import { children, DerError, readTlv } from './der.ts';

/** The order n of the P-256 group, and half of it. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = N >> 1n;

const toBig = (bytes: Uint8Array) => bytes.reduce((v, b) => (v << 8n) | BigInt(b), 0n);

/** r || s, or null when the DER is malformed, r or s are out of range, or s is high (when required). */
export function derToP1363(der: Uint8Array, requireLowS: boolean): Uint8Array<ArrayBuffer> | null {
  try {
    const [seq, end] = readTlv(der);
    if (seq.tag !== 0x30 || end !== der.length) return null;
    const parts = children(seq.content);
    if (parts.length !== 2 || parts.some((p) => p.tag !== 0x02)) return null;
    const out = new Uint8Array(64);
    for (const [i, part] of parts.entries()) {
      const value = toBig(part.content);
      if (part.content[0] & 0x80 || value <= 0n || value >= N) return null;
      if (i === 1 && requireLowS && value > HALF_N) return null;
      let bytes = part.content;
      while (bytes.length > 32 && bytes[0] === 0) bytes = bytes.subarray(1);
      if (bytes.length > 32) return null;
      out.set(bytes, i * 32 + 32 - bytes.length);
    }
    return out;
  } catch (err) {
    if (err instanceof DerError) return null;
    throw err;
  }
}

const imported = new Map<string, Promise<CryptoKey>>();

function importSpki(spki: Uint8Array): Promise<CryptoKey> {
  const id = Array.from(spki, (b) => String.fromCharCode(b)).join('');
  let key = imported.get(id);
  if (!key) {
    if (imported.size > 4096) imported.clear();
    key = globalThis.crypto.subtle.importKey(
      'spki',
      Uint8Array.from(spki),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    imported.set(id, key);
    key.catch(() => imported.delete(id));
  }
  return key;
}

/** Whether `signature` (DER) by the key `spki` covers `message`; false for anything malformed. */
export async function verifyEcdsa(
  spki: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
  requireLowS = true,
): Promise<boolean> {
  const raw = derToP1363(signature, requireLowS);
  if (!raw) return false;
  try {
    const key = await importSpki(spki);
    return await globalThis.crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      raw,
      Uint8Array.from(message),
    );
  } catch {
    return false;
  }
}
