// Known answers for the ledger's Merkle tree: roots against the RFC 6962 definition computed
// recursively here and against published test vectors, and every inclusion and consistency proof
// checked with RFC 9162's verification algorithms (test/ledger/rfc9162.ts, written from the RFC).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, leafHash, MerkleTree, nodeHash } from '../../ledger/anchors/merkle-tree.ts';
import { leaf, mth, verifyConsistency, verifyInclusion } from './rfc9162.ts';

const hex = (b: Buffer) => b.toString('hex');
const treeOf = (leaves: Uint8Array[]) => {
  const tree = new MerkleTree();
  for (const l of leaves) tree.appendLeafHash(leafHash(l));
  return tree;
};
const data = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`));

// The inputs of the Certificate Transparency reference test vectors.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree (RFC 6962)', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes; the empty tree is SHA-256 of nothing', () => {
    const a = Buffer.from('a');
    expect(hex(leafHash(a))).toBe(
      createHash('sha256')
        .update(Buffer.from([0, 0x61]))
        .digest('hex'),
    );
    const l = leafHash(a);
    const r = leafHash(Buffer.from('b'));
    expect(hex(nodeHash(l, r))).toBe(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), l, r]))
        .digest('hex'),
    );
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(new MerkleTree().root())).toBe(hex(EMPTY_ROOT));
  });

  it('a tree of three leaves, computed by hand: MTH = H(1 || H(1 || l0 || l1) || l2)', () => {
    const [l0, l1, l2] = data(3).map(leafHash);
    expect(hex(treeOf(data(3)).root())).toBe(hex(nodeHash(nodeHash(l0, l1), l2)));
  });

  it('matches the Certificate Transparency test vectors', () => {
    const tree = treeOf(CT_LEAVES);
    expect(CT_ROOTS.map((_, i) => hex(tree.root(i + 1)))).toEqual(CT_ROOTS);
    expect(CT_ROOTS.map((_, i) => hex(mth(CT_LEAVES.slice(0, i + 1))))).toEqual(CT_ROOTS);
  });

  it('every prefix root equals the recursive definition, as the tree grows', () => {
    const leaves = data(70);
    const tree = new MerkleTree();
    for (const [i, l] of leaves.entries()) {
      tree.appendLeafHash(leafHash(l));
      expect(hex(tree.root()), `size ${i + 1}`).toBe(hex(mth(leaves.slice(0, i + 1))));
    }
    for (let n = 0; n <= 70; n++) expect(hex(tree.root(n)), `prefix ${n}`).toBe(hex(mth(leaves.slice(0, n))));
  });

  it('inclusion proofs verify with RFC 9162 for every leaf of every tree size; a changed hash does not', () => {
    const leaves = data(33);
    const tree = treeOf(leaves);
    for (let n = 1; n <= 33; n++) {
      const root = hex(tree.root(n));
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n).map(hex);
        expect(verifyInclusion(m, n, leaf(leaves[m]), proof, root), `leaf ${m} of ${n}`).toBe(true);
        expect(verifyInclusion(m, n, leaf(leaves[(m + 1) % n]), proof, root) && n > 1).toBe(false);
        if (proof.length > 0) {
          const bad = [...proof];
          bad[bad.length - 1] = hex(leaf(Buffer.from('forged')));
          expect(verifyInclusion(m, n, leaf(leaves[m]), bad, root)).toBe(false);
        }
      }
    }
    expect(tree.inclusionProof(0, 1)).toEqual([]);
    expect(() => tree.inclusionProof(5, 5)).toThrow(/leaf index 5 is not in a tree of 5 leaves/);
    expect(() => tree.inclusionProof(0, 34)).toThrow(/beyond the tree/);
  });

  it('consistency proofs verify with RFC 9162 for every pair of sizes; a proof to another tree does not', () => {
    const leaves = data(33);
    const tree = treeOf(leaves);
    const other = treeOf([...leaves.slice(0, 5), Buffer.from('rewritten'), ...leaves.slice(6)]);
    for (let n = 1; n <= 33; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n).map(hex);
        const [a, b] = [hex(tree.root(m)), hex(tree.root(n))];
        expect(verifyConsistency(m, n, a, b, proof), `${m} -> ${n}`).toBe(true);
        if (m < n && m > 5) {
          // The old tree held the original leaf 5: no proof links it to the rewritten tree.
          expect(verifyConsistency(m, n, a, hex(other.root(n)), proof), `rewritten ${m} -> ${n}`).toBe(false);
          expect(verifyConsistency(m, n, a, hex(other.root(n)), other.consistencyProof(m, n).map(hex))).toBe(
            false,
          );
        }
      }
    }
    // RFC 6962's own example tree of 7 leaves: PROOF(3, D[7]) = [c, d, g, l], PROOF(4, D[7]) = [l], PROOF(6, D[7]) = [i, j, k].
    expect(tree.consistencyProof(3, 7)).toHaveLength(4);
    expect(tree.consistencyProof(4, 7).map(hex)).toEqual([hex(mth(leaves.slice(4, 7)))]);
    expect(tree.consistencyProof(6, 7).map(hex)).toEqual(
      [leaves.slice(4, 6), leaves.slice(6, 7), leaves.slice(0, 4)].map((l) => hex(mth(l))),
    );
    expect(() => tree.consistencyProof(0, 3)).toThrow(/1 <= from <= to/);
  });

  it('stays logarithmic: a proof in a tree of 100k leaves is short and fast', () => {
    const tree = new MerkleTree();
    const h = leafHash(Buffer.from('x'));
    for (let i = 0; i < 100_000; i++) tree.appendLeafHash(h);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) tree.inclusionProof((i * 97) % 100_000, 100_000);
    const perProof = (performance.now() - started) / 1000;
    expect(tree.inclusionProof(12_345, 100_000)).toHaveLength(17);
    expect(tree.consistencyProof(77_777, 100_000).length).toBeLessThanOrEqual(2 * 17);
    expect(perProof).toBeLessThan(1);
  });
});
