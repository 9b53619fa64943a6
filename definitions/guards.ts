// Checks on the raw input, before anything reads it as XML: size, encoding, emptiness, and the
// markup guards (DOCTYPE, nesting, attribute size). BPMN and DMN models go through the same.
import { Locator } from './locate.ts';
import { scanMarkup } from './markup.ts';
import type { Diagnostic } from './model.ts';

export const MAX_MODEL_BYTES = 5 * 1024 * 1024;

type Decoded = { ok: true; text: string; bytes: Uint8Array } | { ok: false; diagnostic: Diagnostic };

/** Size and encoding: returns the text to parse and the exact bytes to hash. */
export function decodeSource(source: string | Uint8Array): Decoded {
  const size = typeof source === 'string' ? Buffer.byteLength(source, 'utf8') : source.byteLength;
  if (size > MAX_MODEL_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return fail('model-too-large', `The model is ${mb} MB; the limit is ${MAX_MODEL_BYTES / 1024 / 1024} MB`);
  }
  // a byte-order mark is part of the hashed bytes, not of the text the parser sees
  if (typeof source === 'string')
    return { ok: true, text: source.replace(/^\uFEFF/, ''), bytes: Buffer.from(source, 'utf8') };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(source), bytes: source };
  } catch {
    return fail('invalid-encoding', 'The model is not valid UTF-8 text');
  }
}

function fail(code: string, message: string): Decoded {
  return { ok: false, diagnostic: { code, severity: 'error', message } };
}

export type ModelSource =
  | { ok: true; text: string; bytes: Uint8Array; locator: Locator }
  | { ok: false; diagnostic: Diagnostic };

/** Every check before parsing: the text to parse, its exact bytes to hash, and its line index. */
export function readModelSource(source: string | Uint8Array): ModelSource {
  const decoded = decodeSource(source);
  if (!decoded.ok) return decoded;
  const { text, bytes } = decoded;
  if (!text.trim())
    return {
      ok: false,
      diagnostic: { code: 'model-empty', severity: 'error', message: 'The model is empty' },
    };
  const locator = new Locator(text);
  const markup = scanMarkup(text, locator);
  return markup ? { ok: false, diagnostic: markup } : { ok: true, text, bytes, locator };
}
