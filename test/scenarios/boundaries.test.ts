// Boundary events on tasks and sub-processes: timer, message, error, signal; interrupting or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { type Harness, startHarness, tokens, until } from '../support/harness.ts';
import {
  complete,
  deploy,
  ended,
  path,
  publish,
  start,
  taskOpen,
  view,
  waitUntil,
} from '../support/scenarios.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('boundary events', () => {
  it('an interrupting timer ends the task it is attached to', async () => {
    await deploy(
      h,
      b.bpmn(
        'timer-interrupting',
        b.start('s'),
        b.userTask('review'),
        b.boundary('timeout', 'review', b.timer('duration', 'PT1S')),
        b.end('done'),
        b.end('expired', '', { outcome: 'rejected' }),
        ...b.chain('s', 'review', 'done'),
        b.flow('timeout', 'expired'),
      ),
    );
    const id = await start(h, 'timer-interrupting');
    const app = await ended(h, id);
    expect(app.status).toBe('rejected');
    expect(app.openTasks).toEqual([]);
    expect(await path(h, id)).toEqual(['s', 'timeout', 'expired']);
  });

  it('a non-interrupting timer cycle fires on each repetition while the task stays open', async () => {
    await deploy(
      h,
      b.bpmn(
        'timer-cycle',
        b.start('s'),
        b.userTask('review'),
        b.boundary('remind', 'review', b.timer('cycle', 'R2/PT1S'), { interrupting: false }),
        b.manualTask('reminder'),
        b.end('reminded'),
        b.end('done'),
        ...b.chain('s', 'review', 'done'),
        ...b.chain('remind', 'reminder', 'reminded'),
      ),
    );
    const id = await start(h, 'timer-cycle');
    await taskOpen(h, id, 'review');
    await new Promise((r) => setTimeout(r, 3000));
    expect((await view(h, id)).openTasks.map((t) => t.elementId)).toEqual(['review']);
    await complete(h, id, 'review');
    await ended(h, id);
    const steps = await path(h, id);
    expect(steps.filter((s) => s === 'remind')).toHaveLength(2);
    expect(steps.filter((s) => s === 'reminded')).toHaveLength(2);
    expect(steps.at(-1)).toBe('done');
  });

  it('an interrupting message boundary withdraws the application', async () => {
    await deploy(
      h,
      b.bpmn(
        'message-boundary',
        b.start('s'),
        b.userTask('review'),
        b.boundary('withdrawn', 'review', b.message('withdraw', '=caseNo')),
        b.end('done'),
        b.end('cancelled', '', { outcome: 'rejected' }),
        ...b.chain('s', 'review', 'done'),
        b.flow('withdrawn', 'cancelled'),
      ),
    );
    const id = await start(h, 'message-boundary', { caseNo: 'W-1' });
    await taskOpen(h, id, 'review');
    await publish(h, 'withdraw', 'W-1', { reason: 'changed my mind' });
    const app = await ended(h, id);
    expect(app.status).toBe('rejected');
    expect(app.variables).toMatchObject({ reason: 'changed my mind' });
  });

  it("a service task's BPMN error goes to its error boundary", async () => {
    await deploy(
      h,
      b.bpmn(
        'job-error',
        b.start('s'),
        b.serviceTask('check', 'test.refuse'),
        b.boundary('refused', 'check', b.error('REFUSED')),
        b.end('ok'),
        b.end('failed', '', { outcome: 'rejected' }),
        ...b.chain('s', 'check', 'ok'),
        b.flow('refused', 'failed'),
      ),
    );
    const id = await start(h, 'job-error');
    const app = await ended(h, id);
    expect(app.status).toBe('rejected');
    expect(app.variables).toMatchObject({ refusedBy: 'check' });
    expect(await path(h, id)).toEqual(['s', 'refused', 'failed']);
  });

  it('an interrupting boundary on a sub-process cancels everything inside it', async () => {
    await deploy(
      h,
      b.bpmn(
        'sub-timeout',
        b.start('s'),
        b.subProcess('checks', [
          b.start('cs'),
          b.and('fork'),
          b.userTask('a'),
          b.userTask('b'),
          b.and('join'),
          b.end('ce'),
          ...b.chain('cs', 'fork', 'a', 'join', 'ce'),
          ...b.chain('fork', 'b', 'join'),
        ]),
        b.boundary('deadline', 'checks', b.timer('duration', 'PT2S')),
        b.end('done'),
        b.end('late'),
        ...b.chain('s', 'checks', 'done'),
        b.flow('deadline', 'late'),
      ),
    );
    const id = await start(h, 'sub-timeout');
    await waitUntil(h, id, 'two tasks', (a) => a.openTasks.length === 2);
    await complete(h, id, 'a');
    const app = await ended(h, id);
    expect(app.openTasks).toEqual([]);
    expect(await path(h, id)).toEqual(['s', 'a', 'deadline', 'late']);
  });

  it('a non-interrupting signal boundary starts a path beside the task, which stays open', async () => {
    await deploy(
      h,
      b.bpmn(
        'signal-boundary',
        b.start('s'),
        b.userTask('review'),
        b.boundary('notice', 'review', b.signal('fee-schedule-changed'), { interrupting: false }),
        b.manualTask('recalculate'),
        b.end('recalculated'),
        b.end('done'),
        ...b.chain('s', 'review', 'done'),
        ...b.chain('notice', 'recalculate', 'recalculated'),
      ),
    );
    const id = await start(h, 'signal-boundary');
    await taskOpen(h, id, 'review');
    await new Promise((r) => setTimeout(r, 1500)); // visibility of the awaited signal
    const res = await h.request('POST', '/signals', {
      token: await tokens.clerk(['clerks']),
      json: { name: 'fee-schedule-changed' },
    });
    expect(res.status).toBe(202);
    await waitUntil(h, id, 'the recalculation', () => true);
    await until('the side path to finish', async () =>
      (await path(h, id)).includes('recalculated') ? true : undefined,
    );
    expect((await view(h, id)).openTasks.map((t) => t.elementId)).toEqual(['review']);
    await complete(h, id, 'review');
    await ended(h, id);
  });
});
