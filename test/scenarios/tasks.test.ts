// Task types, sub-processes, call activities, event sub-processes, variables and incidents.
import { describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { complete, deploy, ended, path, publish, start, taskOpen, waitUntil } from '../support/scenarios.ts';

const h = useHarness();

describe('tasks', () => {
  it('script (FEEL), manual, plain and service tasks run in order, passing variables', async () => {
    await deploy(
      h,
      b.bpmn(
        'task-kinds',
        b.start('s'),
        b.scriptTask('fee', '=price * 0.03', 'deedTax'),
        b.manualTask('stamp'),
        b.serviceTask('notify', 'test.echo', { inputs: { input: '=deedTax' } }),
        b.end('e'),
        ...b.chain('s', 'fee', 'stamp', 'notify', 'e'),
      ),
    );
    const id = await start(h, 'task-kinds', { price: 1000 });
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ deedTax: 30, echoed: 30 });
    expect(app.variables).not.toHaveProperty('input'); // input mappings are local to the task
    expect(await path(h, id)).toEqual(['s', 'fee', 'stamp', 'notify', 'e']);
  });

  it('a receive task waits for its message', async () => {
    await deploy(
      h,
      b.bpmn(
        'receive',
        b.start('s'),
        b.receiveTask('payment', 'fee-paid', '=caseNo', { payload: { paid: 'boolean' } }),
        b.end('e'),
        ...b.chain('s', 'payment', 'e'),
      ),
    );
    const id = await start(h, 'receive', { caseNo: 'R-7' });
    await waitUntil(h, id, 'running', (a) => a.status === 'running');
    await publish(h, 'fee-paid', 'R-7', { paid: true });
    expect((await ended(h, id)).variables).toMatchObject({ paid: true });
  });

  it('a service task out of retries is an incident, visible and retryable', async () => {
    await deploy(
      h,
      b.bpmn(
        'incident',
        b.start('s'),
        b.serviceTask('call', 'test.broken'),
        b.end('e'),
        ...b.chain('s', 'call', 'e'),
      ),
    );
    const id = await start(h, 'incident');
    const app = await waitUntil(h, id, 'an incident', (a) => a.incidents.length > 0);
    expect(app.status).toBe('incident');
    expect(app.incidents[0]).toMatchObject({ elementId: 'call', message: 'the external system is down' });
    const retry = await h.request('POST', `/applications/${id}/incidents/${app.incidents[0].id}/retry`, {
      token: await tokens.clerk(),
    });
    expect(retry.status).toBe(204);
    const again = await waitUntil(
      h,
      id,
      'a new incident',
      (a) => a.incidents.length > 0 && a.incidents[0].id !== app.incidents[0].id,
    );
    expect(again.incidents[0].elementId).toBe('call');
  });
});

describe('sub-processes', () => {
  it('an embedded sub-process runs its own start to end, with local inputs', async () => {
    await deploy(
      h,
      b.bpmn(
        'embedded',
        b.start('s'),
        b.subProcess(
          'sub',
          [
            b.start('ss'),
            b.scriptTask('double', '=n * 2', 'doubled'),
            b.end('se'),
            ...b.chain('ss', 'double', 'se'),
          ],
          {
            inputs: { n: '=amount' },
          },
        ),
        b.end('e'),
        ...b.chain('s', 'sub', 'e'),
      ),
    );
    const id = await start(h, 'embedded', { amount: 21 });
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ amount: 21, doubled: 42 });
    expect(app.variables).not.toHaveProperty('n');
    expect(await path(h, id)).toEqual(['s', 'double', 'sub', 'e']);
  });

  it('a call activity runs the called process as a child application and maps variables in and out', async () => {
    await deploy(
      h,
      b.bpmn(
        'verify-person',
        b.start('vs'),
        b.scriptTask('check', '=person + " verified"', 'result'),
        b.end('ve'),
        ...b.chain('vs', 'check', 've'),
      ),
    );
    await deploy(
      h,
      b.bpmn(
        'caller',
        b.start('s'),
        b.callActivity('verify', 'verify-person', {
          inputs: { person: '=applicantName' },
          outputs: { verification: '=result' },
        }),
        b.end('e'),
        ...b.chain('s', 'verify', 'e'),
      ),
    );
    const id = await start(h, 'caller', { applicantName: 'Zhao Lei' });
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ verification: 'Zhao Lei verified' });
    expect(app.variables).not.toHaveProperty('result');
  });

  it('an interrupting message event sub-process replaces the running tokens', async () => {
    await deploy(
      h,
      b.bpmn(
        'event-sub',
        b.start('s'),
        b.userTask('review'),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
        b.subProcess(
          'withdrawal',
          [
            b.start('ws', b.message('withdraw-application', '=caseNo')),
            b.end('we', '', { outcome: 'rejected' }),
            b.flow('ws', 'we'),
          ],
          {
            eventSub: true,
          },
        ),
      ),
    );
    const id = await start(h, 'event-sub', { caseNo: 'E-1' });
    await taskOpen(h, id, 'review');
    await publish(h, 'withdraw-application', 'E-1');
    const app = await ended(h, id);
    expect(app.status).toBe('rejected');
    expect(app.openTasks).toEqual([]);
    expect(await path(h, id)).toEqual(['s', 'ws', 'we']);
  });

  it('a non-interrupting timer event sub-process runs beside the main flow', async () => {
    await deploy(
      h,
      b.bpmn(
        'event-sub-timer',
        b.start('s'),
        b.userTask('review'),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
        b.subProcess(
          'sla',
          [
            b.start('ts', b.timer('duration', 'PT1S'), { interrupting: false }),
            b.manualTask('escalate'),
            b.end('te'),
            ...b.chain('ts', 'escalate', 'te'),
          ],
          {
            eventSub: true,
          },
        ),
      ),
    );
    const id = await start(h, 'event-sub-timer');
    await taskOpen(h, id, 'review');
    await new Promise((r) => setTimeout(r, 2000));
    await complete(h, id, 'review');
    await ended(h, id);
    expect(await path(h, id)).toEqual(['s', 'ts', 'escalate', 'review', 'e']);
  });

  it('a timer cycle start of an event sub-process fires as many times as the cycle says', async () => {
    await deploy(
      h,
      b.bpmn(
        'event-sub-cycle',
        b.start('s'),
        b.userTask('review'),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
        b.subProcess(
          'reminders',
          [
            b.start('tick', b.timer('cycle', 'R2/PT0.3S'), { interrupting: false }),
            b.manualTask('remind'),
            b.end('te'),
            ...b.chain('tick', 'remind', 'te'),
          ],
          { eventSub: true },
        ),
      ),
    );
    const id = await start(h, 'event-sub-cycle');
    await taskOpen(h, id, 'review');
    await new Promise((r) => setTimeout(r, 2500)); // room for eight firings of an unbounded cycle
    await complete(h, id, 'review');
    await ended(h, id);
    expect((await path(h, id)).filter((e) => e === 'remind')).toHaveLength(2);
  });
});
