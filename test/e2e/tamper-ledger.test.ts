// The ledger tampering suite: an operator with write access to the data directory (and even the
// ledger's signing key) changes, truncates, deletes or rewrites the ledger after a receipt was
// issued. Each attempt is caught, either by the ledger refusing to open (naming the first bad
// block) or by `govflow receipt verify --against` run as a subprocess against the live API
// (naming the first record that no longer matches). The receipt itself verifies offline.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../api/server.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import type { Receipt } from '../../verifier/types.ts';
import { confirmPayment, propertyRegistrationHarness, submit, transfer } from '../support/flows.ts';
import { type Harness, tokens } from '../support/harness.ts';
import { freePort } from '../support/ports.ts';
import { waitUntil } from '../support/scenarios.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'govflow-tamper-'));
const keyDirOf = join(work, 'keys');
let h: Harness;
let pristine: string; // a copy of the ledger directory as it was when the receipt was issued
let receiptFile: string;
let keysFile: string;
let receipt: Receipt;
const open: { ledger: EmbeddedLedger; server: ServerType }[] = [];

beforeAll(async () => {
  process.env.GOVFLOW_KEY_DIR = keyDirOf;
  delete process.env.GOVFLOW_LEDGER_KEY;
  h = await propertyRegistrationHarness({ witnesses: ['LandRegistryMSP', 'TaxBureauMSP'] });
  const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
  await confirmPayment(h, id);
  await waitUntil(h, id, 'completion', (a) => a.status === 'completed');
  // A client retries a 503 after its Retry-After: witnesses co-sign the newest checkpoint shortly.
  let response = await h.request('GET', `/applications/${id}/receipt`, { token: await tokens.applicant() });
  for (let attempt = 0; response.status === 503 && attempt < 5; attempt++) {
    expect(response.headers.get('retry-after')).toBe('2');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    response = await h.request('GET', `/applications/${id}/receipt`, { token: await tokens.applicant() });
  }
  if (response.status !== 200) throw new Error(`receipt: ${response.status} ${await response.text()}`);
  receipt = (await response.json()) as Receipt;
  receiptFile = join(work, 'receipt.json');
  writeFileSync(receiptFile, JSON.stringify(receipt));
  const keys = await h.request('GET', '/.well-known/govflow-ledger.json');
  keysFile = join(work, 'pinned.json');
  writeFileSync(keysFile, await keys.text());
  await h.stop();
  pristine = join(work, 'pristine');
  cpSync(join(h.dataDir, 'ledger'), pristine, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const { ledger, server } of open) {
    server.close();
    await ledger.close();
  }
});

/** A copy of the ledger as issued, changed by `tamper`. */
function tampered(tamper: (dir: string) => void): string {
  const dir = mkdtempSync(join(work, 'ledger-'));
  cpSync(pristine, dir, { recursive: true });
  tamper(dir);
  return dir;
}

/** Serves the API over the ledger in `dir` (keys from `keyDir`), as the operator would restart it. */
async function serve(dir: string, env: Record<string, string> = {}): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const ledger = await EmbeddedLedger.open(dir);
    const port = await freePort();
    const server = await startApiServer({ ...h.services, ledger }, '127.0.0.1', port);
    open.push({ ledger, server });
    return `http://127.0.0.1:${port}`;
  } finally {
    process.env = saved;
  }
}

/** `govflow receipt verify` as a subprocess; no server or data directory unless --against. */
function verifyCli(...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    [join(REPO, 'bin', 'govflow.js'), 'receipt', 'verify', receiptFile, ...args],
    {
      cwd: work,
      env: { ...process.env, GOVFLOW_KEY_DIR: keyDirOf, GOVFLOW_DATA_DIR: join(work, 'no-data-dir') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const blocksOf = (dir: string) => readFileSync(join(dir, 'blocks.jsonl'), 'utf8').trim().split('\n');
const blockOfRecord = (seq: number) => receipt.records[seq - 1].inclusion.blockNumber;

describe('a receipt', () => {
  it('verifies offline with the server stopped, with pinned keys or the local key dir', async () => {
    expect(receipt.records.length).toBeGreaterThanOrEqual(4);
    const pinned = await verifyCli('--keys', keysFile);
    expect(pinned.out).toMatch(/valid: every check passed/);
    expect(pinned.code).toBe(0);
    const local = await verifyCli();
    expect(local.code).toBe(0);
  });

  it('verifies against the untouched ledger, which has only grown', async () => {
    const url = await serve(tampered(() => {}));
    const result = await verifyCli('--keys', keysFile, '--against', url);
    expect(result.out).toMatch(/ok +consistency/);
    expect(result.code).toBe(0);
  });

  it('altered in one field fails offline, naming the record', async () => {
    const forged = structuredClone(receipt);
    forged.records[1].record.decision = 'reject';
    const file = join(work, 'forged-receipt.json');
    writeFileSync(file, JSON.stringify(forged));
    const child = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, [
        join(REPO, 'bin', 'govflow.js'),
        'receipt',
        'verify',
        file,
        '--keys',
        keysFile,
      ]);
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('exit', (code) => resolve({ code, out }));
    });
    expect(child.code).toBe(1);
    expect(child.out).toMatch(/FAIL records-chained +record seq 2 .*hash mismatch/);
  });
});

describe('the ledger tampered with after the receipt was issued', () => {
  it('one byte changed: the ledger does not open, naming the block', async () => {
    const block = blockOfRecord(2);
    const dir = tampered((d) => {
      const lines = blocksOf(d);
      lines[block] = lines[block].replace(receipt.records[1].record.dataHash, `${'0'.repeat(64)}`);
      writeFileSync(join(d, 'blocks.jsonl'), `${lines.join('\n')}\n`);
    });
    await expect(serve(dir)).rejects.toThrow(new RegExp(`does not open: block ${block}`));
  });

  it('last blocks dropped: refused at open while its checkpoints remain', async () => {
    const dir = tampered((d) => {
      writeFileSync(join(d, 'blocks.jsonl'), `${blocksOf(d).slice(0, blockOfRecord(3)).join('\n')}\n`);
    });
    await expect(serve(dir)).rejects.toThrow(/does not open: .*blocks were removed/);
  });

  it('last blocks dropped with the checkpoints and witness files: --against names the first lost record', async () => {
    const dir = tampered((d) => {
      writeFileSync(join(d, 'blocks.jsonl'), `${blocksOf(d).slice(0, blockOfRecord(3)).join('\n')}\n`);
      for (const f of ['checkpoints.jsonl', 'witnesses.jsonl']) rmSync(join(d, f), { force: true });
    });
    const url = await serve(dir);
    const result = await verifyCli('--keys', keysFile, '--against', url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/FAIL consistency .*truncated/);
    expect(result.out).toMatch(/FAIL current-inclusion +record seq 3 .*no longer in the ledger/);
  });

  it('blocks.jsonl deleted: refused at open', async () => {
    const dir = tampered((d) => rmSync(join(d, 'blocks.jsonl')));
    await expect(serve(dir)).rejects.toThrow(/blocks\.jsonl is empty or missing/);
  });

  it('the whole data directory replaced by a new chain signed with the old keys: --against reports it', async () => {
    const dir = mkdtempSync(join(work, 'rewritten-'));
    const url = await serve(join(dir, 'ledger'));
    const ledger = open.at(-1)!.ledger;
    // the operator replays a history of their choosing, signed with the genuine keys
    const first = receipt.records[0].record;
    await ledger.registerDefinition(
      {
        key: receipt.definition!.key,
        version: receipt.definition!.version,
        hash: receipt.definition!.hash,
        deployer: 'x',
        modelHash: receipt.definition!.modelHash ?? receipt.definition!.hash,
        rules: {},
        decisionCalls: {},
      },
      { mspId: 'GovflowMSP', id: 'govflow-engine' },
    );
    await ledger.recordStep({ ...first, decision: 'reject' } as never, {
      mspId: 'GovflowMSP',
      id: 'govflow-engine',
    });
    const result = await verifyCli('--keys', keysFile, '--against', url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/ok +current-checkpoint-signature/);
    expect(result.out).toMatch(/FAIL consistency .*not a prefix/);
    expect(result.out).toMatch(/FAIL current-inclusion +record seq 1 /);
  });

  it('rewritten with a new ledger key pair (and new organisation keys): --against reports the key', async () => {
    const forgerKeys = mkdtempSync(join(work, 'forger-keys-'));
    const dir = mkdtempSync(join(work, 'rekeyed-'));
    const url = await serve(join(dir, 'ledger'), { GOVFLOW_KEY_DIR: forgerKeys });
    const result = await verifyCli('--keys', keysFile, '--against', url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/FAIL current-checkpoint-signature .*not the pinned one/);
  });
});
