// Messages, signals and task completions change only the variables their model declares:
// undeclared keys are refused (422, naming them) before anything is delivered, and the workflow
// merges only declared keys even of an event that reaches it another way (a process's throw event).
import { describe, expect, it } from 'vitest';
import { DEV_PEOPLE } from '../../scripts/dev-facts.ts';
import * as b from '../support/bpmn-builder.ts';
import { deployShipped } from '../support/flows.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { deploy, ended, publish, start, taskOpen, view, waitUntil } from '../support/scenarios.ts';

const h = useHarness();

type Problem = { status: number; detail: string; errors: { field: string }[] };
const problemOf = async (res: Response) => ({
  status: res.status,
  ...((await res.json()) as Omit<Problem, 'status'>),
});

describe('declared variables', () => {
  it('a message with undeclared keys is refused with 422 naming them, and changes nothing', async () => {
    await deploy(
      h,
      b.bpmn(
        'fee-case',
        b.start('s'),
        b.catchEvent('paid', b.message('fee-settled', '=caseNo', { payload: { receipt: 'string' } })),
        b.end('e'),
        ...b.chain('s', 'paid', 'e'),
      ),
    );
    const id = await start(h, 'fee-case', { caseNo: 'F-1', parcel: 'P-1' });
    await waitUntil(h, id, 'waiting', (a) => a.status === 'running' && a.variables?.parcel === 'P-1');
    const res = await h.request('POST', '/messages', {
      token: await tokens.clerk(['clerks']),
      json: {
        name: 'fee-settled',
        correlationKey: 'F-1',
        variables: { receipt: 'R-9', parcel: 'P-666', seller: 'x' },
      },
    });
    const refused = await problemOf(res);
    expect(refused.status).toBe(422);
    expect(refused.detail).toBe(
      'message "fee-settled" does not declare parcel, seller; nothing was delivered',
    );
    expect(refused.errors.map((e) => e.field)).toEqual(['variables.parcel', 'variables.seller']);
    // Nothing was delivered: the application still waits, its variables as they were.
    await new Promise((r) => setTimeout(r, 500));
    const still = await view(h, id);
    expect(still.status).toBe('running');
    expect(still.variables).toMatchObject({ parcel: 'P-1' });
    expect(still.variables).not.toHaveProperty('receipt');

    // A declared field with the wrong type is refused too, naming it.
    const mistyped = await h.request('POST', '/messages', {
      token: await tokens.clerk(['clerks']),
      json: { name: 'fee-settled', correlationKey: 'F-1', variables: { receipt: 42 } },
    });
    expect((await problemOf(mistyped)).errors.map((e) => e.field)).toEqual(['variables.receipt']);

    await publish(h, 'fee-settled', 'F-1', { receipt: 'R-9' });
    expect((await ended(h, id)).variables).toMatchObject({ parcel: 'P-1', receipt: 'R-9' });
  });

  it('a signal with undeclared keys is refused with 422 naming them', async () => {
    await deploy(
      h,
      b.bpmn(
        'notice-case',
        b.start('s'),
        b.catchEvent('notice', b.signal('rates-changed', { payload: { rate: 'number' } })),
        b.end('e'),
        ...b.chain('s', 'notice', 'e'),
      ),
    );
    const res = await h.request('POST', '/signals', {
      token: await tokens.clerk(['clerks']),
      json: { name: 'rates-changed', variables: { rate: 0.01, decision: 'approve' } },
    });
    const refused = await problemOf(res);
    expect(refused.status).toBe(422);
    expect(refused.errors.map((e) => e.field)).toEqual(['variables.decision']);
  });

  it("a process's thrown message merges only what the catching model declares", async () => {
    await deploy(
      h,
      b.bpmn(
        'clearance-office',
        b.start('s'),
        b.catchEvent(
          'cleared',
          b.message('clearance-given', '=caseNo', { payload: { clearedBy: 'string' } }),
        ),
        b.end('e'),
        ...b.chain('s', 'cleared', 'e'),
      ),
    );
    await deploy(
      h,
      b.bpmn(
        'clearance-sender',
        b.start('s'),
        b.throwEvent('notify', b.message('clearance-given', '=caseNo')),
        b.end('e'),
        ...b.chain('s', 'notify', 'e'),
      ),
    );
    const waiting = await start(h, 'clearance-office', { caseNo: 'C-7', parcel: 'P-1' }, 'owner.one');
    await waitUntil(h, waiting, 'running', (a) => a.status === 'running' && a.variables?.caseNo === 'C-7');
    await new Promise((r) => setTimeout(r, 500)); // its subscription reaches the mailbox
    // The sender's whole scope travels with its throw event: its own parcel and applicant too.
    const sender = await start(
      h,
      'clearance-sender',
      { caseNo: 'C-7', clearedBy: 'tax bureau', parcel: 'P-666' },
      'other.two',
    );
    await ended(h, sender);
    const done = await ended(h, waiting);
    expect(done.variables).toMatchObject({
      clearedBy: 'tax bureau',
      parcel: 'P-1',
      applicant: { id: 'owner.one' },
    });
  });

  it('a completion with data its task does not declare is refused with 422, and the task stays open', async () => {
    await deploy(
      h,
      b.bpmn(
        'review-case',
        b.start('s'),
        b.userTask('plain'),
        b.userTask('priced', 'clerks', { outputs: { fee: '=feeAmount' } }),
        b.end('e'),
        ...b.chain('s', 'plain', 'priced', 'e'),
      ),
    );
    const id = await start(h, 'review-case', { parcel: 'P-1' });
    const plain = await taskOpen(h, id, 'plain');
    const clerk = await tokens.clerk(['clerks']);
    const res = await h.request('POST', `/tasks/${plain.id}/complete`, {
      token: clerk,
      json: { decision: 'approve', data: { parcel: 'P-666' } },
    });
    const refused = await problemOf(res);
    expect(refused.status).toBe(422);
    expect(refused.errors.map((e) => e.field)).toEqual(['data.parcel']);
    expect((await view(h, id)).openTasks.map((t) => t.elementId)).toEqual(['plain']);
    const ok = await h.request('POST', `/tasks/${plain.id}/complete`, {
      token: clerk,
      json: { decision: 'approve' },
    });
    expect(ok.status).toBe(200);

    // A task whose output mappings read feeAmount takes feeAmount, and nothing else.
    const priced = await taskOpen(h, id, 'priced');
    const extra = await h.request('POST', `/tasks/${priced.id}/complete`, {
      token: clerk,
      json: { decision: 'approve', data: { feeAmount: 30, parcel: 'P-666' } },
    });
    expect((await problemOf(extra)).errors.map((e) => e.field)).toEqual(['data.parcel']);
    const fine = await h.request('POST', `/tasks/${priced.id}/complete`, {
      token: clerk,
      json: { decision: 'approve', data: { feeAmount: 30 } },
    });
    expect(fine.status).toBe(200);
    expect((await ended(h, id)).variables).toMatchObject({ parcel: 'P-1', fee: 30 });
  });

  it('start data is checked against list bounds: shareholders: [] is refused, naming the field', async () => {
    await deployShipped(h, 'identity-verification.bpmn');
    await deployShipped(h, 'business-setup.bpmn');
    const data = {
      companyName: '新星科技有限公司',
      registeredCapital: 100_000,
      address: '北京市海淀区',
      shareholders: [] as unknown[],
    };
    const res = await h.request('POST', '/applications', {
      token: await tokens.applicant(),
      json: { processKey: 'business-setup', data },
    });
    const refused = await problemOf(res);
    expect(refused.status).toBe(422);
    expect(refused.errors).toEqual([
      { field: 'shareholders', message: 'Shareholders must hold at least 1 item(s)' },
    ]);
    const missing = await h.request('POST', '/applications', {
      token: await tokens.applicant(),
      json: { processKey: 'business-setup', data: { ...data, shareholders: undefined } },
    });
    expect((await problemOf(missing)).errors.map((e) => e.field)).toEqual(['shareholders']);
    const one = await h.request('POST', '/applications', {
      token: await tokens.applicant(),
      json: { processKey: 'business-setup', data: { ...data, shareholders: [DEV_PEOPLE.zhangWei] } },
    });
    expect(one.status).toBe(201);
  });
});
