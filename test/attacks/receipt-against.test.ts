// `receipt verify --against URL` talks to a server the verifier does not trust: an answer that is
// not JSON is a clear refusal naming the URL, not a crash (the server here is a stand-in that
// answers HTML to everything, as a captive portal or a misconfigured proxy would).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLedger, makeKeys, pinnedKeys, receiptOf } from '../verifier/ledger-fixture.ts';

const BIN = fileURLToPath(new URL('../../bin/govflow.js', import.meta.url));
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('<html>sign in first</html>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function govflow(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('receipt verify --against a server that does not speak JSON', () => {
  it('exits 1 naming the URL and what came back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govflow-against-'));
    const keys = makeKeys();
    writeFileSync(join(dir, 'receipt.json'), JSON.stringify(receiptOf(keys, buildLedger(keys))));
    writeFileSync(join(dir, 'pinned.json'), JSON.stringify(pinnedKeys(keys)));
    const run = await govflow([
      'receipt',
      'verify',
      join(dir, 'receipt.json'),
      '--keys',
      join(dir, 'pinned.json'),
      '--against',
      url,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `govflow: ${url}/ledger/checkpoint: the answer is not JSON (<html>sign in first`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);
});
