// The title theft, step by step as an attacker would try it, and what stops each step: the rule
// compares person keys (not typed names), only the tax bureau confirms payments, and the amount
// paid must reach the assessed deed tax.
import { beforeAll, describe, expect, it } from 'vitest';
import { identities } from '../../activities/handlers/job.ts';
import { personKey } from '../../activities/handlers/public-security.ts';
import { DEV_PEOPLE, seedDevFacts } from '../../scripts/dev-facts.ts';
import { deployPropertyRegistration, payDeedTax, transfer } from '../support/flows.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { outcome, path, start, view, waitUntil } from '../support/scenarios.ts';

const h = useHarness();
const { zhangWei, chenJie, liNa } = DEV_PEOPLE;
/** Someone who owns nothing, with a token of their own. */
const mallory = { sub: 'mallory', idNumber: '110101199901010011' };

beforeAll(async () => {
  await seedDevFacts(h.ledger);
  await deployPropertyRegistration(h);
});

const ownerOf = async (parcel: string) =>
  (await h.ledger.factDetails('land-title', parcel, identities.landRegistry)) as {
    owner: string;
    ownerKey?: string;
  };

describe('the title theft', () => {
  it('an applicant typing the owner as seller and itself as buyer for 0.01 is not approved, cannot confirm the payment, and takes nothing', async () => {
    const before = await h.ledger.getFact('land-title', 'P-1001');
    // 1. Apply for Zhang Wei's parcel, naming him as seller and the attacker as buyer.
    const id = await start(
      h,
      'property-registration',
      { ...transfer('P-1001', zhangWei.name, 'Mallory', 0.01), buyerIdNumber: mallory.idNumber },
      mallory.sub,
      mallory.idNumber,
    );
    const done = await outcome(h, id);
    // 2. The rule compares the title owner's person key with the applicant's: a typed name decides nothing.
    expect(done.status).toBe('rejected');
    expect(done.variables).toMatchObject({ decision: 'reject', decidedBy: 'contract:title-clear' });
    expect(await path(h, id)).not.toContain('transfer');
    // 3. The reasons the applicant reads reveal no private detail: neither the owner's name nor key.
    const mine = await view(h, id, await tokens.applicant(mallory.sub, mallory.idNumber));
    const reasons = JSON.stringify(mine.variables?.decisionReasons);
    expect(reasons).not.toContain(zhangWei.name);
    expect(reasons).not.toContain(personKey(zhangWei.idNumber));
    // 4. Nothing moved.
    expect(await h.ledger.getFact('land-title', 'P-1001')).toEqual(before);
    expect((await ownerOf('P-1001')).owner).toBe(zhangWei.name);
  });

  it('an applicant cannot set applicant.personKey itself', async () => {
    const res = await h.request('POST', '/applications', {
      token: await tokens.applicant(mallory.sub, mallory.idNumber),
      json: {
        processKey: 'property-registration',
        data: {
          ...transfer('P-1001', zhangWei.name),
          applicant: { personKey: personKey(zhangWei.idNumber) },
        },
      },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['applicant']);
  });

  it("the applicant's own payment-confirmed is 403, even for its own application", async () => {
    // The owner herself sells (so the rule approves), then tries to confirm her own payment.
    const token = await tokens.applicant('li.na', liNa.idNumber);
    const id = await start(h, 'property-registration', transfer('P-2002', liNa.name), 'li.na', liNa.idNumber);
    const waiting = await waitUntil(h, id, 'a case number', (a) => typeof a.variables?.caseNo === 'string');
    const caseNo = waiting.variables!.caseNo as string;
    const res = await h.request('POST', '/messages', {
      token,
      json: { name: 'payment-confirmed', correlationKey: caseNo, variables: { amountPaid: 1e9 } },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'message "payment-confirmed" may be published only by department:TaxBureauMSP',
    );
    // Nor may a clerk, or another department.
    for (const other of [await tokens.clerk(['land-registry']), await tokens.department('LandRegistryMSP')]) {
      const r = await h.request('POST', '/messages', {
        token: other,
        json: { name: 'payment-confirmed', correlationKey: caseNo, variables: { amountPaid: 1e9 } },
      });
      expect(r.status).toBe(403);
    }
    expect((await view(h, id)).variables?.amountPaid).toBeUndefined();
  });

  it("an applicant's message reaches only its own applications", async () => {
    const victim = await start(
      h,
      'property-registration',
      transfer('P-4004', 'Zhao Lei', chenJie.name, 800_000, ['deed']),
      'zhao.lei',
      DEV_PEOPLE.zhaoLei.idNumber,
    );
    const waiting = await waitUntil(
      h,
      victim,
      'documents requested',
      (a) =>
        Array.isArray(a.variables?.missingDocuments) &&
        (a.variables!.missingDocuments as unknown[]).length > 0,
    );
    const res = await h.request('POST', '/messages', {
      token: await tokens.applicant(mallory.sub, mallory.idNumber),
      json: {
        name: 'documents-supplied',
        correlationKey: waiting.variables!.caseNo,
        variables: { suppliedDocuments: ['seller-id', 'buyer-id'] },
      },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/only to an application it submitted/);
  });
});

describe('the deed tax', () => {
  it('a short payment does not transfer the title; the balance does', async () => {
    const owner = DEV_PEOPLE.zhangWei;
    // A fresh parcel of Zhang Wei's, so this test does not depend on the theft test's parcel.
    await h.ledger.putFact(
      'land-title',
      'P-7007',
      { status: 'registered', area: 50 },
      { mspId: 'LandRegistryMSP', id: 'test' },
      { owner: owner.name, ownerKey: personKey(owner.idNumber) },
    );
    const id = await start(
      h,
      'property-registration',
      transfer('P-7007', owner.name, chenJie.name, 100_000),
      'zhang.wei',
      owner.idNumber,
    );
    const assessed = await waitUntil(
      h,
      id,
      'the deed tax assessed',
      (a) => typeof a.variables?.deedTax === 'number',
    );
    const { caseNo, deedTax } = assessed.variables as { caseNo: string; deedTax: number };
    expect(deedTax).toBe(3000);
    await payDeedTax(h, caseNo, 0.01);
    const short = await waitUntil(
      h,
      id,
      'the short payment added up',
      (a) => a.variables?.totalPaid === 0.01,
    );
    expect(short.status).toBe('running');
    expect(await path(h, id)).not.toContain('transfer');
    expect((await ownerOf('P-7007')).owner).toBe(owner.name);

    await payDeedTax(h, caseNo, 2999.99);
    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ totalPaid: 3000, titleOwner: chenJie.name });
    expect(await ownerOf('P-7007')).toMatchObject({
      owner: chenJie.name,
      ownerKey: personKey(chenJie.idNumber),
    });
  });
});
