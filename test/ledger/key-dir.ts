// Keys of one test file only. Kept apart from helpers.ts, which child processes (child-writer.ts)
// import outside vitest.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll } from 'vitest';

/**
 * Gives this test file keys of its own, outside every data directory (child processes inherit
 * the environment), instead of the user's ~/.config/govflow.
 */
export function useTempKeyDir(): void {
  beforeAll(() => {
    process.env.GOVFLOW_KEY_DIR = mkdtempSync(join(tmpdir(), 'govflow-keys-'));
    delete process.env.GOVFLOW_LEDGER_KEY;
  });
}
