// The checks a block passes before anything applies it, and the Merkle tree over the
// transactions of the blocks that passed. The ledger key is pinned from outside the data
// directory (ledger/keys.ts); the organisations' keys come from the genesis block, which that
// key signed. A block is accepted only in sequence, chained to the last one, with matching data
// and header hashes, the ledger's signature, and every transaction signed by its creator
// organisation's key.
import type { KeyObject } from 'node:crypto';
import { shortTx } from '../../chaincode/src/step-record.ts';
import { leafBytes, leafHash, MerkleTree } from '../anchors/merkle-tree.ts';
import { keyFingerprint } from '../keys.ts';
import { type Block, dataHashOf, headerHashOf, signatureValid, type TxRecord } from './block-store.ts';
import {
  CONFIG_FN,
  configOf,
  LEDGER_CREATOR,
  type LedgerConfig,
  organisationKeys,
  signatureOver,
  txSigningBytes,
} from './genesis.ts';

/** Where a transaction sits: in its block, in the tree, and in the block file. */
export interface LeafPosition {
  leafIndex: number;
  blockNumber: number;
  txIndex: number;
  /** Byte range of the block's line in blocks.jsonl, to read the tx back for a proof. */
  offset: number;
  length: number;
}

/** A block that fails the checks: its number (or line) and what is wrong. */
export class BlockRejectedError extends Error {
  override name = 'BlockRejectedError';
  readonly code = 'LEDGER_INTEGRITY';
}

export class VerifiedChain {
  readonly tree = new MerkleTree();
  readonly leaves = new Map<string, LeafPosition>();
  config: LedgerConfig | null = null;
  private keys = new Map<string, KeyObject>();
  last: { number: number; hash: string } | null = null;
  /** Header hash of every accepted block, by number. */
  readonly blockHashes: string[] = [];
  readonly ledgerFingerprint: string;

  constructor(readonly ledgerKey: KeyObject) {
    this.ledgerFingerprint = keyFingerprint(ledgerKey);
  }

  /**
   * What is wrong with `block` as the next block, or null when it may be applied. `verifiedHash`:
   * the header hash another chain accepted for this number after every check; a block whose data
   * and header hash to it is that block, so its signatures need no second check.
   */
  problem(block: Block, verifiedHash?: string): string | null {
    const expected = this.last ? this.last.number + 1 : 0;
    if (block.number !== expected) {
      return `number out of sequence, expected ${expected} — blocks were removed, reordered or inserted`;
    }
    if (block.prevHash !== (this.last?.hash ?? '')) {
      return 'previous-block hash does not match — the chain is broken';
    }
    if (!Array.isArray(block.txs) || block.txs.length === 0) return 'holds no transactions';
    if (dataHashOf(block.txs) !== block.dataHash) return 'data hash mismatch — stored content was altered';
    if (headerHashOf(block) !== block.hash) return 'header hash mismatch — the block header was altered';
    if (verifiedHash !== undefined && verifiedHash === block.hash) return null;
    if (block.number === 0) {
      const genesis = this.genesisProblem(block);
      if (genesis) return genesis;
    }
    if (!signatureValid(block.hash, block.signature, this.ledgerKey)) {
      return `ledger signature invalid — not signed by the configured ledger key ${this.ledgerFingerprint}`;
    }
    if (block.number === 0) return null;
    const seen = new Set<string>();
    for (const [index, tx] of block.txs.entries()) {
      const problem = this.txProblem(tx, seen);
      if (problem) return `tx ${index} (${shortTx(tx?.txId)}): ${problem}`;
      seen.add(tx.txId);
    }
    return null;
  }

  /** Why the organisation's signature on `tx` is not acceptable, or null. */
  txProblem(tx: Omit<TxRecord, 'valid'>, inBlock: ReadonlySet<string> = new Set()): string | null {
    if (typeof tx?.txId !== 'string') return 'has no tx id';
    if (this.leaves.has(tx.txId) || inBlock.has(tx.txId))
      return 'a transaction already on the ledger (replayed)';
    if (tx.fn === CONFIG_FN) return this.configUpdateProblem(tx as TxRecord);
    const mspId = tx.creator?.mspId;
    const key = this.keys.get(mspId);
    if (!key) return `its creator organisation ${JSON.stringify(mspId)} is not in the ledger's config`;
    if (!signatureOver(txSigningBytes(tx), tx.signature, key)) {
      return `signature does not verify with ${mspId}'s key — not signed by that organisation`;
    }
    return null;
  }

  /** Records an accepted block: the config (block 0), its leaves, the chain head. */
  accept(block: Block, offset: number, length: number): void {
    if (block.number === 0) {
      this.config = configOf(block.txs[0]);
      this.keys = organisationKeys(this.config);
    }
    if (block.number > 0) this.applyConfigUpdates(block);
    this.addLeaves(block, offset, length);
    this.last = { number: block.number, hash: block.hash };
    this.blockHashes[block.number] = block.hash;
  }

  /** Takes the config of a checked block's config transactions (organisations added). */
  applyConfigUpdates(block: Block): void {
    for (const tx of block.txs) {
      if (tx?.fn !== CONFIG_FN) continue;
      this.config = configOf(tx);
      this.keys = organisationKeys(this.config);
    }
  }

  /**
   * A later config transaction may only add organisations: signed by the ledger key, the same
   * ledger key and engine, every organisation already configured kept with its key.
   */
  private configUpdateProblem(tx: TxRecord): string | null {
    if (!this.config) return 'a config update before the genesis block';
    let next: LedgerConfig;
    try {
      next = configOf(tx as TxRecord);
    } catch (err) {
      return (err as Error).message;
    }
    if (
      tx.creator?.mspId !== LEDGER_CREATOR ||
      !signatureOver(txSigningBytes(tx), tx.signature, this.ledgerKey)
    ) {
      return 'a config update not signed by the ledger key';
    }
    if (next.ledger.fingerprint !== this.config.ledger.fingerprint || next.engine !== this.config.engine) {
      return 'a config update may not change the ledger key or the engine organisation';
    }
    const kept = this.config.organisations.every((o) =>
      next.organisations.some((n) => n.mspId === o.mspId && n.fingerprint === o.fingerprint),
    );
    if (!kept) return 'a config update may only add organisations, never remove one or change its key';
    return null;
  }

  /** Adds a block's transactions to the tree (verify adds what is on disk, checked or not). */
  addLeaves(block: Block, offset: number, length: number): void {
    block.txs.forEach((tx, txIndex) => {
      const leafIndex = this.tree.appendLeafHash(leafHash(leafBytes(block.number, txIndex, tx)));
      if (!this.leaves.has(tx?.txId)) {
        this.leaves.set(tx?.txId, { leafIndex, blockNumber: block.number, txIndex, offset, length });
      }
    });
  }

  /** Why block 0 is not this ledger's genesis block (pinned key, config, its signature), or null. */
  genesisProblem(block: Block): string | null {
    const tx = block.txs[0];
    let config: LedgerConfig;
    try {
      if (block.txs.length !== 1) throw new Error('the genesis block must hold the config transaction only');
      config = configOf(tx);
    } catch (err) {
      return `not a genesis block: ${(err as Error).message} — a ledger of an older format, or altered`;
    }
    if (config.ledger.fingerprint !== this.ledgerFingerprint) {
      return `the genesis block names ledger key ${config.ledger.fingerprint}, but the configured ledger key is ${this.ledgerFingerprint}`;
    }
    if (
      tx.creator?.mspId !== LEDGER_CREATOR ||
      !signatureOver(txSigningBytes(tx), tx.signature, this.ledgerKey)
    ) {
      return 'the config transaction is not signed by the ledger key';
    }
    return null;
  }
}
