// The ledger's anchors: signed checkpoints after every commit that match the transactions on
// disk, inclusion and consistency proofs that verify with RFC 9162's algorithms, the same
// checkpoints and proofs in every process sharing the data directory, and witness signatures
// stored only when they verify with the witness organisation's key from the genesis block.
import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import type { SignedCheckpoint, WitnessSignature } from '../../ledger/anchors/types.ts';
import { dataHashOf, headerHashOf } from '../../ledger/embedded/block-store.ts';
import { signTx } from '../../ledger/embedded/genesis.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { verifyLedgerFiles } from '../../ledger/embedded/verify.ts';
import {
  keyDir,
  keyFingerprint,
  ledgerKeyFile,
  loadOrCreatePrivateKey,
  loadPrivateKey,
  organisationKeyFile,
  publicKeyBase64,
  publicKeyFromBase64,
} from '../../ledger/keys.ts';
import { ENGINE, LAND_REGISTRY, spawnChildWriter, step, tempLedgerDir } from './helpers.ts';
import { useTempKeyDir } from './key-dir.ts';
import { leaf, mth, verifyConsistency, verifyInclusion } from './rfc9162.ts';

useTempKeyDir();

const open: EmbeddedLedger[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});
async function openAt(dir: string) {
  const ledger = await EmbeddedLedger.open(dir);
  open.push(ledger);
  return ledger;
}

/** The leaves as this test reads them from blocks.jsonl, per formats: {blockNumber, txIndex, tx}. */
function leavesOnDisk(dir: string) {
  return readFileSync(join(dir, 'blocks.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .flatMap((line) => {
      const block = JSON.parse(line);
      return block.txs.map((tx: { txId: string }, txIndex: number) => ({
        txId: tx.txId,
        bytes: Buffer.from(canonicalJson({ blockNumber: block.number, txIndex, tx })),
      }));
    });
}

const bodyOf = ({ format, ledgerKey, size, root, blockNumber, timestamp }: SignedCheckpoint) => ({
  format,
  ledgerKey,
  size,
  root,
  blockNumber,
  timestamp,
});

function witnessAs(mspId: string, checkpoint: SignedCheckpoint, key: KeyObject): WitnessSignature {
  const bytes = Buffer.from(canonicalJson({ format: 'govflow-witness/1', checkpoint: bodyOf(checkpoint) }));
  return { mspId, keyFingerprint: keyFingerprint(key), signature: sign(null, bytes, key).toString('base64') };
}

describe('ledger anchors', () => {
  it('signs a checkpoint after every commit whose root is the Merkle tree of the transactions on disk', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const anchors = ledger.anchors;
    const genesis = await anchors.latestCheckpoint();
    expect(genesis).toMatchObject({ format: 'govflow-checkpoint/1', size: 1, blockNumber: 0, witnesses: [] });

    const records = [];
    for (let n = 1; n <= 3; n++) records.push((await ledger.recordStep(step('app-1', n), ENGINE)).record);
    await ledger.putFact('land-title', 'P-1', { status: 'registered' }, LAND_REGISTRY);

    const keys = await anchors.keys();
    expect(keys.ledger.fingerprint).toBe(keyFingerprint(loadPrivateKey(ledgerKeyFile())));
    expect(keys.organisations.map((o) => o.mspId)).toEqual(
      expect.arrayContaining(['GovflowMSP', 'LandRegistryMSP', 'TaxBureauMSP', 'MarketRegulationMSP']),
    );
    const landRegistry = keys.organisations.find((o) => o.mspId === 'LandRegistryMSP')!;
    expect(landRegistry.fingerprint).toBe(
      keyFingerprint(loadPrivateKey(organisationKeyFile('LandRegistryMSP'))),
    );

    const latest = await anchors.latestCheckpoint();
    const leaves = leavesOnDisk(dir);
    expect(latest.size).toBe(5);
    expect(leaves).toHaveLength(5);
    expect(latest.blockNumber).toBe(4);
    expect(latest.ledgerKey).toBe(keys.ledger.fingerprint);
    expect(latest.root).toBe(mth(leaves.map((l) => l.bytes)).toString('hex'));
    const signed = Buffer.from(canonicalJson(bodyOf(latest)));
    const ledgerKey = publicKeyFromBase64(keys.ledger.publicKey);
    expect(verify(null, signed, ledgerKey, Buffer.from(latest.signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(`${signed}x`), ledgerKey, Buffer.from(latest.signature, 'base64'))).toBe(
      false,
    );

    // One durable checkpoint per block, each of its own size.
    const lines = readFileSync(join(dir, 'checkpoints.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).size)).toEqual([1, 2, 3, 4, 5]);
    for (let size = 1; size <= 5; size++) {
      const c = (await anchors.checkpoint(size))!;
      expect(c.root).toBe(mth(leaves.slice(0, size).map((l) => l.bytes)).toString('hex'));
    }
    expect(await anchors.checkpoint(6)).toBeNull();

    // Inclusion of record 2 in the latest tree and in the tree of the checkpoint right after it.
    const inclusion = (await anchors.inclusion(records[1].txId, latest.size))!;
    expect(inclusion).toMatchObject({
      txId: records[1].txId,
      blockNumber: 2,
      txIndex: 0,
      leafIndex: 2,
      treeSize: 5,
    });
    expect(inclusion.tx.txId).toBe(records[1].txId);
    const leafBytes = Buffer.from(canonicalJson({ blockNumber: 2, txIndex: 0, tx: inclusion.tx }));
    expect(leafBytes.equals(leaves[2].bytes)).toBe(true);
    expect(verifyInclusion(2, 5, leaf(leafBytes), inclusion.proof, latest.root)).toBe(true);
    const early = (await anchors.inclusion(records[1].txId, 3))!;
    expect(verifyInclusion(2, 3, leaf(leafBytes), early.proof, (await anchors.checkpoint(3))!.root)).toBe(
      true,
    );
    await expect(anchors.inclusion(records[1].txId, 2)).rejects.toThrow(/committed after the tree of 2/);
    await expect(anchors.inclusion(records[1].txId, 6)).rejects.toThrow(/tree size 6 is not a size/);
    expect(await anchors.inclusion('f'.repeat(64), 5)).toBeNull();

    // Consistency between every pair of checkpoints.
    for (let from = 1; from <= 5; from++) {
      for (let to = from; to <= 5; to++) {
        const proof = await anchors.consistency(from, to);
        const [a, b] = [(await anchors.checkpoint(from))!.root, (await anchors.checkpoint(to))!.root];
        expect(verifyConsistency(from, to, a, b, proof), `${from} -> ${to}`).toBe(true);
      }
    }
  });

  it('serves the same checkpoints and proofs in every process sharing the data directory', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const child = spawnChildWriter(dir, 'app-child', 8);
    await child.opened;
    for (let n = 1; n <= 8; n++) await ledger.recordStep(step('app-parent', n), ENGINE);
    expect(await child.exited, child.output()).toBe(0);

    const latest = await ledger.anchors.latestCheckpoint();
    expect(latest.size).toBe(17);
    const other = await openAt(dir);
    expect(await other.anchors.latestCheckpoint()).toEqual(latest);
    const lines = readFileSync(join(dir, 'checkpoints.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).size)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));

    const leaves = leavesOnDisk(dir);
    expect(latest.root).toBe(mth(leaves.map((l) => l.bytes)).toString('hex'));
    const childTx = (await ledger.trail('app-child'))[4].record.txId;
    const a = (await ledger.anchors.inclusion(childTx, 17))!;
    expect(await other.anchors.inclusion(childTx, 17)).toEqual(a);
    expect(verifyInclusion(a.leafIndex, 17, leaf(leaves[a.leafIndex].bytes), a.proof, latest.root)).toBe(
      true,
    );
  });

  it('stores witness signatures that verify, once, and refuses forged or ineligible ones', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    await ledger.recordStep(step('app-1', 1), ENGINE);
    const checkpoint = await ledger.anchors.latestCheckpoint();
    const landKey = loadPrivateKey(organisationKeyFile('LandRegistryMSP'));
    const genuine = witnessAs('LandRegistryMSP', checkpoint, landKey);
    const anchors = ledger.anchors;

    expect(await anchors.latestWitnessedCheckpoint(1)).toBeNull();
    await anchors.addWitnessSignature(checkpoint.size, genuine);
    await anchors.addWitnessSignature(checkpoint.size, genuine); // idempotent
    expect((await anchors.latestCheckpoint()).witnesses).toEqual([genuine]);
    expect((await anchors.latestWitnessedCheckpoint(1))!.size).toBe(checkpoint.size);
    expect(await anchors.latestWitnessedCheckpoint(2)).toBeNull();
    expect(readFileSync(join(dir, 'witnesses.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);

    const tax = witnessAs('TaxBureauMSP', checkpoint, loadPrivateKey(organisationKeyFile('TaxBureauMSP')));
    const other = await openAt(dir); // another process adds one: both serve both
    await other.anchors.addWitnessSignature(checkpoint.size, tax);
    expect((await anchors.latestWitnessedCheckpoint(2))!.witnesses.map((w) => w.mspId)).toEqual([
      'LandRegistryMSP',
      'TaxBureauMSP',
    ]);

    const { privateKey: stranger } = generateKeyPairSync('ed25519');
    const forged = witnessAs('LandRegistryMSP', checkpoint, stranger);
    await expect(
      anchors.addWitnessSignature(checkpoint.size, { ...forged, keyFingerprint: genuine.keyFingerprint }),
    ).rejects.toThrow(/witness signature of LandRegistryMSP over checkpoint 2 does not verify with its key/);
    await expect(anchors.addWitnessSignature(checkpoint.size, forged)).rejects.toThrow(
      /witness LandRegistryMSP names key [0-9a-f]{64}, but the ledger's config names/,
    );
    await expect(
      anchors.addWitnessSignature(checkpoint.size, witnessAs('EvilMSP', checkpoint, stranger)),
    ).rejects.toThrow(/witness organisation "EvilMSP" is not in the ledger's config/);
    const engine = witnessAs('GovflowMSP', checkpoint, loadPrivateKey(organisationKeyFile('GovflowMSP')));
    await expect(anchors.addWitnessSignature(checkpoint.size, engine)).rejects.toThrow(
      /GovflowMSP runs the engine that writes this ledger: it cannot witness it/,
    );
    const asLedger = witnessAs('LandRegistryMSP', checkpoint, loadPrivateKey(ledgerKeyFile()));
    await expect(anchors.addWitnessSignature(checkpoint.size, asLedger)).rejects.toThrow(
      /the ledger's own key cannot witness the ledger/,
    );
    await expect(anchors.addWitnessSignature(999, genuine)).rejects.toThrow(/no checkpoint of tree size 999/);
    // A genuine signature over another checkpoint is not one over this checkpoint.
    await expect(anchors.addWitnessSignature(1, genuine)).rejects.toThrow(
      /over checkpoint 1 does not verify/,
    );

    // A co-signature written into the file by hand counts for nothing.
    const credit = witnessAs('CreditMSP', checkpoint, stranger);
    appendFileSync(join(dir, 'witnesses.jsonl'), `${canonicalJson({ size: checkpoint.size, ...credit })}\n`);
    appendFileSync(
      join(dir, 'witnesses.jsonl'),
      `${canonicalJson({ size: checkpoint.size, ...credit, keyFingerprint: (await anchors.keys()).organisations.find((o) => o.mspId === 'CreditMSP')!.fingerprint })}\n`,
    );
    const reopened = await openAt(dir);
    expect((await reopened.anchors.latestCheckpoint()).witnesses.map((w) => w.mspId)).toEqual([
      'LandRegistryMSP',
      'TaxBureauMSP',
    ]);
  });

  it('adds an organisation by a config transaction signed by the ledger key; forged config updates do not open', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const healthKey = loadOrCreatePrivateKey(organisationKeyFile('HealthMSP'));
    const before = await ledger.anchors.latestCheckpoint();
    await expect(
      ledger.anchors.addWitnessSignature(before.size, witnessAs('HealthMSP', before, healthKey)),
    ).rejects.toThrow(/"HealthMSP" is not in the ledger's config/);
    await expect(ledger.addOrganisation('LandRegistryMSP', publicKeyBase64(healthKey))).rejects.toThrow(
      /LandRegistryMSP is already an organisation of this ledger, with key/,
    );
    await expect(ledger.addOrganisation('HealthMSP', 'AAAA')).rejects.toThrow(
      /not a base64 SPKI Ed25519 key/,
    );

    const { blockNumber } = await ledger.addOrganisation('HealthMSP', publicKeyBase64(healthKey));
    expect(blockNumber).toBe(1);
    const other = await openAt(dir); // replayed from the blocks by another process
    for (const l of [ledger, other]) {
      const health = (await l.anchors.keys()).organisations.find((o) => o.mspId === 'HealthMSP');
      expect(health?.fingerprint).toBe(keyFingerprint(healthKey));
    }
    const checkpoint = await other.anchors.latestCheckpoint();
    await ledger.anchors.addWitnessSignature(checkpoint.size, witnessAs('HealthMSP', checkpoint, healthKey));
    expect((await other.anchors.latestCheckpoint()).witnesses.map((w) => w.mspId)).toEqual(['HealthMSP']);
    expect(verifyLedgerFiles(dir).problems).toEqual([]);

    // The same config update signed by a key other than the ledger's, block re-sealed with the real key.
    await Promise.all(open.splice(0).map((l) => l.close()));
    const lines = readFileSync(join(dir, 'blocks.jsonl'), 'utf8').trim().split('\n');
    const block = JSON.parse(lines[1]);
    const { signature: _s, valid: _v, ...tx } = block.txs[0];
    const { privateKey: forger } = generateKeyPairSync('ed25519');
    block.txs[0] = { ...signTx(tx, forger), valid: true };
    block.dataHash = dataHashOf(block.txs);
    block.hash = headerHashOf(block);
    block.signature = sign(null, Buffer.from(block.hash, 'hex'), loadPrivateKey(ledgerKeyFile())).toString(
      'base64',
    );
    writeFileSync(join(dir, 'blocks.jsonl'), `${lines[0]}\n${canonicalJson(block)}\n`);
    rmSync(join(dir, 'checkpoints.jsonl'));
    rmSync(join(dir, 'witnesses.jsonl'));
    await expect(openAt(dir)).rejects.toThrow(
      /block 1: tx 0 .*: a config update not signed by the ledger key/,
    );
  });

  it('keeps no key in the data directory; key files are readable by their owner only', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    await ledger.recordStep(step('app-1', 1), ENGINE);
    expect(readdirSync(dir).filter((f) => /key|\.pem$/.test(f))).toEqual([]);
    const files = [
      ledgerKeyFile(),
      ...(await ledger.anchors.keys()).organisations.map((o) => organisationKeyFile(o.mspId)),
    ];
    for (const file of files) {
      expect(file.startsWith(keyDir())).toBe(true);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
  });
});
