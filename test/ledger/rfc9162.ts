// An independent reading of RFC 6962 / RFC 9162 for the tests: the Merkle tree hash computed
// recursively from the definition, and the verification algorithms of RFC 9162 sections
// 2.1.3.2 (inclusion) and 2.1.4.2 (consistency), written from the RFC, not from the ledger code.
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const leaf = (data: Uint8Array) => sha256(Buffer.from([0]), data);
const node = (l: Uint8Array, r: Uint8Array) => sha256(Buffer.from([1]), l, r);

/** MTH(D[n]) straight from the definition. */
export function mth(leaves: Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaf(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const lsb = (n: bigint) => (n & 1n) === 1n;

export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: string[],
  root: string,
): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = Buffer.from(leafHash);
  for (const text of proof) {
    const p = Buffer.from(text, 'hex');
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      r = node(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.toString('hex') === root;
}

export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: string,
  secondRoot: string,
  proof: string[],
): boolean {
  if (first > second || first < 1) return false;
  if (first === second) return proof.length === 0 && firstRoot === secondRoot;
  let path = proof.map((p) => Buffer.from(p, 'hex'));
  if ((first & (first - 1)) === 0) path = [Buffer.from(firstRoot, 'hex'), ...path];
  if (path.length === 0) return false;
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  if (lsb(fn)) {
    while (lsb(fn)) {
      fn >>= 1n;
      sn >>= 1n;
    }
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.toString('hex') === firstRoot && sr.toString('hex') === secondRoot && sn === 0n;
}
