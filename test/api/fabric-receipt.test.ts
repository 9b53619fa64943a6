// The receipt routes on a Fabric ledger, end to end: an application runs on the engine with its
// steps recorded on a real network, its applicant downloads the receipt, the well-known route
// publishes the channel's trust anchors, `govflow receipt trust` exports the same anchors from the
// config block through the organisation's own peer, and `govflow receipt verify` (a subprocess,
// no server) accepts the receipt offline and refuses it once a record is altered.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FabricReceipt } from '../../verifier/fabric-receipt.ts';
import type { FabricTrust } from '../../verifier/fabric-trust.ts';
import * as b from '../support/bpmn-builder.ts';
import { type Harness, startHarness, tokens } from '../support/harness.ts';
import { deploy, ended, start } from '../support/scenarios.ts';
import { fabricNetwork, organisationProfile } from '../verifier/fabric-fixture.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const network = fabricNetwork();
const work = mkdtempSync(join(tmpdir(), 'govflow-fabric-receipt-'));

function govflow(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'govflow.js'), ...args], {
    cwd: work,
    env: { ...process.env, GOVFLOW_DATA_DIR: join(work, 'no-data-dir'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
}

describe('receipts over the API on a Fabric ledger', () => {
  let h: Harness;
  let id: string;
  let receipt: FabricReceipt;
  beforeAll(async () => {
    if (!network.dir) return;
    h = await startHarness({ ledger: 'fabric', withDepartments: false });
    const process = `fabric-receipt-${Date.now().toString(36)}`;
    await deploy(
      h,
      b.bpmn(
        process,
        b.start('s'),
        b.scriptTask('fee', '=1 + 2', 'fee'),
        b.end('e'),
        ...b.chain('s', 'fee', 'e'),
      ),
    );
    id = await start(h, process);
    await ended(h, id);
  }, 120_000);
  afterAll(() => h?.stop());
  beforeEach((context) => {
    if (network.unavailable) context.skip(network.unavailable);
  });

  it("gives the applicant the Fabric receipt of the application's trail", async () => {
    const response = await h.request('GET', `/applications/${id}/receipt`, {
      token: await tokens.applicant(),
    });
    expect(response.status).toBe(200);
    receipt = (await response.json()) as FabricReceipt;
    expect(receipt).toMatchObject({
      format: 'govflow-receipt/1',
      applicationId: id,
      ledger: { kind: 'fabric' },
    });
    expect(receipt.records.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(receipt.blocks).length).toBeGreaterThan(0);
  });

  it('publishes the channel trust anchors at the well-known route; receipt trust exports the same from the config block', async () => {
    const response = await h.request('GET', '/.well-known/govflow-ledger.json');
    expect(response.status).toBe(200);
    const published = (await response.json()) as FabricTrust;
    expect(published).toMatchObject({
      format: 'govflow-fabric-trust/1',
      channel: 'govflow',
      engineMspId: 'GovflowMSP',
    });
    const trustFile = join(work, 'trust.json');
    const exported = await govflow(['receipt', 'trust', '-o', trustFile], {
      LEDGER: 'fabric',
      FABRIC_CONNECTION: organisationProfile(network.dir as string, 'GovflowMSP'),
    });
    expect(exported.code, exported.err).toBe(0);
    expect(exported.err).toContain(`fingerprint ${published.fingerprint}`);
    expect(published.fingerprint).toBe(receipt.ledger.trust.fingerprint);
  });

  it('govflow receipt verify accepts it offline with the pinned anchors, by file or by fingerprint', async () => {
    const file = join(work, 'receipt.json');
    writeFileSync(file, JSON.stringify(receipt));
    const byFile = await govflow(['receipt', 'verify', file, '--trust', join(work, 'trust.json')]);
    expect(byFile.code, byFile.out + byFile.err).toBe(0);
    expect(byFile.out).toMatch(/ok {3}endorsements/);
    expect(byFile.out).toContain('valid: every check passed');
    const byPrint = await govflow([
      'receipt',
      'verify',
      file,
      '--fingerprint',
      receipt.ledger.trust.fingerprint,
    ]);
    expect(byPrint.code, byPrint.out + byPrint.err).toBe(0);
    const unpinned = await govflow(['receipt', 'verify', file]);
    expect(unpinned.code).not.toBe(0);
    expect(unpinned.err).toMatch(/--trust trust.json .* or --fingerprint/);
  });

  it('govflow receipt verify refuses it once a record is altered, naming the record', async () => {
    const altered = structuredClone(receipt);
    altered.records[0].record.actor = 'user:someone.else';
    const file = join(work, 'altered.json');
    writeFileSync(file, JSON.stringify(altered));
    const result = await govflow(['receipt', 'verify', file, '--trust', join(work, 'trust.json')]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/FAIL records-chained +record seq 1 /);
    expect(result.out).toContain('INVALID');
  });
});
