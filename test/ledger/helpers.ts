// Shared helpers for the ledger and chaincode tests: a fresh embedded ledger in a temp dir.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import type { ApprovalRule } from '../../definitions/model.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import type { Ledger, LedgerIdentity, StepInput } from '../../ledger/types.ts';

export const ENGINE: LedgerIdentity = { mspId: 'GovflowMSP', id: 'govflow-engine' };
export const LAND_REGISTRY: LedgerIdentity = { mspId: 'LandRegistryMSP', id: 'land-registry' };

export function tempLedgerDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'govflow-ledger-test-')), 'ledger');
}

export async function openTemp(): Promise<{ dir: string; ledger: EmbeddedLedger }> {
  const dir = tempLedgerDir();
  return { dir, ledger: await EmbeddedLedger.open(dir) };
}

export function step(applicationId: string, n: number, overrides: Partial<StepInput> = {}): StepInput {
  return {
    applicationId,
    elementId: `task-${n}`,
    elementInstanceId: `task-${n}#${n}`,
    actor: 'user:lin.clerk',
    decision: 'done',
    dataHash: sha256Hex(`data ${applicationId} ${n}`),
    ...overrides,
  };
}

/**
 * Registers version 1 of process `key` as deployment does, its steps decided by `rules` and
 * `decisionCalls` (by element id); returns what a step call names the definition by.
 */
export async function registerProcess(
  ledger: Ledger,
  key: string,
  deciding: { rules?: Record<string, ApprovalRule>; decisionCalls?: Record<string, string> },
) {
  await ledger.registerDefinition(
    {
      key,
      version: 1,
      hash: sha256Hex(`xml of ${key}`),
      deployer: 'dana',
      modelHash: sha256Hex(`model of ${key}`),
      rules: deciding.rules ?? {},
      decisionCalls: deciding.decisionCalls ?? {},
    },
    ENGINE,
  );
  return { definitionKey: key, definitionVersion: 1 };
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHILD_WRITER = fileURLToPath(new URL('./child-writer.ts', import.meta.url));

/**
 * Another process recording `steps` steps of `applicationId` into the ledger in `dir`
 * (child-writer.ts): it prints "open" once the ledger is open. `output()` is what it printed.
 */
export function spawnChildWriter(dir: string, applicationId: string, steps: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD_WRITER, dir, applicationId, String(steps)],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const opened = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => output.includes('open') && resolve());
    child.on('exit', () => reject(new Error(`child exited early: ${output}`)));
  });
  return { exited, opened, output: () => output };
}
