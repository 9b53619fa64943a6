// Chaincode events of the embedded ledger, read from the block file as any process appends to
// it: the API and the worker share one ledger directory, so a reader cannot rely on commits of
// its own process. Blocks are appended whole, in commit order, under the ledger lock; reading
// complete lines in file order is therefore commit order, and a (block, tx, event) position
// names every event for good.
import type { KeyObject } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { CheckpointMismatchError, parseEventPayload } from '../checkpointer.ts';
import type { EventCheckpoint, EventsOptions, LedgerEvent } from '../types.ts';
import { type Block, BlockStore } from './block-store.ts';
import { BlockRejectedError, VerifiedChain } from './chain.ts';

/** Fallback when file-change notifications do not arrive (some file systems never send them). */
const POLL_MS = 100;

interface CheckedEvents {
  /** The pinned ledger key: blocks are checked as before the world state applies them. */
  ledgerKey?: KeyObject;
  /** Header hashes of blocks the ledger already checked: matching blocks skip the signature checks. */
  verifiedHash?: (blockNumber: number) => string | undefined;
}

/**
 * Events of valid transactions in `dir`, after `options.after` (or from the start, or from now).
 * With `ledgerKey` (the pinned ledger key), every block passes the same checks as before the
 * world state applies it: the stream ends with an error at the first one that fails.
 */
export function followEvents(
  dir: string,
  options: EventsOptions & CheckedEvents = {},
): AsyncIterable<LedgerEvent> {
  return { [Symbol.asyncIterator]: () => readEvents(dir, options) };
}

async function* readEvents(dir: string, options: EventsOptions & CheckedEvents): AsyncGenerator<LedgerEvent> {
  const { after, signal } = options;
  if (signal?.aborted) return;
  const blocks = new BlockStore(dir);
  const wake = new Wakeup(blocks.file, signal);
  let skipExisting = !after && options.from === 'now';
  let lastBlock = -1;
  const chain = options.ledgerKey ? new VerifiedChain(options.ledgerKey) : undefined;
  try {
    while (!signal?.aborted) {
      const lines = blocks.readNew();
      for (const { text, offset } of lines) {
        const block = parseBlock(text);
        if (chain) {
          const problem = block
            ? chain.problem(block, options.verifiedHash?.(block.number))
            : `not a readable block (byte ${offset})`;
          if (problem)
            throw new BlockRejectedError(`ledger events stop at block ${block?.number ?? '?'}: ${problem}`);
          chain.accept(block!, offset, 0);
        }
        // Unchecked readers pass unparseable lines by; verify reports them.
        if (!block || block.number <= lastBlock) continue;
        lastBlock = block.number;
        if (skipExisting) continue;
        for (const event of eventsOf(block, after)) {
          yield event;
          if (signal?.aborted) return;
        }
      }
      skipExisting = false;
      if (lines.length === 0) await wake.next();
    }
  } finally {
    wake.close();
    blocks.close();
  }
}

function parseBlock(text: string): Block | undefined {
  try {
    const block = JSON.parse(text) as Block;
    return Number.isSafeInteger(block.number) && Array.isArray(block.txs) ? block : undefined;
  } catch {
    return undefined;
  }
}

/** The block's events past the checkpoint, skipping invalid transactions as Fabric does. */
function* eventsOf(block: Block, after: EventCheckpoint | undefined): Generator<LedgerEvent> {
  const done = after ? processedIn(block, after) : undefined;
  if (done === 'all') return;
  for (const [txIndex, tx] of block.txs.entries()) {
    if (!tx.valid || !Array.isArray(tx.events)) continue;
    for (const [eventIndex, { name, payload }] of tx.events.entries()) {
      if (done && (txIndex < done.txIndex || (txIndex === done.txIndex && eventIndex <= done.eventIndex)))
        continue;
      yield {
        name,
        payload: parseEventPayload(payload),
        txId: tx.txId,
        blockNumber: block.number,
        txIndex,
        eventIndex,
        timestamp: tx.timestamp,
      };
    }
  }
}

/** How much of `block` the checkpoint covers: all of it, part of it, or (undefined) none. */
function processedIn(block: Block, after: EventCheckpoint) {
  if (block.number < after.blockNumber) return 'all' as const;
  if (block.number > after.blockNumber) return undefined;
  let txIndex = after.txIndex;
  if (after.txId !== undefined) {
    const found = block.txs.findIndex((tx) => tx.txId === after.txId);
    if (found < 0 || (txIndex !== undefined && found !== txIndex))
      throw new CheckpointMismatchError(
        `checkpoint tx ${after.txId.slice(0, 12)}… is not in block ${block.number} at index ${txIndex ?? 'any'}: it belongs to another ledger`,
      );
    txIndex = found;
  }
  if (txIndex === undefined) return 'all' as const;
  return { txIndex, eventIndex: after.eventIndex ?? Number.POSITIVE_INFINITY };
}

/** Resolves when the block file changes, after POLL_MS at the latest, or on abort. */
class Wakeup {
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;
  private changed = false;
  private readonly onAbort = () => this.fire();

  constructor(
    file: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    try {
      this.watcher = watch(file, { persistent: false }, () => this.fire());
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      this.watcher = undefined; // polling alone still delivers
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  next(): Promise<void> {
    if (this.changed || this.signal?.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fire(), POLL_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  close(): void {
    this.stopWatching();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.fire();
  }

  private fire(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (wake) wake();
    else this.changed = true; // a change while nobody waits: the next wait returns at once
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
