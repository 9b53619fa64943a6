// Checks that run on the raw input before any XML parser sees it, so hostile documents
// (huge, mis-encoded, entity bombs, absurd nesting) are rejected cheaply and predictably.
import type { Locator } from './locate.ts';
import type { Diagnostic } from './model.ts';

export const MAX_MODEL_BYTES = 5 * 1024 * 1024;
export const MAX_DEPTH = 200;
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;

type Decoded = { ok: true; text: string; bytes: Uint8Array } | { ok: false; diagnostic: Diagnostic };

/** Size and encoding: returns the text to parse and the exact bytes to hash. */
export function decodeSource(source: string | Uint8Array): Decoded {
  const size = typeof source === 'string' ? Buffer.byteLength(source, 'utf8') : source.byteLength;
  if (size > MAX_MODEL_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return fail('model-too-large', `The model is ${mb} MB; the limit is ${MAX_MODEL_BYTES / 1024 / 1024} MB`);
  }
  if (typeof source === 'string') return { ok: true, text: source, bytes: Buffer.from(source, 'utf8') };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(source), bytes: source };
  } catch {
    return fail('invalid-encoding', 'The model is not valid UTF-8 text');
  }
}

function fail(code: string, message: string): Decoded {
  return { ok: false, diagnostic: { code, severity: 'error', message } };
}

/**
 * One linear pass over the markup: rejects DOCTYPE/ENTITY declarations (entity expansion
 * attacks), nesting deeper than MAX_DEPTH and giant attribute values. It only needs to be
 * right for documents it lets through; the real parser reports every other syntax error.
 */
export function scanMarkup(text: string, locator: Locator): Diagnostic | undefined {
  const declaration = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (declaration) {
    return at(locator, declaration.index, 'doctype-forbidden', `<!${declaration[1]}> declarations are not allowed in a model`);
  }
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1 && i < text.length) {
    const next = text[i + 1];
    if (text.startsWith('<!--', i)) i = skipPast(text, i, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipPast(text, i, ']]>');
    else if (next === '?' || next === '!') i = skipPast(text, i, '>');
    else if (next === '/') {
      depth--;
      i = skipPast(text, i, '>');
    } else {
      const end = tagEnd(text, i);
      if (typeof end !== 'number') return at(locator, end.valueStart, 'attribute-too-long', end.message);
      if (text[end - 1] !== '/') depth++;
      if (depth > MAX_DEPTH) {
        return at(locator, i, 'too-deeply-nested', `Elements are nested more than ${MAX_DEPTH} levels deep`);
      }
      i = end + 1;
    }
    i = i === -1 ? -1 : text.indexOf('<', i);
  }
  return undefined;
}

function skipPast(text: string, from: number, terminator: string): number {
  const index = text.indexOf(terminator, from);
  return index === -1 ? -1 : index + terminator.length;
}

/** Offset of the `>` closing the tag opened at `start`, honouring quoted attribute values. */
function tagEnd(text: string, start: number): number | { valueStart: number; message: string } {
  let quote = '';
  let valueStart = 0;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (i - valueStart > MAX_ATTRIBUTE_CHARS) {
        return { valueStart, message: `An attribute value is longer than ${MAX_ATTRIBUTE_CHARS / 1024} KB` };
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      valueStart = i;
    } else if (c === '>') return i;
  }
  return text.length;
}

function at(locator: Locator, offset: number, code: string, message: string): Diagnostic {
  const { line, column } = locator.at(offset);
  return { code, severity: 'error', message, line, column };
}
