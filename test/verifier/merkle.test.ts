// The verifier's primitives: SHA-256 against WebCrypto, canonicalJson against the contract's,
// RFC 9162 inclusion and consistency verification against proofs built from RFC 6962's definitions.
import { describe, expect, it } from 'vitest';
import { canonicalJson as contractCanonical } from '../../chaincode/src/canonical.ts';
import {
  canonicalJson,
  checkConsistency,
  checkInclusion,
  fromBase64,
  sha256,
  toHex,
} from '../../verifier/index.ts';
import { auditPath, consistencyProof, hex, mth } from './ledger-fixture.ts';

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => sha256(new TextEncoder().encode(`leaf ${i}`)));
const flip = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);

describe('primitives', () => {
  it('SHA-256 matches WebCrypto for lengths around the block boundaries', async () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      const expected = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
      expect(toHex(sha256(data)), `length ${length}`).toBe(toHex(expected));
    }
  });

  it('canonicalJson agrees with the contract', () => {
    const samples = [
      { b: 1, a: [3, { z: null, y: undefined, x: 'é\u0000' }], c: Number.NaN },
      { é: 1, e: 2, E: 3, '10': 4, '9': 5 },
      [undefined, true, false, -0, 1e21, 'line\nbreak'],
      { toJSON: () => ({ later: 1 }) },
    ];
    for (const s of samples) expect(canonicalJson(s)).toBe(contractCanonical(s));
  });

  it('base64 must be canonical', () => {
    expect(() => fromBase64('AAE=')).not.toThrow();
    expect(() => fromBase64('AAF=')).toThrow(/canonical/);
    expect(() => fromBase64('not base64!')).toThrow();
  });
});

describe('inclusion proofs (RFC 9162 2.1.3.2)', () => {
  it('accepts every leaf of trees of 1..33 leaves and refuses any altered proof', () => {
    for (let n = 1; n <= 33; n++) {
      const tree = leaves(n);
      const root = hex(mth(tree));
      for (let m = 0; m < n; m++) {
        const path = auditPath(m, tree).map(hex);
        expect(checkInclusion(m, n, hex(tree[m]), path, root), `leaf ${m} of ${n}`).toBeNull();
        expect(checkInclusion(m, n, flip(hex(tree[m])), path, root)).toMatch(/another root/);
        if (path.length > 0) {
          expect(
            checkInclusion(m, n, hex(tree[m]), [...path.slice(0, -1), flip(path.at(-1)!)], root),
          ).not.toBeNull();
          expect(checkInclusion(m, n, hex(tree[m]), path.slice(0, -1), root)).toMatch(/shorter/);
        }
        expect(checkInclusion(m, n, hex(tree[m]), [...path, hex(tree[0])], root)).not.toBeNull();
        if (n > 1) expect(checkInclusion((m + 1) % n, n, hex(tree[m]), path, root)).not.toBeNull();
      }
    }
  });

  it('refuses a leaf index outside the tree and malformed hashes', () => {
    const tree = leaves(4);
    expect(checkInclusion(4, 4, hex(tree[0]), [], hex(mth(tree)))).toMatch(/not inside/);
    expect(checkInclusion(0, 4, 'XYZ', [], hex(mth(tree)))).toMatch(/hex/);
  });
});

describe('consistency proofs (RFC 9162 2.1.4.2)', () => {
  it('accepts every pair of sizes up to 33 and refuses altered proofs and roots', () => {
    const all = leaves(33);
    for (let n = 1; n <= 33; n++) {
      const second = hex(mth(all.slice(0, n)));
      for (let m = 1; m <= n; m++) {
        const first = hex(mth(all.slice(0, m)));
        const proof = consistencyProof(m, all.slice(0, n)).map(hex);
        expect(checkConsistency(m, n, first, second, proof), `${m} -> ${n}`).toBeNull();
        expect(checkConsistency(m, n, flip(first), second, proof)).not.toBeNull();
        expect(checkConsistency(m, n, first, flip(second), proof)).not.toBeNull();
        proof.forEach((_, i) => {
          const altered = proof.map((h, j) => (i === j ? flip(h) : h));
          expect(checkConsistency(m, n, first, second, altered), `${m} -> ${n} hash ${i}`).not.toBeNull();
        });
      }
    }
  });

  it('refuses a tree that shrank or was rewritten', () => {
    const all = leaves(10);
    const root = (n: number) => hex(mth(all.slice(0, n)));
    expect(checkConsistency(8, 5, root(8), root(5), [])).toMatch(/shrank/);
    const rewritten = [...all.slice(0, 3), sha256(new Uint8Array([9])), ...all.slice(4)];
    const proof = consistencyProof(6, rewritten).map(hex);
    expect(checkConsistency(6, 10, root(6), hex(mth(rewritten)), proof)).not.toBeNull();
    expect(checkConsistency(6, 6, root(6), hex(mth(rewritten.slice(0, 6))), [])).toMatch(/another root/);
  });
});
