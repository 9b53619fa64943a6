// RFC 6962 / RFC 9162 Merkle tree hashing and proof verification (RFC 9162 sections 2.1.1,
// 2.1.3.2 and 2.1.4.2). Hashes are lowercase hex at the edges, bytes inside.
import { canonicalJson } from './canonical.ts';
import { fromHex, isHash, toHex, utf8 } from './encoding.ts';
import { sha256 } from './sha256.ts';

const NOT_HASHES = 'a hash is not 64 lowercase hex characters';

/** SHA-256(0x00 || leafBytes). */
export function leafHash(leafBytes: Uint8Array): Uint8Array {
  const input = new Uint8Array(leafBytes.length + 1);
  input.set(leafBytes, 1);
  return sha256(input);
}

const node = new Uint8Array(65);
/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  node[0] = 1;
  node.set(left, 1);
  node.set(right, 33);
  return sha256(node);
}

/** The ledger's leaf for a transaction: canonicalJson({ blockNumber, txIndex, tx }). */
export function transactionLeafHash(blockNumber: number, txIndex: number, tx: unknown): string {
  return toHex(leafHash(utf8(canonicalJson({ blockNumber, txIndex, tx }))));
}

/**
 * RFC 9162 2.1.3.2: whether `proof` proves the leaf with hash `leaf` at `leafIndex` in the tree of
 * `treeSize` leaves whose root is `root`. Returns the reason when it does not.
 */
export function checkInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: string,
  proof: string[],
  root: string,
): string | null {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0)
    return 'leaf index or tree size is not a non-negative integer';
  if (leafIndex >= treeSize) return `leaf index ${leafIndex} is not inside a tree of ${treeSize} leaves`;
  if (!Array.isArray(proof) || ![leaf, root, ...proof].every(isHash)) return NOT_HASHES;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = fromHex(leaf);
  for (const p of proof) {
    if (sn === 0) return 'the proof is longer than the tree is deep';
    const sibling = fromHex(p);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return 'the proof is shorter than the tree is deep';
  return toHex(r) === root ? null : 'the proof leads to another root';
}

/**
 * RFC 9162 2.1.4.2: whether `proof` shows that the tree of `firstSize` leaves with root `firstRoot`
 * is a prefix of the tree of `secondSize` leaves with root `secondRoot`. Returns the reason when not.
 */
export function checkConsistency(
  firstSize: number,
  secondSize: number,
  firstRoot: string,
  secondRoot: string,
  proof: string[],
): string | null {
  if (!Number.isSafeInteger(firstSize) || !Number.isSafeInteger(secondSize) || firstSize < 0)
    return 'tree sizes are not non-negative integers';
  if (!Array.isArray(proof) || ![firstRoot, secondRoot, ...proof].every(isHash)) return NOT_HASHES;
  if (firstSize > secondSize) return `the tree shrank from ${firstSize} to ${secondSize} leaves`;
  if (firstSize === secondSize) {
    if (proof.length !== 0) return 'a proof between equal sizes must be empty';
    return firstRoot === secondRoot ? null : `the tree of ${firstSize} leaves now has another root`;
  }
  if (firstSize === 0) return proof.length === 0 ? null : 'a proof from the empty tree must be empty';
  if (proof.length === 0) return 'the proof is empty';
  const path = proof.map(fromHex);
  // A first tree that is a complete subtree is its own first node.
  if ((firstSize & (firstSize - 1)) === 0) path.unshift(fromHex(firstRoot));
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return 'the proof is longer than needed';
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return 'the proof is shorter than needed';
  if (toHex(fr) !== firstRoot) return `the proof does not lead to the root of the first ${firstSize} leaves`;
  if (toHex(sr) !== secondRoot) return `the proof does not lead to the root of the ${secondSize}-leaf tree`;
  return null;
}
