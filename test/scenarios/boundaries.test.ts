// Boundary events on tasks and sub-processes: timer, message, error, signal; interrupting or not.
import { describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { tokens, until, useHarness } from '../support/harness.ts';
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

const h = useHarness();

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
        b.boundary(
          'withdrawn',
          'review',
          b.message('withdraw', '=caseNo', { payload: { reason: 'string' } }),
        ),
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

  it('a completion racing an interrupting event is either recorded or refused, and the application always ends', async () => {
    // Without the hand-over being closed, a completion caught in between would wait forever and
    // keep the workflow from ending.
    await deploy(
      h,
      b.bpmn(
        'race-completion',
        b.start('s'),
        b.userTask('review'),
        b.boundary('withdrawn', 'review', b.message('withdraw-now', '=caseNo')),
        b.end('done'),
        b.end('cancelled', '', { outcome: 'rejected' }),
        ...b.chain('s', 'review', 'done'),
        b.flow('withdrawn', 'cancelled'),
      ),
    );
    const clerk = await tokens.clerk(['clerks']);
    const runs = await Promise.all(
      ['R1', 'R2', 'R3', 'R4', 'R5'].map(async (caseNo) => {
        const id = await start(h, 'race-completion', { caseNo });
        const task = await taskOpen(h, id, 'review');
        const [completion] = await Promise.all([
          h.request('POST', `/tasks/${task.id}/complete`, { token: clerk, json: { decision: 'approve' } }),
          publish(h, 'withdraw-now', caseNo),
        ]);
        return { id, status: completion.status };
      }),
    );
    for (const { id, status } of runs) {
      // 404: the task was gone before the clerk came; 409: closed while the completion was in flight.
      expect([200, 404, 409]).toContain(status);
      const app = await ended(h, id);
      // A recorded completion means the task finished first: the boundary never fired.
      expect(app.status).toBe(status === 200 ? 'completed' : 'rejected');
    }
  });

  it('an accepted completion wins over an interrupting event that fires while it is being recorded', async () => {
    await deploy(
      h,
      b.bpmn(
        'completion-wins',
        b.start('s'),
        b.userTask('slowReview'),
        b.boundary('withdrawn', 'slowReview', b.message('withdraw-late', '=caseNo')),
        b.end('done'),
        b.end('cancelled', '', { outcome: 'rejected' }),
        ...b.chain('s', 'slowReview', 'done'),
        b.flow('withdrawn', 'cancelled'),
      ),
    );
    const id = await start(h, 'completion-wins', { caseNo: 'W-9' });
    const task = await taskOpen(h, id, 'slowReview');
    process.env.GOVFLOW_DELAY_RECORD = 'slowReview:2000'; // the clerk's record takes 2 s to commit
    try {
      const completing = h.request('POST', `/tasks/${task.id}/complete`, {
        token: await tokens.clerk(['clerks']),
        json: { decision: 'approve' },
      });
      await new Promise((r) => setTimeout(r, 700)); // accepted, now being recorded
      await publish(h, 'withdraw-late', 'W-9');
      expect((await completing).status).toBe(200);
    } finally {
      delete process.env.GOVFLOW_DELAY_RECORD;
    }
    const app = await ended(h, id);
    expect(app.status).toBe('completed');
    expect(await path(h, id)).toEqual(['s', 'slowReview', 'done']);
  });
});
