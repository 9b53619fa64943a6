// Events: terminate, error, escalation, timer, message, signal, link — each on a small model.
import { describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { tokens, until, useHarness } from '../support/harness.ts';
import { complete, deploy, ended, path, publish, start, taskOpen, waitUntil } from '../support/scenarios.ts';

const h = useHarness();

describe('start events', () => {
  /** Applications of a process, found the way an operator would: one visibility query. */
  async function applicationsOf(key: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const wf of h.services.temporal.workflow.list({ query: `GovProcessKey = '${key}'` }))
      ids.push(wf.workflowId);
    return ids;
  }

  it('a timer cycle start event starts an application on each repetition', async () => {
    await deploy(
      h,
      b.bpmn(
        'nightly-audit',
        b.start('tick', b.timer('cycle', 'R2/PT1S')),
        b.scriptTask('count', '=1', 'counted'),
        b.end('e'),
        ...b.chain('tick', 'count', 'e'),
      ),
    );
    const ids = await until('two scheduled applications', async () => {
      const found = await applicationsOf('nightly-audit');
      return found.length >= 2 ? found : undefined;
    });
    for (const id of ids) expect((await ended(h, id)).status).toBe('completed');
    expect(await path(h, ids[0])).toEqual(['tick', 'count', 'e']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await applicationsOf('nightly-audit')).toHaveLength(2); // R2: two repetitions, no more
  });

  it('a timer duration start event starts one application after the delay', async () => {
    await deploy(
      h,
      b.bpmn('delayed', b.start('later', b.timer('duration', 'PT1S')), b.end('e'), b.flow('later', 'e')),
    );
    const [id] = await until('the delayed application', async () => {
      const found = await applicationsOf('delayed');
      return found.length === 1 ? found : undefined;
    });
    expect((await ended(h, id)).status).toBe('completed');
  });
});

describe('end events', () => {
  it('terminate ends every other token of the process', async () => {
    await deploy(
      h,
      b.bpmn(
        'terminate',
        b.start('s'),
        b.and('fork'),
        b.userTask('wait'),
        b.end('stop', b.terminate()),
        b.end('e'),
        ...b.chain('s', 'fork', 'wait', 'e'),
        b.flow('fork', 'stop'),
      ),
    );
    const id = await start(h, 'terminate');
    const app = await ended(h, id);
    expect(app.status).toBe('completed');
    expect(app.openTasks).toEqual([]);
    expect(await path(h, id)).toEqual(['s', 'stop']);
  });

  it('an error end event in a sub-process is caught by the error boundary of the sub-process', async () => {
    await deploy(
      h,
      b.bpmn(
        'error-boundary',
        b.start('s'),
        b.subProcess('sub', [
          b.start('subStart'),
          b.end('fail', b.error('NO_TITLE')),
          b.flow('subStart', 'fail'),
        ]),
        b.boundary('caught', 'sub', b.error('NO_TITLE')),
        b.end('ok'),
        b.end('handled', '', { outcome: 'rejected' }),
        ...b.chain('s', 'sub', 'ok'),
        b.flow('caught', 'handled'),
      ),
    );
    const id = await start(h, 'error-boundary');
    expect((await ended(h, id)).status).toBe('rejected');
    expect(await path(h, id)).toEqual(['s', 'fail', 'caught', 'handled']);
  });

  it('an error nobody catches is an incident on the element that threw it', async () => {
    await deploy(
      h,
      b.bpmn('error-uncaught', b.start('s'), b.end('fail', b.error('BOOM')), b.flow('s', 'fail')),
    );
    const id = await start(h, 'error-uncaught');
    const app = await waitUntil(h, id, 'an incident', (a) => a.incidents.length > 0);
    expect(app.status).toBe('incident');
    expect(app.incidents[0]).toMatchObject({ elementId: 'fail' });
    expect(app.incidents[0].message).toContain('BOOM');
  });
});

describe('escalation', () => {
  it('a non-interrupting escalation boundary runs beside the sub-process, which goes on', async () => {
    await deploy(
      h,
      b.bpmn(
        'escalation',
        b.start('s'),
        b.subProcess('sub', [
          b.start('subStart'),
          b.throwEvent('raise', b.escalation('LATE')),
          b.userTask('finish'),
          b.end('subEnd'),
          ...b.chain('subStart', 'raise', 'finish', 'subEnd'),
        ]),
        b.boundary('notify', 'sub', b.escalation('LATE'), { interrupting: false }),
        b.manualTask('supervisor'),
        b.end('notified'),
        b.end('e'),
        ...b.chain('s', 'sub', 'e'),
        ...b.chain('notify', 'supervisor', 'notified'),
      ),
    );
    const id = await start(h, 'escalation');
    await taskOpen(h, id, 'finish');
    await waitUntil(h, id, 'the supervisor path', () => true);
    await complete(h, id, 'finish');
    await ended(h, id);
    const steps = await path(h, id);
    expect(steps).toEqual(
      expect.arrayContaining(['raise', 'notify', 'supervisor', 'notified', 'finish', 'sub', 'e']),
    );
  });
});

describe('intermediate catch events', () => {
  it('a timer waits, then the token moves on', async () => {
    await deploy(
      h,
      b.bpmn(
        'timer-catch',
        b.start('s'),
        b.catchEvent('wait', b.timer('duration', 'PT1S')),
        b.end('e'),
        ...b.chain('s', 'wait', 'e'),
      ),
    );
    const began = Date.now();
    const id = await start(h, 'timer-catch');
    await ended(h, id);
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(await path(h, id)).toEqual(['s', 'wait', 'e']);
  });

  it('a message is correlated by name and key, and its variables land in the process', async () => {
    await deploy(
      h,
      b.bpmn(
        'message-catch',
        b.start('s'),
        b.catchEvent('docs', b.message('documents-supplied', '=caseNo', { payload: { deed: 'string' } })),
        b.end('e'),
        ...b.chain('s', 'docs', 'e'),
      ),
    );
    const id = await start(h, 'message-catch', { caseNo: 'C-1' });
    await waitUntil(h, id, 'waiting', (a) => a.status === 'running');
    await publish(h, 'documents-supplied', 'C-2', { deed: 'wrong case' }, 'PT0S');
    await publish(h, 'documents-supplied', 'C-1', { deed: 'scan-17.pdf' });
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ deed: 'scan-17.pdf' });
  });

  it('a message published before anyone waits is kept for its time to live', async () => {
    await deploy(
      h,
      b.bpmn(
        'message-buffered',
        b.start('s'),
        b.catchEvent('wait', b.timer('duration', 'PT1S')),
        b.catchEvent('paid', b.message('payment-confirmed', '=ref', { payload: { amount: 'number' } })),
        b.end('e'),
        ...b.chain('s', 'wait', 'paid', 'e'),
      ),
    );
    const id = await start(h, 'message-buffered', { ref: 'PAY-9' });
    await publish(h, 'payment-confirmed', 'PAY-9', { amount: 120 }, 'PT1M');
    expect((await ended(h, id)).variables).toMatchObject({ amount: 120 });
  });

  it('a signal reaches every instance waiting for it', async () => {
    await deploy(
      h,
      b.bpmn(
        'signal-catch',
        b.start('s'),
        b.catchEvent('go', b.signal('registry-reopened')),
        b.end('e'),
        ...b.chain('s', 'go', 'e'),
      ),
    );
    const ids = [await start(h, 'signal-catch'), await start(h, 'signal-catch')];
    for (const id of ids) await waitUntil(h, id, 'running', (a) => a.status === 'running');
    await new Promise((r) => setTimeout(r, 1500)); // visibility of the awaited signal
    const res = await h.request('POST', '/signals', {
      token: await tokens.clerk(['clerks']),
      json: { name: 'registry-reopened' },
    });
    expect(res.status).toBe(202);
    for (const id of ids) expect((await ended(h, id)).status).toBe('completed');
  });

  it('a message throw event correlates to another application waiting for it', async () => {
    await deploy(
      h,
      b.bpmn(
        'tax-office',
        b.start('s'),
        b.catchEvent('cleared', b.message('tax-cleared', '=caseNo', { payload: { clearedBy: 'string' } })),
        b.end('e'),
        ...b.chain('s', 'cleared', 'e'),
      ),
    );
    await deploy(
      h,
      b.bpmn(
        'tax-clearance',
        b.start('s'),
        b.throwEvent('notify', b.message('tax-cleared', '=caseNo')),
        b.end('e'),
        ...b.chain('s', 'notify', 'e'),
      ),
    );
    const waiting = await start(h, 'tax-office', { caseNo: 'T-5' });
    await waitUntil(h, waiting, 'running', (a) => a.status === 'running');
    await new Promise((r) => setTimeout(r, 500)); // its subscription reaches the mailbox
    const sender = await start(h, 'tax-clearance', { caseNo: 'T-5', clearedBy: 'tax bureau' });
    await ended(h, sender);
    expect((await ended(h, waiting)).variables).toMatchObject({ clearedBy: 'tax bureau' });
  });

  it('a link throw event continues at the link catch event of the same name', async () => {
    await deploy(
      h,
      b.bpmn(
        'links',
        b.start('s'),
        b.throwEvent('jump', b.link('page2')),
        b.catchEvent('land', b.link('page2')),
        b.end('e'),
        b.flow('s', 'jump'),
        b.flow('land', 'e'),
      ),
    );
    const id = await start(h, 'links');
    await ended(h, id);
    expect(await path(h, id)).toEqual(['s', 'e']);
  });
});
