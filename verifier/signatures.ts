// Ed25519 through WebCrypto (globalThis.crypto.subtle: browsers and Node 20), and key fingerprints.
import { fromBase64, toHex } from './encoding.ts';
import { sha256 } from './sha256.ts';

const imported = new Map<string, Promise<CryptoKey>>();

function importKey(spkiBase64: string): Promise<CryptoKey> {
  let key = imported.get(spkiBase64);
  if (!key) {
    key = globalThis.crypto.subtle.importKey('spki', fromBase64(spkiBase64), { name: 'Ed25519' }, false, [
      'verify',
    ]);
    imported.set(spkiBase64, key);
    key.catch(() => imported.delete(spkiBase64));
  }
  return key;
}

/** Whether `signature` (base64) is `publicKey`'s Ed25519 signature of `message`; false for malformed input. */
export async function verifyEd25519(
  publicKey: string,
  signature: string,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  try {
    const key = await importKey(publicKey);
    const sig = fromBase64(signature);
    if (sig.length !== 64) return false;
    return await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, sig, message);
  } catch {
    return false;
  }
}

/** SHA-256 hex of the SPKI DER bytes; null when the key is not base64. */
export function fingerprint(publicKey: string): string | null {
  try {
    return toHex(sha256(fromBase64(publicKey)));
  } catch {
    return null;
  }
}
