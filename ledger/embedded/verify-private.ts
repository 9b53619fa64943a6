// Checks the private store against the blocks: each private value a valid transaction wrote must
// still be stored and hash to what its block recorded, as a Fabric peer checks private data it
// receives against the hashed read/write set. Read fresh from disk; never throws on garbage.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import { shortTx } from '../../chaincode/src/step-record.ts';
import type { VerifyProblem } from '../types.ts';
import type { Block } from './block-store.ts';
import { collectionFile, PRIVATE_DIR, type PrivateEntry } from './private-store.ts';

/** A private write a block recorded (as hashes), where it was recorded. */
export interface RecordedPrivateWrite {
  collection: string;
  keyHash: string;
  valueHash: string;
  txId: string;
  blockNumber: number;
}

/** The non-delete private writes of a block's valid transactions. */
export function privateWritesOf(block: Block): RecordedPrivateWrite[] {
  return block.txs.flatMap((tx) =>
    tx?.valid && Array.isArray(tx.privateWrites)
      ? tx.privateWrites
          .filter((w) => typeof w?.valueHash === 'string')
          .map((w) => ({
            collection: String(w.collection),
            keyHash: String(w.keyHash),
            valueHash: w.valueHash as string,
            txId: tx.txId,
            blockNumber: block.number,
          }))
      : [],
  );
}

const slot = (collection: string, txId: string, keyHash: string) =>
  `${collection}\u0000${txId}\u0000${keyHash}`;

/** Every stored entry's value hash by (collection, tx, key hash); unreadable lines are problems. */
function readStore(dir: string, problems: VerifyProblem[]): Map<string, (string | null)[]> {
  const stored = new Map<string, (string | null)[]>();
  const privateDir = join(dir, PRIVATE_DIR);
  const files = existsSync(privateDir) ? readdirSync(privateDir).filter((f) => f.endsWith('.jsonl')) : [];
  for (const name of files) {
    const collection = name.slice(0, -'.jsonl'.length);
    const lines = readFileSync(collectionFile(dir, collection), 'utf8').split('\n');
    lines.pop(); // '' after the last newline, or a tail a crash left (dropped on next open)
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        const entry = JSON.parse(line) as PrivateEntry;
        if (typeof entry.key !== 'string' || typeof entry.txId !== 'string') throw new Error('not an entry');
        const at = slot(collection, entry.txId, sha256Hex(entry.key));
        const hashes = stored.get(at) ?? [];
        hashes.push(typeof entry.value === 'string' ? sha256Hex(entry.value) : null);
        stored.set(at, hashes);
      } catch {
        problems.push({
          message: `${PRIVATE_DIR}/${name} line ${index + 1}: not a readable private data entry — the private store was altered or corrupted`,
          txId: /"txId":"([0-9a-f]{64})"/.exec(line)?.[1],
        });
      }
    });
  }
  return stored;
}

/** Problems of the private store against the private writes the blocks recorded. */
export function privateStoreProblems(dir: string, writes: RecordedPrivateWrite[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  if (writes.length === 0 && !existsSync(join(dir, PRIVATE_DIR))) return problems;
  const stored = readStore(dir, problems);
  for (const w of writes) {
    const hashes = stored.get(slot(w.collection, w.txId, w.keyHash));
    const where = `block ${w.blockNumber} (tx ${shortTx(w.txId)}): private data of collection ${w.collection}, key hash ${w.keyHash},`;
    if (!hashes) {
      problems.push({
        message: `${where} is missing from the private store`,
        blockNumber: w.blockNumber,
        txId: w.txId,
      });
    } else if (hashes.some((hash) => hash !== w.valueHash)) {
      // Every stored line of the slot must match: the store serves the last one.
      problems.push({
        message: `${where} does not match the hash in its block — the private store was altered`,
        blockNumber: w.blockNumber,
        txId: w.txId,
      });
    }
  }
  return problems;
}
