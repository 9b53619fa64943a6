// A minimal protocol buffers reader: enough to walk Fabric's blocks without their .proto files.
// A message becomes its fields by number, each a list of values in order of appearance:
// varints as bigint, length-delimited fields as the bytes they hold (a nested message, a string
// or bytes, as the caller knows from the schema). Fixed 32/64-bit fields are kept as bytes.

export type Field = bigint | Uint8Array;
export type Fields = Map<number, Field[]>;

export class ProtoError extends Error {}

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i];
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7n;
  }
  throw new ProtoError(`truncated varint at byte ${at}`);
}

/** The message's fields; throws ProtoError on bytes that are not a protobuf message. */
export function decode(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  let at = 0;
  while (at < bytes.length) {
    const [tag, next] = readVarint(bytes, at);
    at = next;
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (number === 0) throw new ProtoError('field number 0');
    let value: Field;
    if (wire === 0) [value, at] = readVarint(bytes, at);
    else if (wire === 2) {
      const [length, start] = readVarint(bytes, at);
      const end = start + Number(length);
      if (length > BigInt(bytes.length) || end > bytes.length)
        throw new ProtoError(`field ${number} runs past the end`);
      value = bytes.subarray(start, end);
      at = end;
    } else if (wire === 1 || wire === 5) {
      const end = at + (wire === 1 ? 8 : 4);
      if (end > bytes.length) throw new ProtoError(`field ${number} runs past the end`);
      value = bytes.subarray(at, end);
      at = end;
    } else throw new ProtoError(`unsupported wire type ${wire} of field ${number}`);
    const list = fields.get(number);
    if (list) list.push(value);
    else fields.set(number, [value]);
  }
  return fields;
}

const EMPTY = new Uint8Array(0);
const text = new TextDecoder('utf-8', { fatal: true });

/** The last occurrence of a length-delimited field (proto3 semantics), empty when absent. */
export function bytesOf(fields: Fields, number: number): Uint8Array {
  const list = fields.get(number);
  const value = list?.[list.length - 1];
  if (value === undefined) return EMPTY;
  if (typeof value === 'bigint') throw new ProtoError(`field ${number} is a number, not bytes`);
  return value;
}

/** Every occurrence of a repeated length-delimited field. */
export function repeatedBytes(fields: Fields, number: number): Uint8Array[] {
  return (fields.get(number) ?? []).map((value) => {
    if (typeof value === 'bigint') throw new ProtoError(`field ${number} is a number, not bytes`);
    return value;
  });
}

export const messageOf = (fields: Fields, number: number): Fields => decode(bytesOf(fields, number));

export const stringOf = (fields: Fields, number: number): string => text.decode(bytesOf(fields, number));

/** A varint field, 0n when absent. */
export function varintOf(fields: Fields, number: number): bigint {
  const list = fields.get(number);
  const value = list?.[list.length - 1];
  if (value === undefined) return 0n;
  if (typeof value !== 'bigint') throw new ProtoError(`field ${number} is bytes, not a number`);
  return value;
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Encodes length-delimited fields in the order given (how Go marshals a message of such fields). */
export function encodeBytesFields(entries: [number, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [number, value] of entries) {
    if (value.length === 0) continue; // proto3 omits empty bytes
    parts.push(Uint8Array.from([...varintBytes(number * 8 + 2), ...varintBytes(value.length)]), value);
  }
  return concatBytes(parts);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
