// World state of the embedded ledger: key -> (value, version) plus history per key, rebuilt by
// replaying blocks.jsonl and caught up from it before every transaction, because the API and
// the worker each keep their own copy of the same ledger directory (ledger-store.ts). Commits
// are validated like a Fabric peer does (MVCC read check).
import type { Block, RangeRecord, ReadRecord, TxRecord, Version } from './block-store.ts';
import { CONFIG_FN } from './genesis.ts';
import type { HashedEntry } from './private-store.ts';

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

/** A simulated transaction before its creator signs it. */
export type TxDraft = Omit<TxRecord, 'valid' | 'signature'>;
/** A transaction as submitted for ordering: signed by its creator organisation. */
export type SignedTx = Omit<TxRecord, 'valid'>;

const sameVersion = (a: Version | null | undefined, b: Version | null | undefined) =>
  (a ?? null) === null ? (b ?? null) === null : !!b && a!.block === b.block && a!.tx === b.tx;

export class WorldState {
  private readonly entries = new Map<string, StateEntry>();
  private readonly histories = new Map<string, HistoryEntry[]>();
  /** collection U+0000 keyHash -> the current private value's hash and version. */
  private readonly hashed = new Map<string, HashedStateEntry>();
  /** key -> its state-based endorsement policy (base64), as the last transaction set it. */
  private readonly validation = new Map<string, string>();
  /** The last block applied: the next block chains to it. */
  last: { number: number; hash: string } | null = null;

  get(key: string): StateEntry | undefined {
    return this.entries.get(key);
  }

  /** Committed entries with start <= key < end, in key order. */
  range(start: string, end: string): { key: string; entry: StateEntry }[] {
    const rows: { key: string; entry: StateEntry }[] = [];
    for (const [key, entry] of this.entries) if (key >= start && key < end) rows.push({ key, entry });
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** A key's committed state-based endorsement policy (base64), if one was set. */
  validationParameter(key: string): string | undefined {
    return this.validation.get(key);
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
      if (!tx.valid || tx.fn === CONFIG_FN) return; // the config is not contract state
      const version = { block: block.number, tx: index };
      for (const { key, value } of tx.writes) {
        if (value === null) {
          this.entries.delete(key);
          this.validation.delete(key); // as Fabric drops a deleted key's metadata
        } else this.entries.set(key, { value, version });
        const list = this.histories.get(key) ?? [];
        list.push({ txId: tx.txId, timestamp: tx.timestamp, value, version });
        this.histories.set(key, list);
      }
      for (const { key, policy } of tx.validationParameters ?? []) this.validation.set(key, policy);
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
