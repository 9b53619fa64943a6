// The shipped property-registration model (不动产登记) end to end through the API: documents,
// the title rule, the clerk review and its SLA escalation, deed tax and payment in parallel, the
// title transfer and the certificate on the ledger.
import { describe, expect, it } from 'vitest';
import { identities } from '../../activities/handlers/job.ts';
import { certificateNoOf } from '../../activities/handlers/land-registry.ts';
import { personKey } from '../../activities/handlers/public-security.ts';
import { DEV_PEOPLE } from '../../scripts/dev-facts.ts';
import { confirmPayment, propertyRegistrationHarness, submit, transfer } from '../support/flows.ts';
import { tokens, useHarness } from '../support/harness.ts';
import {
  complete,
  expectSoundTrail,
  outcome,
  path,
  publish,
  taskOpen,
  trail,
  verify,
  waitUntil,
} from '../support/scenarios.ts';

const h = useHarness(propertyRegistrationHarness);
const TAIL = ['assessTax', 'paymentConfirmed', 'sumPayments', 'transfer', 'issueCertificate', 'completed'];

describe('property registration (shipped model)', () => {
  it('happy path: documents complete, the rule approves, tax assessed and paid, title transferred, certificate issued', async () => {
    const id = await submit(h, transfer('P-1001', 'Zhang Wei'));
    const { caseNo } = await confirmPayment(h, id);
    expect(caseNo).toMatch(/^PR-P-1001-\d{17}$/);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    const certificateNo = certificateNoOf(id);
    expect(done.variables).toMatchObject({
      caseNo,
      documentsComplete: true,
      missingDocuments: [],
      decision: 'approve',
      decidedBy: 'contract:title-clear',
      deedTax: 37_500,
      deedTaxRate: 0.03,
      paymentRef: `PAY-${caseNo}`,
      titleOwner: 'Chen Jie',
      certificateNo,
    });
    expect(await path(h, id)).toEqual(['submitted', 'assignCaseNo', 'checkDocuments', 'review', ...TAIL]);
    const records = await trail(h, id);
    expect(records.find((r) => r.elementId === 'review')).toMatchObject({
      actor: 'contract:title-clear',
      decision: 'approve',
    });
    expectSoundTrail(records);
    expect(await verify(h, id)).toMatchObject({ valid: true, records: 10 });

    // What the departments put on the ledger, each in its own registry; names only as details.
    expect(await h.ledger.getFact('land-title', 'P-1001')).toMatchObject({
      status: 'registered',
      transferredBy: id,
      detailsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await h.ledger.factDetails('land-title', 'P-1001', identities.landRegistry)).toEqual({
      owner: 'Chen Jie',
      ownerKey: personKey(DEV_PEOPLE.chenJie.idNumber),
      previousOwner: 'Zhang Wei',
      previousOwnerKey: personKey(DEV_PEOPLE.zhangWei.idNumber),
    });
    expect(await h.ledger.getFact('tax-assessment', id)).toEqual({
      applicationId: id,
      caseNo,
      parcel: 'P-1001',
      taxableValue: 1_250_000,
      rate: 0.03,
      deedTax: 37_500,
      currency: 'CNY',
    });
    expect(await h.ledger.getFact('property-certificate', certificateNo)).toEqual({
      certificateNo,
      parcel: 'P-1001',
      applicationId: id,
      caseNo,
      area: 89.5,
      detailsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(
      await h.ledger.factDetails('property-certificate', certificateNo, identities.landRegistry),
    ).toEqual({ owner: 'Chen Jie' });
  });

  it('escalates a review past its SLA to a supervisor, without interrupting the clerk', async () => {
    const id = await submit(h, { ...transfer('P-2002', 'Li Na', 'Chen Jie', 990_000), reviewSla: 'PT1S' });
    await taskOpen(h, id, 'review');
    const supervisor = await taskOpen(h, id, 'superviseReview');
    const both = await waitUntil(h, id, 'review and supervision open', (a) => a.openTasks.length === 2);
    expect(both.openTasks.map((t) => [t.elementId, t.candidateGroups])).toEqual([
      ['review', ['land-registry']],
      ['superviseReview', ['land-registry-supervisors']],
    ]);
    expect(supervisor.id).not.toBe(both.openTasks[0].id);

    await complete(h, id, 'superviseReview', 'acknowledged', undefined, 'land-registry-supervisors');
    await complete(h, id, 'review', 'approve', undefined, 'land-registry');
    await confirmPayment(h, id);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ decision: 'approve', deedTax: 29_700, titleOwner: 'Chen Jie' });
    expect(await path(h, id)).toEqual([
      'submitted',
      'assignCaseNo',
      'checkDocuments',
      'review', // the rule leaves it to a clerk (mortgage)
      'reviewOverdue',
      'superviseReview',
      'escalationHandled',
      'review', // the clerk approves
      ...TAIL,
    ]);
    const records = await trail(h, id);
    expect(records.filter((r) => r.elementId === 'review').map((r) => [r.actor, r.decision])).toEqual([
      ['contract:title-clear', 'manual'],
      ['user:lin.clerk', 'approve'],
    ]);
    expectSoundTrail(records);
  });

  it('asks for missing documents and goes on when the applicant supplies them', async () => {
    const id = await submit(h, transfer('P-4004', 'Zhao Lei', 'Chen Jie', 800_000, ['deed']));
    const waiting = await waitUntil(
      h,
      id,
      'the request for missing documents',
      (a) => ((a.variables?.missingDocuments as unknown[] | undefined) ?? []).length > 0,
    );
    expect(waiting.variables).toMatchObject({
      documentsComplete: false,
      missingDocuments: ['seller-id', 'buyer-id'],
    });
    // The model opens documents-supplied to the applicant, for its own application.
    const { zhaoLei } = DEV_PEOPLE;
    await publish(
      h,
      'documents-supplied',
      waiting.variables!.caseNo as string,
      {
        suppliedDocuments: [
          { type: 'seller-id', ref: 'scan-31.pdf' },
          { type: 'buyer-id', ref: 'scan-32.pdf' },
        ],
      },
      undefined,
      await tokens.applicant('zhao.lei', zhaoLei.idNumber),
    );
    await confirmPayment(h, id);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({
      documentsComplete: true,
      missingDocuments: [],
      documents: [
        'deed',
        { type: 'seller-id', ref: 'scan-31.pdf' },
        { type: 'buyer-id', ref: 'scan-32.pdf' },
      ],
      decision: 'approve',
      titleOwner: 'Chen Jie',
    });
    expect(await path(h, id)).toEqual([
      'submitted',
      'assignCaseNo',
      'checkDocuments',
      'requestDocuments',
      'documentsSupplied',
      'checkDocuments',
      'review',
      ...TAIL,
    ]);
    expectSoundTrail(await trail(h, id));
  });

  it('withdraws the application when the documents do not come by the deadline', async () => {
    const id = await submit(h, {
      ...transfer('P-3003', 'Wang Fang', 'Chen Jie', 500_000, []),
      documentsDeadline: 'PT1S',
    });
    const done = await outcome(h, id);
    expect(done.status).toBe('rejected');
    expect(done.variables).toMatchObject({ missingDocuments: ['deed', 'seller-id', 'buyer-id'] });
    expect(await path(h, id)).toEqual([
      'submitted',
      'assignCaseNo',
      'checkDocuments',
      'requestDocuments',
      'deadlinePassed',
      'withdrawn',
    ]);
    expect((await trail(h, id)).at(-1)).toMatchObject({ elementId: 'withdrawn', decision: 'rejected' });
    expect(await h.ledger.factDetails('land-title', 'P-3003', identities.landRegistry)).toEqual({
      owner: 'Wang Fang',
      ownerKey: personKey(DEV_PEOPLE.wangFang.idNumber),
    });
  });
});
