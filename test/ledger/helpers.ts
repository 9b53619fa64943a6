// Shared helpers for the ledger and chaincode tests: a fresh embedded ledger in a temp dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../chaincode/src/canonical.ts';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import type { LedgerIdentity, StepInput } from '../../ledger/types.ts';

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
    actor: 'lin.clerk',
    decision: 'done',
    dataHash: sha256Hex(`data ${applicationId} ${n}`),
    ...overrides,
  };
}
