// The embedded ledger's durable storage: an append-only file of signed, hash-chained blocks,
// one JSON block per line. Several processes share it; appends happen only under the ledger
// lock (see world-state.ts), readers consume complete lines only.

import { type KeyObject, sign, verify } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';

export const BLOCKS_FILE = 'blocks.jsonl';
/** Where older versions kept the ledger key, beside the blocks: a data dir holding it is of that format. */
export const LEGACY_KEY_FILE = 'signing-key.pem';

/** Position of a committed write, like Fabric's (block number, tx number) key version. */
export interface Version {
  block: number;
  tx: number;
}

export interface ReadRecord {
  key: string;
  version: Version | null;
}

/** A range query's result at simulation time, re-checked at commit to catch phantom reads. */
export interface RangeRecord {
  start: string;
  end: string;
  keys: ReadRecord[];
}

export interface TxRecord {
  txId: string;
  fn: string;
  /** Arguments may carry personal data (rule variables): only their hash is kept. */
  argsHash: string;
  creator: { mspId: string; id: string };
  timestamp: string;
  reads: ReadRecord[];
  ranges: RangeRecord[];
  /** `value: null` is a delete. */
  writes: { key: string; value: string | null }[];
  events: { name: string; payload: string }[];
  valid: boolean;
  /** Private data read and written, as hashes only; absent when none (and in older blocks). */
  privateReads?: HashedPrivateRead[];
  privateWrites?: HashedPrivateWrite[];
  /** State-based endorsement policies the transaction set on keys; absent when none. */
  validationParameters?: ValidationParameterWrite[];
  /**
   * base64 Ed25519 by the creator organisation's key (as the genesis config names it) over
   * UTF-8(canonicalJson(tx without `signature` and `valid`)).
   */
  signature: string;
}

/**
 * A private write as the channel sees it, like Fabric's hashed read/write set: SHA-256 of the key
 * and of the value (null for a delete). The value itself is kept off the blocks (private-store.ts).
 */
export interface HashedPrivateWrite {
  collection: string;
  keyHash: string;
  valueHash: string | null;
}

/**
 * A key's state-based endorsement policy (Fabric's VALIDATION_PARAMETER metadata): the policy
 * bytes as the chaincode built them, base64. Stored and served, never enforced (see stub.ts).
 */
export interface ValidationParameterWrite {
  key: string;
  policy: string;
}

export interface HashedPrivateRead {
  collection: string;
  keyHash: string;
  version: Version | null;
}

export interface Block {
  number: number;
  prevHash: string;
  dataHash: string;
  hash: string;
  timestamp: string;
  txs: TxRecord[];
  /** Ed25519 signature over the header hash, base64. */
  signature: string;
}

export function dataHashOf(txs: unknown): string {
  return sha256Hex(canonicalJson(txs));
}

export function headerHashOf(b: Pick<Block, 'number' | 'prevHash' | 'dataHash' | 'timestamp'>): string {
  return sha256Hex(
    canonicalJson({ number: b.number, prevHash: b.prevHash, dataHash: b.dataHash, timestamp: b.timestamp }),
  );
}

export function signatureValid(hash: string, signature: string, publicKey: KeyObject): boolean {
  try {
    const bytes = Buffer.from(signature, 'base64');
    // Node's base64 decoder is lenient: insist on the canonical text so no byte of it can change.
    if (bytes.toString('base64') !== signature) return false;
    return verify(null, Buffer.from(hash, 'hex'), publicKey, bytes);
  } catch {
    return false;
  }
}

/** Complete lines read since the last call, with their byte position for diagnostics. */
export interface RawLine {
  text: string;
  offset: number;
}

/** The complete lines of an append-only file from `offset` on, and the offset after the last one. */
export function readCompleteLines(fd: number, offset: number): { lines: RawLine[]; offset: number } {
  const size = fstatSync(fd).size;
  if (size <= offset) return { lines: [], offset };
  const buffer = Buffer.alloc(size - offset);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, offset + read);
    if (n === 0) break;
    read += n;
  }
  const end = buffer.subarray(0, read).lastIndexOf(0x0a);
  if (end < 0) return { lines: [], offset };
  const lines: RawLine[] = [];
  let start = 0;
  while (start <= end) {
    const nl = buffer.indexOf(0x0a, start);
    const text = buffer.subarray(start, nl).toString('utf8');
    if (text.trim() !== '') lines.push({ text, offset: offset + start });
    start = nl + 1;
  }
  return { lines, offset: offset + end + 1 };
}

/** Appends `text` to an append-only file and fsyncs it. */
export function appendSynced(fd: number, text: string, sync = true): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  if (sync) fsyncSync(fd);
}

/**
 * Drops what follows the last complete line at `offset`: what a crash in the middle of an append
 * leaves. Only safe under the ledger lock, after reading up to `offset`. Returns the bytes dropped.
 */
export function discardPartialTail(fd: number, offset: number): number {
  const size = fstatSync(fd).size;
  if (size <= offset) return 0;
  ftruncateSync(fd, offset);
  fsyncSync(fd);
  return size - offset;
}

export class BlockStore {
  readonly file: string;
  private readonly fd: number;
  /** Bytes of complete lines consumed so far. */
  private offset = 0;

  constructor(readonly dir: string) {
    this.file = join(dir, BLOCKS_FILE);
    // 'a+' creates the file if needed; reads use explicit positions, writes always append.
    this.fd = openSync(this.file, 'a+');
  }

  /** Reads the complete lines appended since the last call; a trailing partial line is left. */
  readNew(): RawLine[] {
    const { lines, offset } = readCompleteLines(this.fd, this.offset);
    this.offset = offset;
    return lines;
  }

  /**
   * Drops a partial last line: what a crash in the middle of an append leaves. Only safe under
   * the ledger lock, after readNew(), when no other process can be appending.
   */
  discardPartialTail(): number {
    return discardPartialTail(this.fd, this.offset);
  }

  /** Signs (with the ledger key), appends and fsyncs a block; under the ledger lock after catching up. */
  append(
    fields: Pick<Block, 'number' | 'prevHash' | 'timestamp' | 'txs'>,
    ledgerKey: KeyObject,
  ): { block: Block; text: string } {
    const dataHash = dataHashOf(fields.txs);
    const hash = headerHashOf({ ...fields, dataHash });
    const signature = sign(null, Buffer.from(hash, 'hex'), ledgerKey).toString('base64');
    const block: Block = { ...fields, dataHash, hash, signature };
    const text = canonicalJson(block);
    appendSynced(this.fd, `${text}\n`);
    return { block, text };
  }

  close(): void {
    closeSync(this.fd);
  }
}
