// Deterministic JSON and hashing. Every peer must produce byte-identical state for the same
// transaction, and anyone must be able to recompute a record's hash, so key order is fixed.
// Dependency-free on purpose: the application imports this too.
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted recursively (by UTF-16 code unit, like Array#sort), `undefined`
 * members dropped, and otherwise the same rules as JSON.stringify (toJSON honoured,
 * non-finite numbers -> null, undefined in arrays -> null).
 */
export function canonicalJson(value: unknown): string {
  const text = encode(value, new Set());
  if (text === undefined)
    throw new TypeError('canonicalJson: the value itself is not JSON (undefined, a function or a symbol)');
  return text;
}

function encode(value: unknown, ancestors: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (ancestors.has(obj)) throw new TypeError('canonicalJson: circular structure');
  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((item) => encode(item, ancestors) ?? 'null').join(',')}]`;
    const members: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const encoded = encode((obj as Record<string, unknown>)[key], ancestors);
      if (encoded !== undefined) members.push(`${JSON.stringify(key)}:${encoded}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(obj);
  }
}

/** SHA-256 as lowercase hex; strings are hashed as UTF-8. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
