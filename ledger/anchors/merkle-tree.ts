// An append-only Merkle tree with RFC 6962 (RFC 9162 section 2.1) hashing. Every complete,
// aligned subtree's hash is kept per level (level k holds the hashes of leaves
// [i*2^k, (i+1)*2^k)), so the hash of any prefix tree, an inclusion path or a consistency
// proof costs O(log n) stored hashes plus O(log n) node hashes each: proofs stay cheap for
// ledgers of any size, and the tree of an earlier size is available as long as it is a prefix.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import type { TxRecord } from '../embedded/block-store.ts';

const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** The bytes a transaction contributes as a leaf: its position and the stored record. */
export function leafBytes(blockNumber: number, txIndex: number, tx: TxRecord): Buffer {
  return Buffer.from(canonicalJson({ blockNumber, txIndex, tx }), 'utf8');
}

export function leafHash(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** The largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A growable array of 32-byte hashes in one buffer. */
class HashLevel {
  private bytes = Buffer.alloc(HASH_BYTES * 16);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_BYTES > this.bytes.length) {
      const bigger = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(bigger);
      this.bytes = bigger;
    }
    this.bytes.set(hash, this.length * HASH_BYTES);
    this.length++;
  }

  at(index: number): Buffer {
    return this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }
}

export class MerkleTree {
  private readonly levels: HashLevel[] = [new HashLevel()];

  get size(): number {
    return this.levels[0].length;
  }

  /** Appends a leaf by its leaf hash; returns its index. */
  appendLeafHash(hash: Uint8Array): number {
    if (hash.length !== HASH_BYTES) throw new Error('a leaf hash has 32 bytes');
    const index = this.size;
    this.levels[0].push(hash);
    // Complete every subtree this leaf closes: while the node just written is a right child.
    let level = 0;
    let position = index;
    while (position % 2 === 1) {
      const parent = nodeHash(this.levels[level].at(position - 1), this.levels[level].at(position));
      level++;
      if (!this.levels[level]) this.levels[level] = new HashLevel();
      this.levels[level].push(parent);
      position = (position - 1) / 2;
    }
    return index;
  }

  leafHashAt(index: number): Buffer {
    this.checkSize(index + 1, 'leaf index');
    return this.levels[0].at(index);
  }

  /** MTH(D[0:n]) for any n <= size. */
  root(n: number = this.size): Buffer {
    this.checkSize(n, 'tree size');
    return n === 0 ? EMPTY_ROOT : this.subtree(0, n);
  }

  /** RFC 6962 PATH(m, D[0:n]): the audit path of leaf m in the tree of n leaves, leaf to root. */
  inclusionProof(m: number, n: number): Buffer[] {
    this.checkSize(n, 'tree size');
    if (!Number.isInteger(m) || m < 0 || m >= n) {
      throw new Error(`leaf index ${m} is not in a tree of ${n} leaves`);
    }
    const proof: Buffer[] = [];
    this.path(m, 0, n, proof);
    return proof;
  }

  /** RFC 6962 PROOF(m, D[0:n]) for 0 < m <= n (empty for m = n); m = 0 has no proof (RFC 9162). */
  consistencyProof(m: number, n: number): Buffer[] {
    this.checkSize(n, 'tree size');
    if (!Number.isInteger(m) || m < 1 || m > n) {
      throw new Error(`no consistency proof from tree size ${m} to ${n}: 1 <= from <= to is needed`);
    }
    const proof: Buffer[] = [];
    this.subproof(m, 0, n, true, proof);
    return proof;
  }

  /** MTH of leaves [start, start+n); aligned complete subtrees come straight from their level. */
  private subtree(start: number, n: number): Buffer {
    if ((n & (n - 1)) === 0 && start % n === 0) {
      return this.levels[Math.log2(n)].at(start / n);
    }
    const k = splitPoint(n);
    return nodeHash(this.subtree(start, k), this.subtree(start + k, n - k));
  }

  /** PATH(m, D[start:start+n]) appended leaf to root: recursion first, then the sibling. */
  private path(m: number, start: number, n: number, out: Buffer[]): void {
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, k, out);
      out.push(this.subtree(start + k, n - k));
    } else {
      this.path(m - k, start + k, n - k, out);
      out.push(this.subtree(start, k));
    }
  }

  /** SUBPROOF(m, D[start:start+n], b). */
  private subproof(m: number, start: number, n: number, whole: boolean, out: Buffer[]): void {
    if (m === n) {
      if (!whole) out.push(this.subtree(start, n));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, k, whole, out);
      out.push(this.subtree(start + k, n - k));
    } else {
      this.subproof(m - k, start + k, n - k, false, out);
      out.push(this.subtree(start, k));
    }
  }

  private checkSize(n: number, what: string): void {
    if (!Number.isInteger(n) || n < 0 || n > this.size) {
      throw new Error(`${what} ${n} is beyond the tree (${this.size} leaves)`);
    }
  }
}
