// Checks the stored checkpoints against the blocks as verify read them: each signed by the
// pinned ledger key, sizes increasing, none beyond the transactions on disk (blocks dropped
// after a checkpoint was signed), each root the Merkle tree of that many transactions.
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureOver } from '../embedded/genesis.ts';
import { CHECKPOINTS_FILE, checkpointBytes } from './checkpoint-log.ts';
import type { MerkleTree } from './merkle-tree.ts';
import { CHECKPOINT_FORMAT, type CheckpointBody } from './types.ts';

/** The first problem of the checkpoint file (later ones follow from it), or none. */
export function checkpointProblems(
  dir: string,
  tree: MerkleTree,
  ledgerKey: KeyObject,
  check: { roots: boolean } = { roots: true },
): { message: string }[] {
  const file = join(dir, CHECKPOINTS_FILE);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // an unterminated tail is a crash's leftover, not a checkpoint
  let previous = 0;
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    const where = `${CHECKPOINTS_FILE} line ${index + 1}`;
    let c: CheckpointBody & { signature: string };
    try {
      c = JSON.parse(text);
    } catch {
      return [{ message: `${where}: not a readable checkpoint — the file was altered` }];
    }
    const name = `checkpoint of size ${c?.size} (${where})`;
    if (c?.format !== CHECKPOINT_FORMAT || !Number.isSafeInteger(c.size))
      return [{ message: `${where}: not a checkpoint` }];
    if (!signatureOver(checkpointBytes(c), c.signature, ledgerKey)) {
      return [{ message: `${name}: signature invalid — not signed by the configured ledger key` }];
    }
    if (c.size <= previous) return [{ message: `${name}: out of order after checkpoint ${previous}` }];
    if (c.size > tree.size) {
      return [
        {
          message: `${name}: covers more transactions than the blocks hold (${tree.size}) — blocks were removed after it was signed`,
        },
      ];
    }
    if (check.roots && tree.root(c.size).toString('hex') !== c.root) {
      return [
        { message: `${name}: its root does not match the transactions in the blocks — blocks were altered` },
      ];
    }
    previous = c.size;
  }
  return [];
}
