// The shipped business-setup model (企业开办) end to end through the API, with identity-verification
// called once per shareholder: name check, shareholders verified (one by the contract, one by a
// public-security clerk), four departments in parallel, licence issued.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { companyNameKey, licenceNoOf } from '../../activities/handlers/market-regulation.ts';
import { personKey } from '../../activities/handlers/public-security.ts';
import { DEV_PEOPLE, seedDevFacts, TAKEN_COMPANY_NAME } from '../../scripts/dev-facts.ts';
import { deployShipped } from '../support/flows.ts';
import { tokens, until, useHarness } from '../support/harness.ts';
import { expectSoundTrail, outcome, path, start, trail, verify } from '../support/scenarios.ts';

const h = useHarness();
beforeAll(async () => {
  await seedDevFacts(h.ledger);
  await deployShipped(h, 'identity-verification.bpmn');
  await deployShipped(h, 'business-setup.bpmn');
});

const { zhangWei, liNa, wangFang } = DEV_PEOPLE;
const company = (companyName: string, shareholders: { name: string; idNumber: string }[]) => ({
  companyName,
  registeredCapital: 1_000_000,
  address: '1 Example Road, Pudong, Shanghai',
  businessScope: 'software development',
  shareholders,
});
const DEPARTMENTS = ['insuranceRegistration', 'licenceApproval', 'sealEngraving', 'taxRegistration'];

/** An open task of a child application (a call activity's) in a group's inbox. */
async function childTask(parentId: string, group: string, elementId: string) {
  const token = await tokens.clerk([group], 'zhou.police');
  return until(`${elementId} of a child of ${parentId} in the ${group} inbox`, async () => {
    const res = await h.request('GET', `/tasks?group=${group}`, { token });
    const tasks = (await res.json()) as { id: string; applicationId: string; elementId: string }[];
    return tasks.find((t) => t.applicationId.startsWith(`${parentId}.c`) && t.elementId === elementId);
  });
}

describe('business setup (shipped model)', () => {
  it('opens a business with two shareholders: one verified by the contract, one by a clerk', async () => {
    const id = await start(h, 'business-setup', company('新星软件有限公司', [zhangWei, liNa]));

    // Li Na has no credit record: a public-security clerk verifies her in a child application.
    const task = await childTask(id, 'public-security', 'checkCredit');
    const res = await h.request('POST', `/tasks/${task.id}/complete`, {
      token: await tokens.clerk(['public-security'], 'zhou.police'),
      json: { decision: 'approve', comment: 'identity card checked at the counter' },
    });
    expect(res.status, await res.clone().text()).toBe(200);

    const done = await outcome(h, id);
    expect(done.status).toBe('completed');
    const licenceNo = licenceNoOf(id);
    expect(done.variables).toMatchObject({
      companyNameKey: '新星软件有限公司',
      nameAvailable: true,
      verifications: [
        { name: 'Zhang Wei', personKey: personKey(zhangWei.idNumber), verdict: 'verified' },
        { name: 'Li Na', personKey: personKey(liNa.idNumber), verdict: 'verified' },
      ],
      licenceDecision: 'approve',
      taxDecision: 'approve',
      insuranceDecision: 'approve',
      sealDecision: 'approve',
      licenceNo,
    });
    const steps = await path(h, id);
    expect(steps.slice(0, 4)).toEqual(['applied', 'checkName', 'verifyShareholders', 'verifyShareholders']);
    expect(steps.slice(4, 8).sort()).toEqual(DEPARTMENTS); // decided in parallel, each by its rule
    expect(steps.slice(8)).toEqual(['issueLicence', 'businessOpened']);
    const records = await trail(h, id);
    for (const r of records.filter((r) => DEPARTMENTS.includes(r.elementId)))
      expect([r.actor.startsWith('contract:'), r.decision]).toEqual([true, 'approve']);
    expect(records.filter((r) => r.elementId === 'verifyShareholders').map((r) => r.decision)).toEqual([
      'completed',
      'completed',
    ]);
    expectSoundTrail(records);
    expect((await verify(h, id)).valid).toBe(true);

    // Each shareholder's verification is a child application with a trail of its own.
    const children = [`${id}.c3`, `${id}.c4`];
    expect(children).toContain(task.applicationId);
    const [auto] = children.filter((c) => c !== task.applicationId);
    expect((await trail(h, auto)).map((r) => [r.elementId, r.actor, r.decision])).toEqual([
      ['verificationRequested', 'user:zhang.wei', 'submitted'],
      ['pseudonymise', 'engine', 'completed'],
      ['checkCredit', 'contract:credit-standing', 'approve'],
      ['personVerified', 'engine', 'completed'],
    ]);
    expect((await trail(h, task.applicationId)).map((r) => [r.elementId, r.actor, r.decision])).toEqual([
      ['verificationRequested', 'user:zhang.wei', 'submitted'],
      ['pseudonymise', 'engine', 'completed'],
      ['checkCredit', 'contract:credit-standing', 'manual'],
      ['checkCredit', 'user:zhou.police', 'approve'],
      ['personVerified', 'engine', 'completed'],
    ]);

    // The name is now registered to this company.
    expect(await h.ledger.getFact('company-name', companyNameKey('新星软件有限公司'))).toEqual({
      status: 'taken',
      name: '新星软件有限公司',
      licenceNo,
      applicationId: id,
    });
    // No ID number reached the ledger in clear.
    const dir = join(h.dataDir, 'ledger');
    const stored = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => readFileSync(join(f.parentPath, f.name), 'latin1'))
      .join('\n');
    for (const person of [zhangWei, liNa]) expect(stored).not.toContain(person.idNumber);
    expect(stored).toContain(personKey(zhangWei.idNumber));
  });

  it('rejects a company name that is already registered (whatever its spacing and width)', async () => {
    const id = await start(h, 'business-setup', company(` ${TAKEN_COMPANY_NAME}　`, [zhangWei]));
    const done = await outcome(h, id);
    expect(done.status).toBe('rejected');
    expect(done.variables).toMatchObject({ nameAvailable: false });
    expect(await path(h, id)).toEqual(['applied', 'checkName', 'nameRejected']);
  });

  it('rejects the application when a shareholder is on the dishonest-debtor list', async () => {
    const id = await start(h, 'business-setup', company('诚信咨询有限公司', [zhangWei, wangFang]));
    const done = await outcome(h, id);
    expect(done.status).toBe('rejected');
    expect(done.variables).toMatchObject({
      verifications: [
        { name: 'Zhang Wei', verdict: 'verified' },
        { name: 'Wang Fang', verdict: 'rejected' },
      ],
    });
    expect(await path(h, id)).toEqual([
      'applied',
      'checkName',
      'verifyShareholders',
      'verifyShareholders',
      'identityRejected',
    ]);
    expect(
      (await trail(h, id))
        .filter((r) => r.elementId === 'verifyShareholders')
        .map((r) => r.decision)
        .sort(),
    ).toEqual(['completed', 'rejected']);
    expect(await h.ledger.getFact('company-name', companyNameKey('诚信咨询有限公司'))).toBeNull();
  });
});
