// Small helpers over the chaincode stub: JSON state, range scans and the transaction time.
// Time comes only from the transaction header, never the local clock, so endorsers agree.
import type { Context } from 'fabric-contract-api';
import type { ChaincodeStub } from 'fabric-shim-api';
import { canonicalJson } from './canonical.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function utf8(bytes: Uint8Array | undefined | null): string {
  return bytes ? decoder.decode(bytes) : '';
}

/** The stored JSON at `key`, or null when absent. Throws when the stored bytes are not JSON. */
export async function readJson<T>(stub: ChaincodeStub, key: string): Promise<T | null> {
  const text = utf8(await stub.getState(key));
  return text === '' ? null : (JSON.parse(text) as T);
}

export async function putJson(stub: ChaincodeStub, key: string, value: unknown): Promise<void> {
  await stub.putState(key, encoder.encode(canonicalJson(value)));
}

export function eventPayload(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** Every (key, text) under a partial composite key, in key order. */
export async function scan(stub: ChaincodeStub, objectType: string, attributes: string[]) {
  const rows: { key: string; text: string }[] = [];
  for await (const kv of stub.getStateByPartialCompositeKey(objectType, attributes)) {
    rows.push({ key: kv.key, text: utf8(kv.value) });
  }
  return rows;
}

/** Protobuf timestamps carry seconds as a Long (fabric-shim) or a plain number; accept both. */
export type SecondsLike = number | { toNumber(): number } | { low: number; high: number };

export function timestampMillis(ts: { seconds: SecondsLike; nanos: number }): number {
  const s = ts.seconds;
  let seconds: number;
  if (typeof s === 'number') seconds = s;
  else if ('toNumber' in s && typeof s.toNumber === 'function') seconds = s.toNumber();
  else {
    const { low, high } = s as { low: number; high: number };
    seconds = high * 2 ** 32 + (low >>> 0);
  }
  return seconds * 1000 + Math.floor(ts.nanos / 1e6);
}

export function txTimestampMillis(stub: ChaincodeStub): number {
  return timestampMillis(stub.getTxTimestamp() as unknown as { seconds: SecondsLike; nanos: number });
}

export function txTimestampIso(stub: ChaincodeStub): string {
  return new Date(txTimestampMillis(stub)).toISOString();
}

export function parseJsonArg(text: unknown, fn: string, arg: string): unknown {
  if (typeof text !== 'string') throw new Error(`${fn}: argument "${arg}" must be a JSON string`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${fn}: argument "${arg}" is not valid JSON`);
  }
}

/** A transient field of the proposal as text: data the peer uses but never writes to a block. */
export function transientText(ctx: Context, name: string): string | undefined {
  const bytes = ctx.stub.getTransient().get(name);
  return bytes === undefined ? undefined : utf8(bytes);
}

/**
 * A step call's input with its `variables` taken from the transient field of that name, where
 * the client sends them so that application data stays out of the block. Inline `variables`
 * (a direct call, as tests make) are accepted when there is no transient field, not both.
 */
export function withTransientVariables(ctx: Context, raw: unknown, where: string): unknown {
  const text = transientText(ctx, 'variables');
  if (text === undefined || raw === null || typeof raw !== 'object') return raw;
  if ('variables' in raw) throw new Error(`${where}: "variables" given both inline and as transient data`);
  return { ...raw, variables: parseJsonArg(text, where, 'transient variables') };
}
