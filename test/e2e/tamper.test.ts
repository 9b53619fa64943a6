// Changing one byte of a stored ledger record makes verify report it, by name; the API keeps serving.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmPayment, propertyRegistrationHarness, submit, transfer } from '../support/flows.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { trail, verify, view, waitUntil } from '../support/scenarios.ts';

const h = useHarness(propertyRegistrationHarness);

/** The ledger's block files (not its checkpoints or witness signatures). */
function blockFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f === 'blocks.jsonl')
    .map((f) => join(dir, f));
}

describe('tampering', () => {
  it('one changed byte in a stored record is reported, naming the record', async () => {
    const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
    await confirmPayment(h, id);
    await waitUntil(h, id, 'completion', (a) => a.status === 'completed');
    expect((await verify(h, id)).valid).toBe(true);
    const approved = (await trail(h, id)).find((r) => r.decision === 'approve')!;

    const [file] = blockFiles(join(h.dataDir, 'ledger'));
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex(
      (l) => l.includes(approved.txId) && l.includes(id) && l.includes('approve'),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const line = lines[index];
    const at = line.indexOf('approve');
    lines[index] = `${line.slice(0, at)}apprave${line.slice(at + 7)}`; // one byte: o -> a
    writeFileSync(file, lines.join('\n'));

    const report = await verify(h, id);
    expect(report.valid).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    const text = report.problems.map((p) => JSON.stringify(p)).join('\n');
    expect(text).toContain(approved.txId.slice(0, 8));
    expect(text).toContain(id);

    // The API keeps serving.
    expect((await h.request('GET', '/healthz')).status).toBe(200);
    expect((await view(h, id)).status).toBe('completed');
    expect(
      (await h.request('GET', `/applications/${id}/trail`, { token: await tokens.auditor() })).status,
    ).toBe(200);
  });
});
