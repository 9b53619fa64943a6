// Checkpoints of an event consumer: the last event it processed, in memory or in a file that is
// replaced atomically after each event, so a consumer restarted at any moment resumes right
// after the last event it saved: none missed; an event handled but not yet saved comes again,
// so handlers should be idempotent (step records are). Also the text form of a
// checkpoint, the cursor the API hands out as SSE event ids.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventCheckpoint, LedgerEvent } from './types.ts';

/** A checkpoint whose txId is not the transaction at its position: it is from another ledger. */
export class CheckpointMismatchError extends Error {
  override name = 'CheckpointMismatchError';
}

export interface Checkpointer {
  /** The last processed position; undefined before the first event. */
  readonly checkpoint: EventCheckpoint | undefined;
  /** Records `event` as processed; resolves once that is durable. */
  checkpointEvent(event: LedgerEvent): Promise<void>;
}

/** The checkpoint of one event: exactly that event and everything before it are processed. */
export function checkpointOf(event: LedgerEvent): EventCheckpoint {
  return {
    blockNumber: event.blockNumber,
    txIndex: event.txIndex,
    eventIndex: event.eventIndex,
    txId: event.txId,
  };
}

/** `block.tx.event`: short, ordered, and all a resuming reader needs. */
export function formatCursor(event: Pick<LedgerEvent, 'blockNumber' | 'txIndex' | 'eventIndex'>): string {
  return `${event.blockNumber}.${event.txIndex}.${event.eventIndex}`;
}

/** Reads `block`, `block.tx` or `block.tx.event`; undefined when the text is none of these. */
export function parseCursor(text: string): EventCheckpoint | undefined {
  const match = /^(\d{1,15})(?:\.(\d{1,9})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, block, tx, ev] = match;
  return {
    blockNumber: Number(block),
    ...(tx !== undefined ? { txIndex: Number(tx) } : {}),
    ...(ev !== undefined ? { eventIndex: Number(ev) } : {}),
  };
}

export class InMemoryCheckpointer implements Checkpointer {
  checkpoint: EventCheckpoint | undefined;

  constructor(initial?: EventCheckpoint) {
    this.checkpoint = initial;
  }

  async checkpointEvent(event: LedgerEvent): Promise<void> {
    this.checkpoint = checkpointOf(event);
  }
}

/**
 * A checkpoint kept in a JSON file. Each update writes a temporary file, fsyncs it and renames
 * it over the old one, so a crash leaves either the previous or the new checkpoint, never half.
 */
export class FileCheckpointer implements Checkpointer {
  private current: EventCheckpoint | undefined;
  /** Updates run one after another, so an older checkpoint never lands after a newer one. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    initial: EventCheckpoint | undefined,
  ) {
    this.current = initial;
  }

  /** Opens the checkpoint in `file`; a missing file is a fresh consumer, a corrupt one an error. */
  static async open(file: string): Promise<FileCheckpointer> {
    mkdirSync(dirname(file), { recursive: true });
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new FileCheckpointer(file, undefined);
      throw err;
    }
    // Starting over would repeat every event: refuse instead.
    const checkpoint = validCheckpoint(parseOrUndefined(text));
    if (!checkpoint) throw new Error(`${file} does not hold an event checkpoint`);
    return new FileCheckpointer(file, checkpoint);
  }

  get checkpoint(): EventCheckpoint | undefined {
    return this.current;
  }

  checkpointEvent(event: LedgerEvent): Promise<void> {
    return this.save(checkpointOf(event));
  }

  /** Stores an arbitrary position, e.g. the cursor a previous consumer handed over. */
  checkpointPosition(checkpoint: EventCheckpoint): Promise<void> {
    const valid = validCheckpoint(checkpoint);
    if (!valid) return Promise.reject(new Error('not an event checkpoint'));
    return this.save(valid);
  }

  private save(checkpoint: EventCheckpoint): Promise<void> {
    const run = this.queue.then(async () => {
      await writeAtomically(this.file, `${JSON.stringify(checkpoint)}\n`);
      this.current = checkpoint;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  // The rename itself is durable only once the directory is synced; not every platform allows it.
  const dir = await open(dirname(file), 'r').catch(() => undefined);
  await dir
    ?.sync()
    .catch(() => undefined)
    .finally(() => dir.close());
}

/** A chaincode event's payload: its JSON, or the raw text when it is not JSON. */
export function parseEventPayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const index = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

function validCheckpoint(value: unknown): EventCheckpoint | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { blockNumber, txIndex, eventIndex, txId } = value as Record<string, unknown>;
  if (!index(blockNumber)) return undefined;
  if (txIndex !== undefined && !index(txIndex)) return undefined;
  if (eventIndex !== undefined && (txIndex === undefined || !index(eventIndex))) return undefined;
  if (txId !== undefined && (typeof txId !== 'string' || txId === '')) return undefined;
  return {
    blockNumber: blockNumber as number,
    ...(txIndex !== undefined ? { txIndex: txIndex as number } : {}),
    ...(eventIndex !== undefined ? { eventIndex: eventIndex as number } : {}),
    ...(txId !== undefined ? { txId: txId as string } : {}),
  };
}
