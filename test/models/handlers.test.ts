// The department handlers against a real embedded ledger: each one run twice (as Temporal retries
// it after a crash) writes its fact once and answers the same; facts are written by the owning
// department; ID numbers never reach the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identities, type ServiceTaskJob } from '../../activities/handlers/job.ts';
import { certificateNoOf } from '../../activities/handlers/land-registry.ts';
import { companyNameKey, licenceNoOf } from '../../activities/handlers/market-regulation.ts';
import { personKey } from '../../activities/handlers/public-security.ts';
import { ENGINE_IDENTITY } from '../../activities/ledger-steps.ts';
import {
  departmentActivities,
  engineHandlers,
  handlers,
  serviceTaskActivities,
} from '../../activities/service-tasks.ts';
import type { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { DEV_PEOPLE, seedDevFacts, TAKEN_COMPANY_NAME } from '../../scripts/dev-facts.ts';
import { departmentOfTaskType } from '../../workflows/department-queues.ts';
import { openTemp } from '../ledger/helpers.ts';

let ledger: EmbeddedLedger;
beforeAll(async () => {
  ({ ledger } = await openTemp());
  await seedDevFacts(ledger);
});
afterAll(() => ledger?.close());

const job = (
  taskType: string,
  variables: Record<string, unknown>,
  applicationId = 'app-handlers-1',
  headers: Record<string, string> = {},
): ServiceTaskJob => ({
  taskType,
  applicationId,
  elementId: taskType.split('.')[1],
  elementInstanceId: `${taskType}#1`,
  variables,
  headers,
});
/** Runs a job as the worker that serves it would: its department's, else the engine's. */
const run = (j: ServiceTaskJob) => {
  const department = departmentOfTaskType(j.taskType);
  return department
    ? departmentActivities(ledger, department).runServiceTask(j)
    : serviceTaskActivities(ledger, engineHandlers, ENGINE_IDENTITY).runServiceTask(j);
};
const twice = async (j: ServiceTaskJob) => [await run(j), await run(j)];
const versions = async (registry: string, key: string) => (await ledger.factHistory(registry, key)).length;
const sale = {
  parcel: 'P-1001',
  seller: 'Zhang Wei',
  buyer: 'Chen Jie',
  buyerIdNumber: DEV_PEOPLE.chenJie.idNumber,
  price: 1_250_000,
  caseNo: 'PR-1',
  applicant: { id: 'zhang.wei', personKey: personKey(DEV_PEOPLE.zhangWei.idNumber) },
};

describe('department handlers', () => {
  it('registers every shipped handler type', () => {
    expect(Object.keys(handlers).sort()).toEqual([
      'land-registry.check-documents',
      'land-registry.issue-certificate',
      'land-registry.transfer-title',
      'market-regulation.check-company-name',
      'market-regulation.issue-licence',
      'public-security.pseudonymise-identity',
      'tax-bureau.assess-deed-tax',
    ]);
  });

  it('land-registry.check-documents lists what is missing and merges supplied documents', async () => {
    expect(await run(job('land-registry.check-documents', { documents: ['deed'] }))).toEqual({
      documents: ['deed'],
      suppliedDocuments: null,
      documentsComplete: false,
      missingDocuments: ['seller-id', 'buyer-id'],
    });
    const answered = job('land-registry.check-documents', {
      documents: ['deed'],
      suppliedDocuments: [{ type: 'seller-id', ref: 's.pdf' }, 'buyer-id', 'deed'],
    });
    expect(await run(answered)).toMatchObject({
      documents: ['deed', { type: 'seller-id', ref: 's.pdf' }, 'buyer-id'],
      documentsComplete: true,
      missingDocuments: [],
    });
    const custom = job('land-registry.check-documents', { documents: ['deed'] }, 'a', { required: 'deed' });
    expect(await run(custom)).toMatchObject({ documentsComplete: true });
    await expect(run(job('land-registry.check-documents', { documents: [42] }))).rejects.toThrow(/type/);
  });

  it('tax-bureau.assess-deed-tax records one assessment however often it runs', async () => {
    const [first, again] = await twice(
      job('tax-bureau.assess-deed-tax', sale, 'app-handlers-1', { rate: '0.03' }),
    );
    expect(first).toEqual({ deedTax: 37_500, deedTaxRate: 0.03 });
    expect(again).toEqual(first);
    expect(await versions('tax-assessment', 'app-handlers-1')).toBe(1);
    await expect(run(job('tax-bureau.assess-deed-tax', { ...sale, price: -1 }))).rejects.toThrow(/price/);
  });

  it('land-registry transfer and certificate: one transfer, one certificate, same number on retry', async () => {
    await expect(run(job('land-registry.issue-certificate', sale))).rejects.toThrow(/not been transferred/);
    // The registry's own check: an applicant who is not the owner moves nothing, whatever it typed.
    const thief = { ...sale, applicant: { id: 'mallory', personKey: personKey('110101199901010011') } };
    await expect(run(job('land-registry.transfer-title', thief, 'app-thief'))).rejects.toThrow(
      'the applicant is not the registered owner of parcel P-1001',
    );
    expect(await versions('land-title', 'P-1001')).toBe(1);
    const [transferred, retried] = await twice(job('land-registry.transfer-title', sale));
    expect(transferred).toMatchObject({ titleOwner: 'Chen Jie' });
    expect(retried).toEqual({ titleOwner: 'Chen Jie' });
    expect(await versions('land-title', 'P-1001')).toBe(2); // the seed, then one transfer
    const [issued, reissued] = await twice(job('land-registry.issue-certificate', sale));
    const certificateNo = certificateNoOf('app-handlers-1');
    expect(certificateNo).toMatch(/^PC-[0-9A-F]{12}$/);
    expect(issued).toEqual({ certificateNo });
    expect(reissued).toEqual({ certificateNo });
    expect(await versions('property-certificate', certificateNo)).toBe(1);
    expect(await ledger.getFact('property-certificate', certificateNo)).toMatchObject({
      parcel: 'P-1001',
      applicationId: 'app-handlers-1',
    });
    expect(await ledger.factDetails('property-certificate', certificateNo, identities.landRegistry)).toEqual({
      owner: 'Chen Jie',
    });
  });

  it('market-regulation: a taken name is found whatever its form; the licence registers a name once', async () => {
    const taken = await run(
      job('market-regulation.check-company-name', { companyName: ` ${TAKEN_COMPANY_NAME} ` }),
    );
    expect(taken).toEqual({ companyNameKey: companyNameKey(TAKEN_COMPANY_NAME), nameAvailable: false });
    const company = { companyName: 'Example  Widgets Ltd' };
    expect(await run(job('market-regulation.check-company-name', company))).toEqual({
      companyNameKey: 'example widgets ltd',
      nameAvailable: true,
    });
    const [licence, again] = await twice(job('market-regulation.issue-licence', company, 'app-company-1'));
    expect(licence).toEqual({ licenceNo: licenceNoOf('app-company-1') });
    expect(again).toEqual(licence);
    expect(await versions('company-name', 'example widgets ltd')).toBe(1);
    // Another application that reaches the licence with the same name gets a BPMN error.
    await expect(
      run(job('market-regulation.issue-licence', { companyName: 'EXAMPLE WIDGETS LTD' }, 'app-company-2')),
    ).rejects.toMatchObject({ type: 'BpmnError', details: ['NAME_TAKEN', { nameAvailable: false }] });
  });

  it('public-security.pseudonymise-identity gives a salted hash, the same every time', async () => {
    const { idNumber } = DEV_PEOPLE.zhangWei;
    const out = await run(job('public-security.pseudonymise-identity', { shareholder: DEV_PEOPLE.zhangWei }));
    expect(out).toEqual({ personKey: personKey(idNumber) });
    expect(personKey(` ${idNumber.toLowerCase()} `)).toBe(personKey(idNumber));
    expect(personKey(idNumber, 'another salt')).not.toBe(personKey(idNumber));
    expect(JSON.stringify(out)).not.toContain(idNumber);
    await expect(
      run(job('public-security.pseudonymise-identity', { shareholder: { name: 'x' } })),
    ).rejects.toThrow(/idNumber/);
  });

  // The contract refuses a fact from any organisation but its registry's owner, so every write
  // above (and the seeding) passing shows each handler writes as its own department.
  it('seeds the dev facts once', async () => {
    expect(await seedDevFacts(ledger)).toBe(0);
    const credit = await ledger.factHistory('credit-record', personKey(DEV_PEOPLE.zhangWei.idNumber));
    expect(credit).toHaveLength(1);
    expect(await ledger.getFact('credit-record', personKey(DEV_PEOPLE.wangFang.idNumber))).toMatchObject({
      standing: 'dishonest',
    });
  });
});
