// Attacks on the embedded ledger by someone who can write its data directory (and, in some
// cases, holds the ledger key but not an organisation's): every forgery is refused at commit or
// stops the ledger from opening, naming the first bad block; the running process never serves
// blocks that fail the checks.
import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/canonical.ts';
import { type Block, dataHashOf, headerHashOf } from '../../ledger/embedded/block-store.ts';
import { configTx, signTx } from '../../ledger/embedded/genesis.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { LedgerStore } from '../../ledger/embedded/ledger-store.ts';
import { verifyLedgerFiles } from '../../ledger/embedded/verify.ts';
import {
  keyDir,
  keyFingerprint,
  ledgerKeyFile,
  loadOrCreatePrivateKey,
  loadPrivateKey,
  organisationKeyFile,
  publicKeyBase64,
} from '../../ledger/keys.ts';
import { ENGINE, LAND_REGISTRY, step, tempLedgerDir } from './helpers.ts';
import { useTempKeyDir } from './key-dir.ts';

useTempKeyDir();

const open: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});
async function openAt(dir: string, options = {}) {
  const ledger = await EmbeddedLedger.open(dir, options);
  open.push(ledger);
  return ledger;
}

const blocksFile = (dir: string) => join(dir, 'blocks.jsonl');
const readBlocks = (dir: string): Block[] =>
  readFileSync(blocksFile(dir), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const writeBlocks = (dir: string, blocks: Block[]) =>
  writeFileSync(blocksFile(dir), blocks.map((b) => `${canonicalJson(b)}\n`).join(''));

/** Recomputes a block's hashes and signs it with `key`, chained to `prev`: a consistent forgery. */
function reseal(block: Block, prev: Block | undefined, key: KeyObject): Block {
  const fields = { ...block, prevHash: prev?.hash ?? '', dataHash: dataHashOf(block.txs) };
  const hash = headerHashOf(fields);
  return { ...fields, hash, signature: sign(null, Buffer.from(hash, 'hex'), key).toString('base64') };
}
function resealFrom(blocks: Block[], from: number, key: KeyObject): Block[] {
  const out = [...blocks];
  for (let i = from; i < out.length; i++) out[i] = reseal(out[i], out[i - 1], key);
  return out;
}
const newKey = () => generateKeyPairSync('ed25519').privateKey;

async function ledgerWithSteps(count = 4) {
  const dir = tempLedgerDir();
  const ledger = await openAt(dir);
  const records = [];
  for (let n = 1; n <= count; n++) records.push((await ledger.recordStep(step('app-1', n), ENGINE)).record);
  await ledger.close();
  open.splice(open.indexOf(ledger), 1);
  return { dir, records };
}

describe('signed transactions', () => {
  function draft(creator = LAND_REGISTRY) {
    return {
      txId: randomBytes(32).toString('hex'),
      fn: 'PutFact',
      argsHash: sha256Hex('[]'),
      creator,
      timestamp: new Date().toISOString(),
      reads: [],
      ranges: [],
      writes: [{ key: '\u0000fact\u0000land-title\u0000P-9\u0000', value: '{"status":"registered"}' }],
      events: [],
    };
  }

  it('the committer refuses a tx not signed by its creator organisation, or by an unknown one', async () => {
    const dir = tempLedgerDir();
    const store = await LedgerStore.open(dir);
    open.push(store);
    const before = readFileSync(blocksFile(dir), 'utf8');
    await expect(store.commit(signTx(draft(), newKey()))).rejects.toThrow(
      /refused: signature does not verify with LandRegistryMSP's key — not signed by that organisation/,
    );
    // Signed by another genuine organisation: still not LandRegistryMSP's signature.
    await expect(
      store.commit(signTx(draft(), loadPrivateKey(organisationKeyFile('TaxBureauMSP')))),
    ).rejects.toThrow(/signature does not verify with LandRegistryMSP's key/);
    const signed = signTx(draft(), loadPrivateKey(organisationKeyFile('LandRegistryMSP')));
    await expect(
      store.commit({ ...signed, writes: [{ key: signed.writes[0].key, value: '{}' }] }),
    ).rejects.toThrow(/signature does not verify/);
    await expect(store.commit(signTx(draft({ mspId: 'EvilMSP', id: 'x' }), newKey()))).rejects.toThrow(
      /its creator organisation "EvilMSP" is not in the ledger's config/,
    );
    expect(readFileSync(blocksFile(dir), 'utf8')).toBe(before);

    await store.commit(signed); // the genuine one is accepted, once
    await expect(store.commit(signed)).rejects.toThrow(/already on the ledger \(replayed\)/);
  });

  it('a process without an organisation key file cannot submit as that organisation', async () => {
    const dir = tempLedgerDir();
    const engineOnly = await openAt(dir, { organisations: ['GovflowMSP'] });
    await engineOnly.recordStep(step('app-1', 1), ENGINE);
    await expect(
      engineOnly.putFact('land-title', 'P-1', { status: 'registered' }, LAND_REGISTRY),
    ).rejects.toThrow(/this process may not submit as LandRegistryMSP: it signs for GovflowMSP only/);

    await expect(engineOnly.putFact('land-title', 'P-1', {}, LAND_REGISTRY)).rejects.toMatchObject({
      name: 'ContractError',
      code: 'FORBIDDEN',
    });

    const keys = mkdtempSync(join(tmpdir(), 'govflow-keys-partial-'));
    mkdirSync(join(keys, 'organisations'));
    copyFileSync(organisationKeyFile('GovflowMSP'), join(keys, 'organisations', 'GovflowMSP.pem'));
    const partial = await openAt(dir, { keyDir: keys, ledgerKeyFile: ledgerKeyFile() });
    await partial.recordStep(step('app-1', 2), ENGINE);
    const missing = join(keys, 'organisations', 'LandRegistryMSP.pem');
    await expect(
      partial.putFact('land-title', 'P-1', { status: 'registered' }, LAND_REGISTRY),
    ).rejects.toThrow(
      `cannot submit as LandRegistryMSP: its key file ${missing} is not available to this process`,
    );

    writeFileSync(missing, newKey().export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    await expect(
      partial.putFact('land-title', 'P-1', { status: 'registered' }, LAND_REGISTRY),
    ).rejects.toThrow(
      /the key in .*LandRegistryMSP\.pem \([0-9a-f]{64}\) is not the one the ledger's genesis block names/,
    );
    await expect(partial.putFact('land-title', 'P-1', {}, { mspId: 'EvilMSP', id: 'x' })).rejects.toThrow(
      /"EvilMSP" is not an organisation of this ledger/,
    );
  });
});

describe('a ledger whose files fail the checks does not open', () => {
  it('one changed byte: names the block', async () => {
    const { dir, records } = await ledgerWithSteps();
    const text = readFileSync(blocksFile(dir), 'utf8');
    writeFileSync(blocksFile(dir), text.replace(records[2].dataHash, `${records[2].dataHash.slice(0, -1)}0`));
    await expect(openAt(dir)).rejects.toThrow(/does not open: block 3: data hash mismatch/);
  });

  it('a removed block: names the block after the gap', async () => {
    const { dir } = await ledgerWithSteps();
    const blocks = readBlocks(dir);
    writeBlocks(dir, [...blocks.slice(0, 2), ...blocks.slice(3)]);
    await expect(openAt(dir)).rejects.toThrow(/does not open: block 3: number out of sequence, expected 2/);
  });

  it('the last blocks dropped: the checkpoints signed for them say so', async () => {
    const { dir } = await ledgerWithSteps();
    writeBlocks(dir, readBlocks(dir).slice(0, 3));
    await expect(openAt(dir)).rejects.toThrow(
      /does not open: checkpoints\.jsonl holds a checkpoint of more transactions than the blocks \(3\) — blocks were removed/,
    );
    expect(verifyLedgerFiles(dir).problems).toEqual([
      {
        message:
          'checkpoint of size 4 (checkpoints.jsonl line 4): covers more transactions than the blocks hold (3) — blocks were removed after it was signed',
      },
    ]);
  });

  it('blocks.jsonl deleted: not silently started afresh', async () => {
    const { dir } = await ledgerWithSteps();
    rmSync(blocksFile(dir));
    await expect(openAt(dir)).rejects.toThrow(
      /blocks\.jsonl is empty or missing, but checkpoints\.jsonl show\(s\) a ledger was here/,
    );
    expect(verifyLedgerFiles(dir).valid).toBe(false);
  });

  it('a block altered and re-signed with another ledger key: names the block', async () => {
    const { dir, records } = await ledgerWithSteps();
    const blocks = readBlocks(dir);
    const altered = structuredClone(blocks);
    altered[2].txs[0].writes = altered[2].txs[0].writes.map((w) => ({
      ...w,
      value: w.value?.replace('lin.clerk', 'mallory') ?? null,
    }));
    writeBlocks(dir, resealFrom(altered, 2, newKey()));
    await expect(openAt(dir)).rejects.toThrow(
      /does not open: block 2: ledger signature invalid — not signed by the configured ledger key/,
    );
    const report = verifyLedgerFiles(dir, 'app-1');
    expect(report.valid).toBe(false);
    expect(report.problems[0]).toMatchObject({ blockNumber: 2, txId: records[1].txId });
  });

  it('the whole chain rewritten with a new ledger key, public key left in the data dir: names both keys', async () => {
    const { dir } = await ledgerWithSteps();
    const blocks = readBlocks(dir);
    const forger = newKey();
    const config = JSON.parse(blocks[0].txs[0].writes[0].value!);
    const forgedConfig = {
      ...config,
      ledger: { publicKey: publicKeyBase64(forger), fingerprint: keyFingerprint(forger) },
    };
    blocks[0] = { ...blocks[0], txs: [configTx(forgedConfig, forger, blocks[0].timestamp)] };
    writeBlocks(dir, resealFrom(blocks, 0, forger));
    rmSync(join(dir, 'checkpoints.jsonl'));
    writeFileSync(
      join(dir, 'signing-key.pub.pem'),
      createPublicKey(forger).export({ type: 'spki', format: 'pem' }) as string,
    );
    const pinned = keyFingerprint(loadPrivateKey(ledgerKeyFile()));
    await expect(openAt(dir)).rejects.toThrow(
      `block 0: the genesis block names ledger key ${keyFingerprint(forger)}, but the configured ledger key is ${pinned}`,
    );
    const report = verifyLedgerFiles(dir);
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => p.message).join('\n')).toContain(`configured ledger key is ${pinned}`);
  });

  it('a tx re-signed with another organisation key, its block re-sealed with the real ledger key: names the tx', async () => {
    const { dir, records } = await ledgerWithSteps();
    const blocks = readBlocks(dir);
    const { signature: _s, valid: _v, ...tx } = blocks[2].txs[0];
    const forged = signTx(
      {
        ...tx,
        writes: tx.writes.map((w) => ({ ...w, value: w.value?.replace('lin.clerk', 'mallory') ?? null })),
      },
      newKey(),
    );
    blocks[2] = { ...blocks[2], txs: [{ ...forged, valid: true }] };
    writeBlocks(dir, resealFrom(blocks, 2, loadPrivateKey(ledgerKeyFile())));
    await expect(openAt(dir)).rejects.toThrow(
      `does not open: block 2: tx 0 (${records[1].txId.slice(0, 12)}…): signature does not verify with GovflowMSP's key`,
    );
    const report = verifyLedgerFiles(dir, 'app-1');
    expect(report.problems.map((p) => p.message).join('\n')).toMatch(
      /block 2 .*tx 0 .*signature does not verify with GovflowMSP's key/,
    );
  });

  it('a ledger key other than the one the genesis block names: names both fingerprints', async () => {
    const { dir } = await ledgerWithSteps(1);
    const other = join(mkdtempSync(join(tmpdir(), 'govflow-other-key-')), 'ledger-key.pem');
    const otherKey = loadOrCreatePrivateKey(other);
    const pinned = keyFingerprint(loadPrivateKey(ledgerKeyFile()));
    await expect(openAt(dir, { ledgerKeyFile: other })).rejects.toThrow(
      `block 0: the genesis block names ledger key ${pinned}, but the configured ledger key is ${keyFingerprint(otherKey)}`,
    );
  });

  it('a data directory of the older format (key beside the blocks, no genesis block): says to delete it', async () => {
    const dir = tempLedgerDir();
    mkdirSync(dir, { recursive: true });
    const oldKey = newKey();
    writeFileSync(join(dir, 'signing-key.pem'), oldKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const tx = {
      ...signTx(
        {
          ...(JSON.parse('{}') as object),
          txId: 'a'.repeat(64),
          fn: 'RecordStep',
          argsHash: '',
          creator: ENGINE,
          timestamp: '',
          reads: [],
          ranges: [],
          writes: [],
          events: [],
        },
        oldKey,
      ),
      valid: true,
    };
    writeBlocks(dir, [
      reseal(
        { number: 0, prevHash: '', timestamp: new Date().toISOString(), txs: [tx] } as unknown as Block,
        undefined,
        oldKey,
      ),
    ]);
    await expect(openAt(dir)).rejects.toThrow(/older govflow .*delete .* to start a new ledger/);
    rmSync(blocksFile(dir));
    await expect(openAt(dir)).rejects.toThrow(/older govflow/);
  });
});

describe('checkpoints written by someone else', () => {
  it('a checkpoint not signed by the ledger key is never served; as the latest one it stops the ledger opening', async () => {
    const { dir } = await ledgerWithSteps(3);
    const file = join(dir, 'checkpoints.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const forge = (line: string) => {
      const { signature: _s, ...body } = JSON.parse(line);
      return canonicalJson({
        ...body,
        signature: sign(null, Buffer.from(canonicalJson(body)), newKey()).toString('base64'),
      });
    };
    writeFileSync(
      file,
      [...lines.slice(0, 2), forge(lines[2]), ...lines.slice(3)].map((l) => `${l}\n`).join(''),
    );
    const ledger = await openAt(dir);
    expect((await ledger.anchors.checkpoint(2))!.size).toBe(2);
    await expect(ledger.anchors.checkpoint(3)).rejects.toThrow(
      /checkpoint of size 3 in checkpoints\.jsonl: signature invalid — not signed by the configured ledger key/,
    );
    await expect(ledger.recordStep(step('app-1', 4), ENGINE)).rejects.toThrow(
      /failed its checks .*checkpoint of size 3/,
    );
    await ledger.close();
    open.splice(open.indexOf(ledger), 1);

    writeFileSync(file, [...lines.slice(0, -1), forge(lines.at(-1)!)].map((l) => `${l}\n`).join(''));
    await expect(openAt(dir)).rejects.toThrow(
      /does not open: checkpoint of size 4 in checkpoints\.jsonl: signature invalid/,
    );
  });
});

describe('blocks appended by someone else', () => {
  it('are applied only when they pass; a forged one stops the running ledger from serving', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const other = await openAt(dir);
    await ledger.recordStep(step('app-1', 1), ENGINE);
    await other.recordStep(step('app-1', 2), ENGINE); // a genuine block by another process: applied
    expect((await ledger.trail('app-1')).map((e) => e.record.seq)).toEqual([1, 2]);

    const blocks = readBlocks(dir);
    const last = blocks.at(-1)!;
    const forged = reseal({ ...structuredClone(last), number: last.number + 1 }, last, newKey());
    writeFileSync(blocksFile(dir), `${readFileSync(blocksFile(dir), 'utf8')}${canonicalJson(forged)}\n`);
    const failure = new RegExp(
      `failed its checks and serves nothing: block ${forged.number}: ledger signature invalid`,
    );
    await expect(ledger.trail('app-1')).rejects.toThrow(failure);
    await expect(ledger.recordStep(step('app-1', 3), ENGINE)).rejects.toThrow(failure);
    await expect(ledger.anchors.latestCheckpoint()).rejects.toThrow(failure);
    await expect(openAt(dir)).rejects.toThrow(
      `does not open: block ${forged.number}: ledger signature invalid`,
    );
    expect(keyDir()).not.toContain(dir);
  });
});
