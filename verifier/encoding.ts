// Byte encodings the formats use: lowercase hex for hashes, standard base64 for keys and
// signatures, UTF-8 for signed text. Only globals that browsers and Node 20 both have.
import { sha256 } from './sha256.ts';

const encoder = new TextEncoder();

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text);

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Whether `text` is a SHA-256 in lowercase hex. */
export const isHash = (text: unknown): text is string => typeof text === 'string' && HEX64.test(text);

export function fromHex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new Error(`not lowercase hex: "${text.slice(0, 20)}"`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard base64, refusing non-canonical text (so a signature has exactly one spelling). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error('not base64');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  if (toBase64(out) !== text) throw new Error('not canonical base64');
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** SHA-256 hex of a string's UTF-8 bytes. */
export const sha256Hex = (text: string): string => toHex(sha256(utf8(text)));
