// The embedded peer's private data store, like Fabric's pvtdata store: the values of private writes,
// one append-only file per collection (private/<collection>.jsonl), kept off the blocks, which
// carry only their hashes. Written under the ledger lock just before the block that hashes them,
// so a crash in between leaves an entry no block names, which is never served.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { appendSynced, discardPartialTail, readCompleteLines } from './block-store.ts';

export const PRIVATE_DIR = 'private';
const SUFFIX = '.jsonl';

/** A private write in clear, as the simulation produced it. `value: null` is a delete. */
export interface PrivateWrite {
  collection: string;
  key: string;
  value: string | null;
}

/** One line of a collection's file: the value a transaction wrote under a key. */
export interface PrivateEntry {
  txId: string;
  block: number;
  key: string;
  value: string | null;
}

/** What the hashed state says the current value is: written by `txId`, hashing to `valueHash`. */
export interface HashedEntry {
  txId: string;
  valueHash: string;
}

export type PrivateLookup = { found: true; value: string } | { found: false; reason: 'missing' | 'altered' };

export const collectionFile = (dir: string, collection: string) =>
  join(dir, PRIVATE_DIR, `${collection}${SUFFIX}`);

class CollectionFile {
  readonly fd: number;
  offset = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'a+');
  }
}

export class PrivateStore {
  private readonly files = new Map<string, CollectionFile>();
  /** collection U+0000 key -> txId -> value: every value a transaction wrote, as stored. */
  private readonly values = new Map<string, Map<string, string | null>>();

  constructor(private readonly dir: string) {}

  /** Reads what this and other processes appended since the last call. */
  catchUp(): void {
    const privateDir = join(this.dir, PRIVATE_DIR);
    if (!existsSync(privateDir)) return;
    for (const name of readdirSync(privateDir)) {
      if (!name.endsWith(SUFFIX)) continue;
      const collection = name.slice(0, -SUFFIX.length);
      const file = this.file(collection);
      const { lines, offset } = readCompleteLines(file.fd, file.offset);
      file.offset = offset;
      for (const { text } of lines) {
        try {
          const entry = JSON.parse(text) as PrivateEntry;
          const slot = `${collection}\u0000${entry.key}`;
          const byTx = this.values.get(slot) ?? new Map<string, string | null>();
          byTx.set(entry.txId, entry.value);
          this.values.set(slot, byTx);
        } catch {
          // an altered line: never served; verify reports it
        }
      }
    }
  }

  /** The value the hashed state names, if this store holds it unaltered. */
  lookup(collection: string, key: string, expected: HashedEntry): PrivateLookup {
    let value = this.values.get(`${collection}\u0000${key}`)?.get(expected.txId);
    if (value === undefined) {
      this.catchUp(); // the block may have been read before its private entries
      value = this.values.get(`${collection}\u0000${key}`)?.get(expected.txId);
    }
    if (value === undefined || value === null) return { found: false, reason: 'missing' };
    return sha256Hex(value) === expected.valueHash
      ? { found: true, value }
      : { found: false, reason: 'altered' };
  }

  /** Appends and fsyncs a transaction's private writes; call under the ledger lock, before its block. */
  write(block: number, txId: string, writes: PrivateWrite[]): void {
    const byCollection = new Map<string, string[]>();
    for (const { collection, key, value } of writes) {
      const lines = byCollection.get(collection) ?? [];
      lines.push(`${canonicalJson({ txId, block, key, value } satisfies PrivateEntry)}\n`);
      byCollection.set(collection, lines);
    }
    for (const [collection, lines] of byCollection) {
      appendSynced(this.file(collection).fd, lines.join(''));
    }
  }

  /** Drops half-written last lines a crash left; call under the ledger lock after catchUp(). */
  discardPartialTails(): void {
    for (const file of this.files.values()) discardPartialTail(file.fd, file.offset);
  }

  close(): void {
    for (const file of this.files.values()) closeSync(file.fd);
    this.files.clear();
  }

  private file(collection: string): CollectionFile {
    let file = this.files.get(collection);
    if (!file) {
      mkdirSync(join(this.dir, PRIVATE_DIR), { recursive: true });
      file = new CollectionFile(collectionFile(this.dir, collection));
      this.files.set(collection, file);
    }
    return file;
  }
}
