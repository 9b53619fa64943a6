// The anchors API over the embedded ledger's store. Every call first reads what other processes
// sharing the data directory appended (blocks, checkpoints, witness signatures), through the
// same checks, so the API process and the worker serve the same checkpoints and proofs.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCKS_FILE, type Block } from '../embedded/block-store.ts';
import type { LedgerStore } from '../embedded/ledger-store.ts';
import { leafBytes, leafHash } from './merkle-tree.ts';
import type {
  LedgerAnchors,
  PublishedKey,
  SignedCheckpoint,
  TxInclusion,
  WitnessSignature,
} from './types.ts';

const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

export class EmbeddedAnchors implements LedgerAnchors {
  constructor(private readonly store: LedgerStore) {}

  async keys(): Promise<{ ledger: PublishedKey; organisations: (PublishedKey & { mspId: string })[] }> {
    const config = this.config();
    return {
      ledger: { ...config.ledger },
      organisations: config.organisations.map(({ mspId, publicKey, fingerprint }) => ({
        mspId,
        publicKey,
        fingerprint,
      })),
    };
  }

  async latestCheckpoint(): Promise<SignedCheckpoint> {
    this.store.catchUpAnchors();
    const latest = this.store.checkpoints.latest;
    if (!latest) throw new Error('the ledger has issued no checkpoint yet');
    return this.store.checkpoints.withWitnesses(latest);
  }

  async checkpoint(size: number): Promise<SignedCheckpoint | null> {
    this.store.catchUpAnchors();
    const found = this.store.checkpoints.get(size);
    return found ? this.store.checkpoints.withWitnesses(found) : null;
  }

  async latestWitnessedCheckpoint(minWitnesses: number): Promise<SignedCheckpoint | null> {
    this.store.catchUpAnchors();
    const log = this.store.checkpoints;
    const found = log.newestFirst().find((c) => log.witnessCount(c.size) >= minWitnesses);
    return found ? log.withWitnesses(found) : null;
  }

  async inclusion(txId: string, treeSize: number): Promise<TxInclusion | null> {
    this.store.catchUpAnchors();
    const tree = this.store.chain.tree;
    if (!Number.isSafeInteger(treeSize) || treeSize < 1 || treeSize > tree.size) {
      throw new Error(`tree size ${treeSize} is not a size of this ledger's tree (1 to ${tree.size})`);
    }
    const position = this.store.chain.leaves.get(txId);
    if (!position) return null;
    if (position.leafIndex >= treeSize) {
      throw new Error(
        `tx ${txId} is leaf ${position.leafIndex}, committed after the tree of ${treeSize} transactions`,
      );
    }
    const tx = this.readTx(position.offset, position.length, position.blockNumber, position.txIndex);
    // The file is re-read for the tx: it must still be what the tree was built from.
    if (
      !leafHash(leafBytes(position.blockNumber, position.txIndex, tx)).equals(
        tree.leafHashAt(position.leafIndex),
      )
    ) {
      throw new Error(
        `block ${position.blockNumber} changed on disk since it was checked: tx ${txId} is not served`,
      );
    }
    return {
      txId,
      blockNumber: position.blockNumber,
      txIndex: position.txIndex,
      leafIndex: position.leafIndex,
      treeSize,
      tx,
      proof: hex(tree.inclusionProof(position.leafIndex, treeSize)),
    };
  }

  async consistency(fromSize: number, toSize: number): Promise<string[]> {
    this.store.catchUpAnchors();
    return hex(this.store.chain.tree.consistencyProof(fromSize, toSize));
  }

  async addWitnessSignature(size: number, witness: WitnessSignature): Promise<void> {
    await this.store.withLock(() => {
      const log = this.store.checkpoints;
      if (log.checkWitness(size, witness, this.config()) === 'stored') return; // idempotent
      log.appendWitness(size, witness);
    });
    this.store.catchUpAnchors(); // reads the line back through the same checks as everyone's
  }

  private config() {
    this.store.catchUpAnchors();
    const config = this.store.chain.config;
    if (!config) throw new Error('the ledger has no genesis block');
    return config;
  }

  private readTx(offset: number, length: number, blockNumber: number, txIndex: number) {
    const fd = openSync(join(this.store.dir, BLOCKS_FILE), 'r');
    try {
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const n = readSync(fd, buffer, read, length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      const block = JSON.parse(buffer.subarray(0, read).toString('utf8')) as Block;
      if (block.number !== blockNumber || !block.txs?.[txIndex]) throw new Error('moved');
      return block.txs[txIndex];
    } catch {
      throw new Error(`block ${blockNumber} changed on disk since it was checked: its tx is not served`);
    } finally {
      closeSync(fd);
    }
  }
}
