// Start data may not pre-set a variable the process itself produces. The deed tax is paid in full
// when `totalPaid` (the sum of confirmed payments, kept by the sumPayments script) reaches the
// assessed tax: an owner who submits `totalPaid` at the start would have the transfer go through
// on a token payment.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_PEOPLE, seedDevFacts } from '../../scripts/dev-facts.ts';
import { deployPropertyRegistration, transfer } from '../support/flows.ts';
import { tokens, useHarness } from '../support/harness.ts';

const h = useHarness();
const { zhangWei } = DEV_PEOPLE;

beforeAll(async () => {
  await seedDevFacts(h.ledger);
  await deployPropertyRegistration(h);
});

describe('start data setting process variables', () => {
  it.each([
    ['totalPaid', 1e9],
    ['amountPaid', 1e9],
    ['caseNo', 'PR-P-1001-1'],
  ])('%s at the start is 422, naming it', async (key, value) => {
    const res = await h.request('POST', '/applications', {
      token: await tokens.applicant('zhang.wei', zhangWei.idNumber),
      json: {
        processKey: 'property-registration',
        data: { ...transfer('P-1001', zhangWei.name), [key]: value },
      },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual([key]);
  });
});
