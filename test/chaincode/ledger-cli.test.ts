// `govflow ledger invoke/query --org`: the operators' peer chaincode invoke/query, run as the real
// command against a temporary data directory, so a refusal can be checked by hand.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import { step } from '../ledger/helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/govflow.js', import.meta.url));
const run = promisify(execFile);

async function govflow(dataDir: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      // Keys of its own, outside the data directory (ledger/keys.ts), as an operator's would be.
      env: { ...process.env, GOVFLOW_DATA_DIR: dataDir, GOVFLOW_KEY_DIR: `${dataDir}-keys` },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('govflow ledger invoke/query', () => {
  it('submits as the organisation given: a department is FORBIDDEN (exit 1), the engine records, another organisation reads', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'govflow-cli-'));
    const input = canonicalJson(step('app-1', 1));

    const refused = await govflow(dataDir, [
      'ledger',
      'invoke',
      '--org',
      'LandRegistryMSP',
      'RecordStep',
      input,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'RecordStep refused (FORBIDDEN): RecordStep: organisation LandRegistryMSP may not record engine steps (only GovflowMSP)',
    );
    expect(refused.stdout).toBe('');

    const recorded = await govflow(dataDir, ['ledger', 'invoke', '--org', 'GovflowMSP', 'RecordStep', input]);
    expect(recorded.code).toBe(0);
    const result = JSON.parse(recorded.stdout);
    expect(result).toMatchObject({ duplicate: false, record: { applicationId: 'app-1', seq: 1 } });

    // The query reads back the data directory's ledger, where the invoke wrote.
    const trail = await govflow(dataDir, ['ledger', 'query', '--org', 'TaxBureauMSP', 'GetTrail', 'app-1']);
    expect(trail.code).toBe(0);
    expect(JSON.parse(trail.stdout)).toEqual([result.record]);
  }, 60_000);

  it('names what is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'govflow-cli-'));
    const noOrg = await govflow(dataDir, ['ledger', 'invoke', 'RecordStep', '{}']);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('ledger invoke needs --org <MSP id>');
  }, 30_000);
});
