// World state of the embedded ledger: key -> (value, version) plus history per key, rebuilt by
// replaying blocks.jsonl and caught up from it before every transaction, because the API and
// the worker each keep their own copy of the same ledger directory. Commits are serialised
// across processes by a lock file and validated like a Fabric peer does (MVCC read check).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import {
  type Block,
  BlockStore,
  type RangeRecord,
  type ReadRecord,
  type TxRecord,
  type Version,
} from './block-store.ts';
import { type HashedEntry, PrivateStore, type PrivateWrite } from './private-store.ts';

export interface StateEntry {
  value: string;
  version: Version;
}

/** The hashed state of a private key, which every peer keeps, member of the collection or not. */
export interface HashedStateEntry extends HashedEntry {
  version: Version;
}

export interface HistoryEntry {
  txId: string;
  timestamp: string;
  value: string | null;
  version: Version;
}

/** The tx read a key at one version but another commit has changed it since: re-simulate. */
export class MvccConflictError extends Error {
  override name = 'MvccConflictError';
  readonly code = 'MVCC_READ_CONFLICT';
}

export type TxDraft = Omit<TxRecord, 'valid'>;

const sameVersion = (a: Version | null | undefined, b: Version | null | undefined) =>
  (a ?? null) === null ? (b ?? null) === null : !!b && a!.block === b.block && a!.tx === b.tx;

export class WorldState {
  private readonly entries = new Map<string, StateEntry>();
  private readonly histories = new Map<string, HistoryEntry[]>();
  /** collection U+0000 keyHash -> the current private value's hash and version. */
  private readonly hashed = new Map<string, HashedStateEntry>();
  /** The last block applied: the next block chains to it. */
  last: { number: number; hash: string } | null = null;
  /** Lines replay could not use (tampering or corruption); verify explains them. */
  readonly skipped: { offset: number; reason: string }[] = [];

  get(key: string): StateEntry | undefined {
    return this.entries.get(key);
  }

  /** Committed entries with start <= key < end, in key order. */
  range(start: string, end: string): { key: string; entry: StateEntry }[] {
    const rows: { key: string; entry: StateEntry }[] = [];
    for (const [key, entry] of this.entries) if (key >= start && key < end) rows.push({ key, entry });
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  hashedPrivate(collection: string, keyHash: string): HashedStateEntry | undefined {
    return this.hashed.get(`${collection}\u0000${keyHash}`);
  }

  /** Committed modifications of a key, oldest first. */
  history(key: string): readonly HistoryEntry[] {
    return this.histories.get(key) ?? [];
  }

  apply(block: Block): void {
    block.txs.forEach((tx, index) => {
      if (!tx.valid) return;
      const version = { block: block.number, tx: index };
      for (const { key, value } of tx.writes) {
        if (value === null) this.entries.delete(key);
        else this.entries.set(key, { value, version });
        const list = this.histories.get(key) ?? [];
        list.push({ txId: tx.txId, timestamp: tx.timestamp, value, version });
        this.histories.set(key, list);
      }
      for (const { collection, keyHash, valueHash } of tx.privateWrites ?? []) {
        const slot = `${collection}\u0000${keyHash}`;
        if (valueHash === null) this.hashed.delete(slot);
        else this.hashed.set(slot, { txId: tx.txId, valueHash, version });
      }
    });
    this.last = { number: block.number, hash: block.hash };
  }

  /** MVCC validation: every key read (and every range scanned) must be unchanged. */
  conflicts(tx: TxDraft): string | undefined {
    const stale = (r: ReadRecord) => !sameVersion(r.version, this.get(r.key)?.version);
    const read = tx.reads.find(stale);
    if (read) return `key ${printable(read.key)} changed since it was read`;
    const phantom = tx.ranges.find((range: RangeRecord) => {
      const now = this.range(range.start, range.end);
      return (
        now.length !== range.keys.length ||
        now.some((row, i) => row.key !== range.keys[i].key || stale(range.keys[i]))
      );
    });
    if (phantom) return `range ${printable(phantom.start)} changed since it was scanned (phantom read)`;
    const privateRead = (tx.privateReads ?? []).find(
      (r) => !sameVersion(r.version, this.hashedPrivate(r.collection, r.keyHash)?.version),
    );
    if (privateRead) {
      return `private key ${privateRead.keyHash.slice(0, 12)}… of collection ${privateRead.collection} changed since it was read`;
    }
    return undefined;
  }
}

export function printable(key: string): string {
  return key.replaceAll('\u0000', '/').replace(/^\/|\/$/g, '');
}

const LOCK_OPTIONS = {
  stale: 10_000,
  // Long enough to outlast a stale lock left by a killed process.
  retries: { retries: 2_000, factor: 1.2, minTimeout: 2, maxTimeout: 40, randomize: true },
  realpath: false,
};

/** The local "peer": block file, world state, and the commit path. */
export class LedgerStore {
  readonly state = new WorldState();
  /** Values of private writes; the blocks carry their hashes. */
  readonly privateData: PrivateStore;
  private readonly blocks: BlockStore;
  /** Commits of this process, one at a time; the lock file orders them against other processes. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {
    this.blocks = new BlockStore(dir);
    this.privateData = new PrivateStore(dir);
  }

  static async open(dir: string): Promise<LedgerStore> {
    mkdirSync(dir, { recursive: true });
    const store = new LedgerStore(dir);
    await store.locked(() => {
      store.blocks.ensureSigningKey();
      store.catchUpAndTrim();
    });
    return store;
  }

  /**
   * Applies blocks other processes (or this one) appended since the last call. Private values
   * are not read here, before every simulation: a lookup that misses reads them then (their
   * lines are complete before the block that hashes them is appended).
   */
  catchUp(): void {
    for (const { text, offset } of this.blocks.readNew()) {
      let block: Block;
      try {
        block = JSON.parse(text) as Block;
        if (!Number.isInteger(block.number) || !Array.isArray(block.txs)) throw new Error('not a block');
      } catch {
        this.state.skipped.push({ offset, reason: 'unparseable block line' });
        continue;
      }
      this.state.apply(block);
    }
  }

  /**
   * Validates the tx against current state and appends it as a block; throws MvccConflictError.
   * Its private writes (in clear) go to the private store first, the block keeps their hashes.
   */
  commit(tx: TxDraft, privateWrites: PrivateWrite[] = []): Promise<{ blockNumber: number }> {
    const run = this.queue.then(() =>
      this.locked(() => {
        this.catchUpAndTrim();
        const conflict = this.state.conflicts(tx);
        if (conflict)
          throw new MvccConflictError(`MVCC_READ_CONFLICT: tx ${tx.txId.slice(0, 12)}…: ${conflict}`);
        const last = this.state.last;
        const number = last ? last.number + 1 : 0;
        if (privateWrites.length > 0) this.privateData.write(number, tx.txId, privateWrites);
        const block = this.blocks.append({
          number,
          prevHash: last?.hash ?? '',
          timestamp: new Date().toISOString(),
          txs: [{ ...tx, valid: true }],
        });
        this.catchUp(); // applies the block just written, through the same path as everyone else's
        return { blockNumber: block.number };
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads every file to its end and drops half-written tails a crash left; under the lock only. */
  private catchUpAndTrim(): void {
    this.privateData.catchUp(); // the tails are known only once every complete line is read
    this.catchUp();
    this.blocks.discardPartialTail();
    this.privateData.discardPartialTails();
  }

  private async locked<T>(fn: () => T): Promise<T> {
    let compromised: Error | undefined;
    const release = await lockfile.lock(this.dir, {
      ...LOCK_OPTIONS,
      lockfilePath: join(this.dir, 'ledger.lock'),
      onCompromised: (err) => {
        compromised = err; // another process took the lock over: do not append
      },
    });
    try {
      if (compromised) throw compromised;
      return fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  close(): void {
    this.blocks.close();
    this.privateData.close();
  }
}
