// Department facts are written by a handler running for that department: its jobs go to its own
// task queue, served by its worker under its identity; the engine's worker cannot run them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ENGINE_IDENTITY } from '../../activities/ledger-steps.ts';
import { engineHandlers, handlers, serviceTaskActivities } from '../../activities/service-tasks.ts';
import { seedDevFacts } from '../../scripts/dev-facts.ts';
import { createDepartmentWorkers } from '../../worker.ts';
import { departmentOfTaskType, departmentTaskQueue } from '../../workflows/department-queues.ts';
import { confirmPayment, deployPropertyRegistration, submit, transfer } from '../support/flows.ts';
import { startHarness } from '../support/harness.ts';
import { outcome, path, waitUntil } from '../support/scenarios.ts';

/** The creator of the transaction `txId`, as the block on disk records it. */
function creatorOf(dataDir: string, txId: string): { mspId: string } | undefined {
  const find = (value: unknown): { mspId: string } | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    if (record.txId === txId && typeof record.creator === 'object')
      return record.creator as { mspId: string };
    for (const child of Object.values(record)) {
      const found = find(child);
      if (found) return found;
    }
    return undefined;
  };
  const lines = readFileSync(join(dataDir, 'ledger', 'blocks.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  for (const line of lines) {
    const found = find(JSON.parse(line));
    if (found) return found;
  }
  return undefined;
}

describe('department task queues', () => {
  it('maps task types to their department and its queue', () => {
    expect(departmentOfTaskType('land-registry.transfer-title')).toBe('LandRegistryMSP');
    expect(departmentOfTaskType('tax-bureau.assess-deed-tax')).toBe('TaxBureauMSP');
    expect(departmentOfTaskType('public-security.pseudonymise-identity')).toBeUndefined();
    expect(departmentTaskQueue('govflow', 'LandRegistryMSP')).toBe('govflow-dept-LandRegistryMSP');
  });

  it("a land-registry handler's fact is in a block created by LandRegistryMSP", async () => {
    const h = await startHarness();
    try {
      await seedDevFacts(h.ledger);
      await deployPropertyRegistration(h);
      const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
      await confirmPayment(h, id);
      const done = await outcome(h, id);
      expect(done.status).toBe('completed');
      const txId = done.variables?.titleTransferTx as string;
      expect(txId).toMatch(/^[0-9a-f]{64}$/);
      expect(creatorOf(h.dataDir, txId)).toMatchObject({ mspId: 'LandRegistryMSP' });
      const history = await h.ledger.factHistory('land-title', 'P-1001');
      expect(history.map((version) => version.txId)).toContain(txId);
    } finally {
      await h.stop();
    }
  });

  it("the engine's worker alone cannot complete a department's job; the department's worker does", async () => {
    const h = await startHarness({ withDepartments: false });
    try {
      await seedDevFacts(h.ledger);
      await deployPropertyRegistration(h);
      const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
      await waitUntil(h, id, 'a case number', (a) => typeof a.variables?.caseNo === 'string');
      await new Promise((r) => setTimeout(r, 3000));
      // The document check is the land registry's: it waits on its queue, nobody serves it.
      expect(await path(h, id)).toEqual(['submitted', 'assignCaseNo']);

      const departments = await createDepartmentWorkers({
        temporalAddress: inject('temporalAddress'),
        namespace: 'default',
        taskQueue: h.taskQueue,
        ledger: h.ledger,
      });
      const running = departments.map((worker) => worker.run());
      try {
        await waitUntil(h, id, 'the documents checked', (a) => a.variables?.documentsComplete === true);
        expect(await path(h, id)).toContain('checkDocuments');
      } finally {
        for (const worker of departments) worker.shutdown();
        await Promise.all(running);
      }
    } finally {
      await h.stop();
    }
  });

  it("the engine's job activity has no department handler, and the contract refuses one run as the engine", async () => {
    const h = await startHarness({ withWorker: false, withDepartments: false });
    try {
      await seedDevFacts(h.ledger);
      const job = {
        taskType: 'land-registry.transfer-title',
        applicationId: 'app-engine-1',
        elementId: 'transfer',
        elementInstanceId: 'transfer#1',
        variables: { parcel: 'P-1001', buyer: 'Mallory', buyerIdNumber: '1', applicant: { personKey: null } },
      };
      const engine = serviceTaskActivities(h.ledger, { ...engineHandlers }, ENGINE_IDENTITY);
      await expect(engine.runServiceTask(job)).rejects.toMatchObject({ type: 'UnknownTaskType' });
      // Even handed the handler, the engine's identity may not write the land registry's facts.
      const tax = {
        ...job,
        taskType: 'tax-bureau.assess-deed-tax',
        variables: { parcel: 'P-1001', price: 1 },
      };
      const asEngine = serviceTaskActivities(h.ledger, { ...handlers }, ENGINE_IDENTITY);
      await expect(asEngine.runServiceTask(tax)).rejects.toThrow(
        /GovflowMSP|TaxBureauMSP|forbidden|may not/i,
      );
      expect(await h.ledger.getFact('tax-assessment', 'app-engine-1')).toBeNull();
    } finally {
      await h.stop();
    }
  });
});
