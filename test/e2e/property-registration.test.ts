// The shipped property-registration model end to end: API -> Temporal -> ledger, three ways.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identities } from '../../activities/handlers/job.ts';
import { seedDevFacts } from '../../scripts/dev-facts.ts';
import { confirmPayment, deployPropertyRegistration, submit, transfer } from '../support/flows.ts';
import { tokens, until, useHarness } from '../support/harness.ts';
import { expectSoundTrail, outcome, trail, verify, view, waitUntil } from '../support/scenarios.ts';

const h = useHarness();
beforeAll(() => seedDevFacts(h.ledger));

describe('property registration', () => {
  it('deploys, and deploying the same XML again returns the same version', async () => {
    const first = await deployPropertyRegistration(h);
    expect(first).toMatchObject({ key: 'property-registration', version: 1 });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const again = await deployPropertyRegistration(h);
    expect(again).toMatchObject({ version: 1, hash: first.hash });
    const list = await h.request('GET', '/definitions', { token: await tokens.clerk() });
    expect(await list.json()).toEqual([
      expect.objectContaining({ key: 'property-registration', version: 1 }),
    ]);
  });

  it('approves automatically when the title is clear, and transfers the title on the ledger', async () => {
    const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
    await confirmPayment(h, id);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ decision: 'approve', decidedBy: 'contract:title-clear' });

    const records = await trail(h, id);
    expect(records.map((r) => [r.elementId, r.decision])).toEqual([
      ['submitted', 'submitted'],
      ['assignCaseNo', 'completed'],
      ['checkDocuments', 'completed'],
      ['review', 'approve'],
      ['assessTax', 'completed'],
      ['paymentConfirmed', 'triggered'],
      ['sumPayments', 'completed'],
      ['transfer', 'completed'],
      ['issueCertificate', 'completed'],
      ['completed', 'completed'],
    ]);
    expect(records[3].actor).toBe('contract:title-clear');
    expectSoundTrail(records);
    expect(await verify(h, id)).toMatchObject({ valid: true, records: 10, problems: [] });
    expect(await h.ledger.getFact('land-title', 'P-1001')).toMatchObject({ transferredBy: id });
    expect(await h.ledger.factDetails('land-title', 'P-1001', identities.landRegistry)).toMatchObject({
      owner: 'Chen Jie',
    });
    // Owners' names are private data: not on the blocks every organisation of the channel holds.
    const blocks = readFileSync(join(h.dataDir, 'ledger', 'blocks.jsonl'), 'utf8');
    for (const name of ['Zhang Wei', 'Chen Jie', 'Li Na', 'Wang Fang']) expect(blocks).not.toContain(name);
  });

  it('leaves a mortgaged parcel to a land-registry clerk, whose decision is recorded', async () => {
    const id = await submit(h, transfer('P-2002', 'Li Na'));
    const waiting = await waitUntil(h, id, 'an open review task', (a) => a.openTasks.length === 1);
    const task = waiting.openTasks[0];
    expect(task).toMatchObject({ elementId: 'review', candidateGroups: ['land-registry'] });
    expect(task.ruleReasons?.length).toBeGreaterThan(0);

    // The inbox is one visibility query; visibility lags the workflow by a moment.
    const clerk = await tokens.clerk();
    const inbox = await until('the task in the inbox', async () => {
      const res = await h.request('GET', '/tasks?group=land-registry', { token: clerk });
      const tasks = (await res.json()) as { id: string }[];
      return tasks.some((t) => t.id === task.id) ? tasks : undefined;
    });
    expect(inbox.find((t) => t.id === task.id)).toMatchObject({ applicationId: id, elementId: 'review' });

    const complete = async (token: string, body: unknown) =>
      h.request('POST', `/tasks/${task.id}/complete`, { token, json: body });
    const otherGroup = await complete(await tokens.clerk(['tax-bureau'], 'tom.tax'), { decision: 'approve' });
    expect(otherGroup.status).toBe(403);
    const badDecision = await complete(clerk, { decision: 'maybe' });
    expect(badDecision.status).toBe(422);
    expect(await badDecision.json()).toMatchObject({
      errors: [expect.objectContaining({ field: 'decision' })],
    });
    expect((await trail(h, id)).length).toBe(4); // refused completions wrote nothing

    const ok = await complete(clerk, { decision: 'approve', comment: 'mortgage holder consented' });
    expect(ok.status).toBe(200);
    const result = (await ok.json()) as { txId: string; decision: string };
    expect(result.decision).toBe('approve');
    expect(result.txId).toMatch(/^[0-9a-f]{64}$/);

    const again = await complete(clerk, { decision: 'reject' });
    expect([404, 409]).toContain(again.status);

    await confirmPayment(h, id);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    const records = await trail(h, id);
    expect(records.map((r) => [r.elementId, r.actor, r.decision])).toEqual([
      ['submitted', 'user:li.na', 'submitted'],
      ['assignCaseNo', 'engine', 'completed'],
      ['checkDocuments', 'engine', 'completed'],
      ['review', 'contract:title-clear', 'manual'],
      ['review', 'user:lin.clerk', 'approve'],
      ['assessTax', 'engine', 'completed'],
      ['paymentConfirmed', 'message:payment-confirmed', 'triggered'],
      ['sumPayments', 'engine', 'completed'],
      ['transfer', 'engine', 'completed'],
      ['issueCertificate', 'engine', 'completed'],
      ['completed', 'engine', 'completed'],
    ]);
    expectSoundTrail(records);
    expect((await verify(h, id)).valid).toBe(true);
  });

  it('rejects automatically when the title is seized, ending as rejected', async () => {
    const id = await submit(h, transfer('P-3003', 'Wang Fang'));
    const done = await outcome(h, id);
    expect(done.status).toBe('rejected');
    expect((await trail(h, id)).map((r) => [r.elementId, r.decision])).toEqual([
      ['submitted', 'submitted'],
      ['assignCaseNo', 'completed'],
      ['checkDocuments', 'completed'],
      ['review', 'reject'],
      ['rejected', 'rejected'],
    ]);
  });

  it('refuses a start form with missing or mistyped fields, naming them, and starts nothing', async () => {
    const res = await h.request('POST', '/applications', {
      token: await tokens.applicant(),
      json: { processKey: 'property-registration', data: { parcel: 'P-1001', seller: 'x', price: 'lots' } },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['buyer', 'buyerIdNumber', 'price']);
  });

  it('shows an application only to its applicant, clerks and auditors', async () => {
    const id = await submit(h, transfer('P-404', 'Nobody'), 'applicant.a');
    expect((await view(h, id, await tokens.applicant('applicant.a'))).id).toBe(id);
    const other = await h.request('GET', `/applications/${id}`, {
      token: await tokens.applicant('applicant.b'),
    });
    expect(other.status).toBe(404);
    expect((await view(h, id, await tokens.clerk())).id).toBe(id);
  });
});
