// SIGKILL the worker mid-application, start it again: the application completes and its trail
// has exactly one record per step.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { identities } from '../../activities/handlers/job.ts';
import { confirmPayment, propertyRegistrationHarness, submit, transfer } from '../support/flows.ts';
import { tokens, until, useHarness } from '../support/harness.ts';
import { govflow, type Proc, stop } from '../support/processes.ts';
import { expectSoundTrail, outcome, trail, verify, waitUntil } from '../support/scenarios.ts';

// Workflows run only in the child workers.
const h = useHarness(() => propertyRegistrationHarness({ withWorker: false }));
const running: Proc[] = [];
const worker = (extraEnv: Record<string, string> = {}) => {
  const proc = govflow(['worker'], {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    GOVFLOW_DATA_DIR: h.dataDir,
    GOVFLOW_TASK_QUEUE: h.taskQueue,
    ...extraEnv,
  });
  running.push(proc);
  return proc;
};

// Registered after useHarness's, so it runs before the harness stops.
afterAll(async () => {
  for (const proc of running) await stop(proc);
});

describe('worker crash', () => {
  it('a worker killed right after the ledger committed a step does not make it write twice', async () => {
    // This worker SIGKILLs itself after the ledger commits the title transfer step, before
    // Temporal learns the activity finished: the retry must find the record, not write another.
    const doomed = worker({ GOVFLOW_CRASH_AFTER_RECORD: 'transfer' });
    await doomed.waitForOutput(/worker running/);
    const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
    await confirmPayment(h, id);
    expect(await doomed.exited).toMatchObject({ signal: 'SIGKILL' });
    const upToTransfer = [
      'submitted',
      'assignCaseNo',
      'checkDocuments',
      'review',
      'assessTax',
      'paymentConfirmed',
      'sumPayments',
      'transfer',
    ];
    expect((await trail(h, id)).map((r) => r.elementId)).toEqual(upToTransfer);

    worker(); // a healthy one takes over
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    const records = await trail(h, id);
    expect(records.map((r) => r.elementId)).toEqual([...upToTransfer, 'issueCertificate', 'completed']);
    expect(await h.ledger.getFact('land-title', 'P-1001')).toMatchObject({ transferredBy: id });
    expect(await h.ledger.factDetails('land-title', 'P-1001', identities.landRegistry)).toMatchObject({
      owner: 'Chen Jie',
    });
    expectSoundTrail(records);
    expect((await verify(h, id)).valid).toBe(true);
  });

  it('a worker killed while a task waits for a clerk loses nothing', async () => {
    const first = worker();
    await first.waitForOutput(/worker running/);
    const id = await submit(h, transfer('P-2002', 'Li Na'));
    const waiting = await waitUntil(h, id, 'an open review task', (a) => a.openTasks.length === 1);
    await stop(first, 'SIGKILL');

    worker();
    const clerk = await tokens.clerk();
    const res = await until(
      'the new worker to take the completion',
      async () => {
        const r = await h.request('POST', `/tasks/${waiting.openTasks[0].id}/complete`, {
          token: clerk,
          json: { decision: 'approve' },
        });
        return r.status === 503 ? undefined : r;
      },
      60_000,
    );
    expect(res.status).toBe(200);
    await confirmPayment(h, id, 60_000);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    const records = await trail(h, id);
    expect(records.map((r) => [r.elementId, r.decision])).toEqual([
      ['submitted', 'submitted'],
      ['assignCaseNo', 'completed'],
      ['checkDocuments', 'completed'],
      ['review', 'manual'],
      ['review', 'approve'],
      ['assessTax', 'completed'],
      ['paymentConfirmed', 'triggered'],
      ['sumPayments', 'completed'],
      ['transfer', 'completed'],
      ['issueCertificate', 'completed'],
      ['completed', 'completed'],
    ]);
    expectSoundTrail(records);
  });
});
