// The receipt routes: published keys without a token, checkpoints and proofs, witnesses posting
// co-signatures as their own organisation only, unknown applications 404; and `govflow witness`
// as a subprocess co-signing over HTTP, refusing (exit 2) a ledger inconsistent with what it signed.
import { spawn } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth.ts';
import { startApiServer } from '../../api/server.ts';
import type { SignedCheckpoint } from '../../ledger/anchors/types.ts';
import { keyFingerprint, loadOrCreatePrivateKey, organisationKeyFile } from '../../ledger/keys.ts';
import { witnessStateFile } from '../../ledger/witness.ts';
import { canonicalJson, checkpointBody, verifyEd25519 } from '../../verifier/index.ts';
import { JWT_SECRET, startHarness, tokens } from '../support/harness.ts';
import { freePort } from '../support/ports.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const keyDir = mkdtempSync(join(tmpdir(), 'govflow-keys-'));
process.env.GOVFLOW_KEY_DIR = keyDir;
delete process.env.GOVFLOW_LEDGER_KEY;

let h: Awaited<ReturnType<typeof startHarness>>;
let server: ServerType;
let url: string;
beforeAll(async () => {
  h = await startHarness({ withWorker: false });
  await h.ledger.putFact('land-title', 'P-9', { area: 1 }, { mspId: 'LandRegistryMSP', id: 'lr' });
  const port = await freePort();
  server = await startApiServer(h.services, '127.0.0.1', port);
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server?.close();
  await h?.stop();
});

const department = (mspId: string) =>
  signToken(JWT_SECRET, { sub: `dept-${mspId}`, role: 'department', groups: [mspId] });
const cosign = (checkpoint: SignedCheckpoint, mspId: string) => {
  const key = loadOrCreatePrivateKey(organisationKeyFile(mspId));
  const text = canonicalJson({
    format: 'govflow-witness/1',
    checkpoint: checkpointBody(checkpoint as never),
  });
  return {
    mspId,
    keyFingerprint: keyFingerprint(key),
    signature: sign(null, Buffer.from(text), key).toString('base64'),
  };
};

describe('receipt routes', () => {
  it('publishes the ledger and organisation keys without a token', async () => {
    const response = await h.request('GET', '/.well-known/govflow-ledger.json');
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.format).toBe('govflow-ledger-keys/1');
    expect(doc).toMatchObject(await h.ledger.anchors!.keys());
    expect(doc.organisations.map((o: { mspId: string }) => o.mspId)).toContain('LandRegistryMSP');
  });

  it('serves the checkpoint, consistency and inclusion proofs that the verifier accepts', async () => {
    const checkpoint = (await (await h.request('GET', '/ledger/checkpoint')).json()) as SignedCheckpoint;
    const keys = await h.ledger.anchors!.keys();
    const body = new TextEncoder().encode(canonicalJson(checkpointBody(checkpoint as never)));
    expect(await verifyEd25519(keys.ledger.publicKey, checkpoint.signature, body)).toBe(true);
    const proof = await h.request('GET', `/ledger/consistency?from=1&to=${checkpoint.size}`);
    expect((await proof.json()).proof).toEqual(await h.ledger.anchors!.consistency(1, checkpoint.size));
    expect((await h.request('GET', '/ledger/consistency?from=5&to=1')).status).toBe(422);
    expect((await h.request('GET', '/ledger/inclusion?txId=nope')).status).toBe(404);
  });

  it('unknown applications: receipt and verify are 404', async () => {
    const token = await tokens.auditor();
    expect((await h.request('GET', '/applications/app-0000000000000000/receipt', { token })).status).toBe(
      404,
    );
    expect((await h.request('GET', '/applications/app-0000000000000000/verify', { token })).status).toBe(404);
    expect(
      (
        await h.request('GET', '/applications/app-0000000000000000/receipt', {
          token: await tokens.designer(),
        })
      ).status,
    ).toBe(403);
  });

  it('stores a witness co-signature only from a department token of that organisation, with a valid signature', async () => {
    const checkpoint = await h.ledger.anchors!.latestCheckpoint();
    const path = `/ledger/checkpoints/${checkpoint.size}/witnesses`;
    const witness = cosign(checkpoint, 'LandRegistryMSP');
    expect((await h.request('POST', path, { json: witness })).status).toBe(401);
    expect(
      (await h.request('POST', path, { json: witness, token: await department('TaxBureauMSP') })).status,
    ).toBe(403);
    const forged = {
      ...witness,
      signature: cosign({ ...checkpoint, size: checkpoint.size + 1 }, 'LandRegistryMSP').signature,
    };
    expect(
      (await h.request('POST', path, { json: forged, token: await department('LandRegistryMSP') })).status,
    ).toBe(422);
    expect(
      (
        await h.request('POST', '/ledger/checkpoints/99999/witnesses', {
          json: witness,
          token: await department('LandRegistryMSP'),
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.request('POST', path, { json: witness, token: await department('LandRegistryMSP') })).status,
    ).toBe(204);
    const stored = await h.ledger.anchors!.checkpoint(checkpoint.size);
    expect(stored!.witnesses.map((w) => w.mspId)).toContain('LandRegistryMSP');
  });
});

function witnessCli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'govflow.js'), 'witness', ...args], {
    env: { ...process.env, GOVFLOW_KEY_DIR: keyDir, GOVFLOW_JWT_SECRET: JWT_SECRET, GOVFLOW_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('govflow witness', () => {
  it('co-signs over HTTP, then refuses a ledger inconsistent with what it co-signed', async () => {
    const first = await witnessCli('--org', 'TaxBureauMSP', '--url', url, '--once');
    expect(first.err).toBe('');
    expect(first.out).toMatch(/TaxBureauMSP: co-signed checkpoint of size \d+/);
    expect(first.code).toBe(0);
    const latest = await h.ledger.anchors!.latestCheckpoint();
    expect(latest.witnesses.map((w) => w.mspId)).toContain('TaxBureauMSP');

    // its memory of the last co-signed checkpoint disagrees with the ledger's history
    const file = witnessStateFile('TaxBureauMSP', keyDir);
    const state = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...state, last: { ...state.last, size: 1, root: 'ab'.repeat(32) } }),
    );
    await h.ledger.putFact('land-title', 'P-10', { area: 2 }, { mspId: 'LandRegistryMSP', id: 'lr' });
    const refused = await witnessCli('--org', 'TaxBureauMSP', '--url', url, '--once');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/REFUSED TO CO-SIGN .*not consistent with the checkpoint of size 1/);
    expect((await h.ledger.anchors!.latestCheckpoint()).witnesses.map((w) => w.mspId)).not.toContain(
      'TaxBureauMSP',
    );
  });
});
