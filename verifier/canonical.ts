// canonicalJson, the serialisation every hashed or signed JSON value uses (the same algorithm as
// the contract's chaincode/src/canonical.ts, kept here so the verifier depends on nothing):
// object keys sorted by UTF-16 code unit recursively, undefined members dropped, otherwise the
// rules of JSON.stringify (toJSON honoured, non-finite numbers -> null, undefined in arrays -> null).

export function canonicalJson(value: unknown): string {
  const text = encode(value, new Set());
  if (text === undefined) throw new TypeError('canonicalJson: the value itself is not JSON');
  return text;
}

function encode(value: unknown, ancestors: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    value = (value as { toJSON: () => unknown }).toJSON();
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
