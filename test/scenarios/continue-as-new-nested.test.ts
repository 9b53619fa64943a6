// Continue-as-new carries every kind of wait: tasks with boundary timers, waits deep inside
// embedded sub-processes, event sub-process listeners, receive tasks, event-based gateways and
// multi-instance bodies. Each model runs with a small history limit, so it spans several runs.
import { describe, expect, it } from 'vitest';
import type { Armed, ParkedWait, ResumeState } from '../../workflows/continue-as-new.ts';
import { GovApplicant, GovProcessKey, GovStatus } from '../../workflows/search-attributes.ts';
import * as b from '../support/bpmn-builder.ts';
import { type Harness, tokens, until, useHarness } from '../support/harness.ts';
import {
  complete,
  deploy,
  ended,
  expectSoundTrail,
  publish,
  taskOpen,
  trail,
  view,
} from '../support/scenarios.ts';

/** A non-interrupting timer event sub-process counting its firings in `nudges`. */
const nudgeEventSubProcess = (cycle: string) =>
  b.subProcess(
    'nudge',
    [
      b.start('ns', b.timer('cycle', cycle), { interrupting: false }),
      b.scriptTask('count', '=nudges + 1', 'nudges'),
      b.end('ne'),
      ...b.chain('ns', 'count', 'ne'),
    ],
    { eventSub: true },
  );

const h = useHarness();

/** Starts an application through the client, to set a small history limit (the API keeps the default). */
async function startLong(key: string, data: Record<string, unknown>, historyLimit: number): Promise<string> {
  const { model } = h.services.definitions.get(key)!;
  const id = `app-${key}-${Date.now().toString(16)}`;
  await h.services.temporal.workflow.start('applicationWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: id,
    args: [{ applicationId: id, model, data, submittedBy: 'zhang.wei', historyLimit }],
    memo: { processKey: model.key, version: model.version, definitionHash: model.hash },
    typedSearchAttributes: [
      { key: GovProcessKey, value: model.key },
      { key: GovStatus, value: 'running' },
      { key: GovApplicant, value: 'zhang.wei' },
    ],
  });
  return id;
}

/** The `resume` input of the application's latest run (absent on the first run). */
async function latestResume(id: string): Promise<ResumeState | undefined> {
  const history = await h.services.temporal.workflow.getHandle(id).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  return payload ? JSON.parse(Buffer.from(payload).toString()).resume : undefined;
}

/** Waits for a run whose resume input passes `test`; returns that input. */
const runWhere = (id: string, what: string, test: (resume: ResumeState) => boolean) =>
  until(`${id}: a run ${what}`, async () => {
    const resume = await latestResume(id);
    return resume && test(resume) ? resume : undefined;
  });

const parkedAt = (resume: ResumeState, elementId: string) =>
  resume.parked.find((p) => p.elementId === elementId) as (ParkedWait & { kind: 'activity' }) | undefined;

const variable = (h: Harness, id: string, name: string, value: unknown) =>
  until(`${id}: ${name} = ${value}`, async () =>
    (await view(h, id)).variables?.[name] === value ? true : undefined,
  );

const count = (steps: string[], elementId: string) => steps.filter((s) => s === elementId).length;

describe('continue-as-new carries nested and attached waits', () => {
  it('a task with a non-interrupting timer cycle: escalations go on counting in new runs', async () => {
    await deploy(
      h,
      b.bpmn(
        'sla-review',
        b.start('s'),
        b.userTask('review'),
        b.boundary('sla', 'review', b.timer('cycle', 'R6/PT0.5S'), { interrupting: false }),
        b.scriptTask('escalate', '=escalations + 1', 'escalations'),
        b.end('escalated'),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
        ...b.chain('sla', 'escalate', 'escalated'),
      ),
    );
    const id = await startLong('sla-review', { escalations: 0 }, 25);
    const task = await taskOpen(h, id, 'review');
    const midCycle = await runWhere(id, 'carrying the running cycle', (r) => {
      const sla = parkedAt(r, 'review')?.boundaries.find((x) => x.id === 'sla');
      return !!sla && 'cycle' in sla && sla.cycle.left < 6;
    });
    expect(parkedAt(midCycle, 'review')!.body).toMatchObject({ kind: 'userTask', task: { id: task.id } });

    await variable(h, id, 'escalations', 6);
    // The clerk completes the task in a run that began after the cycle ran out.
    const later = await runWhere(id, 'after the last escalation', (r) =>
      parkedAt(r, 'review')!.boundaries.some((x: Armed) => x.id === 'sla' && 'done' in x),
    );
    expect(later.runs).toBeGreaterThan(1);
    expect((await taskOpen(h, id, 'review')).id).toBe(task.id);
    await complete(h, id, 'review');
    const app = await ended(h, id);
    expect(app.status).toBe('completed');
    expect(app.variables).toMatchObject({ escalations: 6, decision: 'approve' });

    const records = await trail(h, id);
    const steps = records.map((r) => r.elementId);
    expect([count(steps, 'sla'), count(steps, 'escalate'), count(steps, 'escalated')]).toEqual([6, 6, 6]);
    // The task id and the element instance share their sequence number: one record, the task's own.
    expect(records.filter((r) => r.elementId === 'review').map((r) => r.elementInstanceId)).toEqual([
      `review#${task.id.slice(id.length + 1)}`,
    ]);
    expect([steps[0], steps.at(-1)]).toEqual(['s', 'e']);
    expectSoundTrail(records);
  });

  it('a wait deep in an embedded sub-process keeps its local variables; the message boundary interrupts it in a new run', async () => {
    await deploy(
      h,
      b.bpmn(
        'withdrawable',
        b.start('s'),
        b.and('fork'),
        b.subProcess(
          'case',
          [
            b.start('cs'),
            b.subProcess(
              'inner',
              [b.start('is'), b.userTask('check'), b.end('ie'), ...b.chain('is', 'check', 'ie')],
              { inputs: { depth: '=2' } },
            ),
            b.end('ce'),
            ...b.chain('cs', 'inner', 'ce'),
          ],
          { inputs: { note: '="kept locally"' } },
        ),
        b.boundary('withdrawn', 'case', b.message('withdraw', '=caseNo', { payload: { reason: 'string' } })),
        b.end('done'),
        b.end('dropped', '', { outcome: 'rejected' }),
        b.scriptTask('remind', '=count + 1', 'count'),
        b.catchEvent('pause', b.timer('duration', 'PT0.2S')),
        b.xor('more', 'more-end'),
        b.end('reminded'),
        ...b.chain('s', 'fork', 'case', 'done'),
        b.flow('withdrawn', 'dropped'),
        ...b.chain('fork', 'remind', 'pause', 'more'),
        b.flow('more', 'remind', '=count < 10'),
        b.flow('more', 'reminded', undefined, 'more-end'),
      ),
    );
    const caseNo = `W-${Date.now()}`;
    const id = await startLong('withdrawable', { count: 0, caseNo }, 50);
    const task = await taskOpen(h, id, 'check');
    const carried = await runWhere(id, 'carrying the sub-process', (r) => parkedAt(r, 'case') !== undefined);
    const sub = parkedAt(carried, 'case')!;
    expect(sub.scope.vars).toEqual({ note: 'kept locally' });
    expect(sub.body).toEqual({ kind: 'subProcess' });
    expect(sub.boundaries).toEqual([expect.objectContaining({ id: 'withdrawn', occurrence: 1 })]);
    const inner = sub.scope.parked[0] as ParkedWait & { kind: 'activity' };
    expect(inner).toMatchObject({
      elementId: 'inner',
      scope: { vars: { depth: 2 } },
      body: { kind: 'subProcess' },
    });
    expect(inner.scope.parked[0]).toMatchObject({ elementId: 'check', body: { task: { id: task.id } } });

    await variable(h, id, 'count', 10);
    expect((await latestResume(id))!.runs).toBeGreaterThanOrEqual(1);
    expect((await taskOpen(h, id, 'check')).id).toBe(task.id);
    await publish(h, 'withdraw', caseNo, { reason: 'applicant withdrew' });
    const app = await ended(h, id);
    expect(app.status).toBe('rejected');
    expect(app.openTasks).toEqual([]);
    expect(app.variables).toMatchObject({ count: 10, reason: 'applicant withdrew' });
    expect(app.variables).not.toHaveProperty('note');

    const steps = (await trail(h, id)).map((r) => r.elementId);
    expect([count(steps, 'withdrawn'), count(steps, 'dropped'), count(steps, 'remind')]).toEqual([1, 1, 10]);
    expect(steps).not.toContain('check');
    expect(steps).not.toContain('case');
    expectSoundTrail(await trail(h, id));
  });

  it('a non-interrupting timer event sub-process keeps firing across runs while the main path waits', async () => {
    await deploy(
      h,
      b.bpmn(
        'nudged',
        b.start('s'),
        b.userTask('review'),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
        nudgeEventSubProcess('R/PT0.5S'),
      ),
    );
    const id = await startLong('nudged', { nudges: 0 }, 40);
    const task = await taskOpen(h, id, 'review');
    const carried = await runWhere(id, 'carrying the listener on', (r) =>
      (r.listeners ?? []).some((l) => l.id === 'nudge' && 'occurrence' in l && l.occurrence > 3),
    );
    expect(carried.runs).toBeGreaterThan(1);
    expect(parkedAt(carried, 'review')!.body).toMatchObject({ task: { id: task.id } });
    await until(`${id}: 8 nudges`, async () =>
      Number((await view(h, id)).variables?.nudges) >= 8 ? true : undefined,
    );
    expect((await taskOpen(h, id, 'review')).id).toBe(task.id);
    await complete(h, id, 'review');
    const app = await ended(h, id);
    expect(app.status).toBe('completed');

    const records = await trail(h, id);
    const steps = records.map((r) => r.elementId);
    expect(count(steps, 'ns')).toBe(app.variables?.nudges);
    expect(count(steps, 'count')).toBe(app.variables?.nudges);
    expect(count(steps, 'review')).toBe(1);
    expectSoundTrail(records);
  });

  it('multi-instance tasks, a receive task with a timer boundary and an event-based gateway carry over', async () => {
    await deploy(
      h,
      b.bpmn(
        'paperwork',
        b.start('s'),
        b.and('fork'),
        b.userTask('sign', 'clerks', {
          multi: {
            collection: '=signers',
            element: 'signer',
            outputCollection: 'signatures',
            outputElement: '=decision',
          },
        }),
        b.receiveTask('docs', 'docs', '=caseNo', { payload: { pages: 'number' } }),
        b.boundary('docs-late', 'docs', b.timer('duration', 'PT10M')),
        b.end('late', '', { outcome: 'rejected' }),
        b.eventGateway('choose'),
        b.catchEvent('paid', b.message('pay', '=caseNo', { payload: { paid: 'boolean' } })),
        b.catchEvent('unpaid', b.timer('duration', 'PT10M')),
        b.end('lapsed', '', { outcome: 'rejected' }),
        b.and('join'),
        b.end('e'),
        ...b.chain('s', 'fork', 'sign', 'join', 'e'),
        ...b.chain('fork', 'docs', 'choose', 'paid', 'join'),
        ...b.chain('choose', 'unpaid', 'lapsed'),
        b.flow('docs-late', 'late'),
        // Grows the history while everything else waits.
        nudgeEventSubProcess('R/PT0.3S'),
      ),
    );
    const caseNo = `P-${Date.now()}`;
    const id = await startLong('paperwork', { nudges: 0, caseNo, signers: ['ann', 'bo', 'cy'] }, 40);
    await taskOpen(h, id, 'sign');
    const first = await runWhere(id, 'carrying three signatures and the receive task', (r) => {
      const sign = parkedAt(r, 'sign')?.body;
      return sign?.kind === 'multiInstance' && sign.instances.length === 3 && !!parkedAt(r, 'docs');
    });
    const docs = parkedAt(first, 'docs')!;
    expect(docs.body).toMatchObject({ kind: 'receiveTask' });
    const late = docs.boundaries[0] as Armed & { dueAt: number };
    expect(late).toMatchObject({ id: 'docs-late', occurrence: 1 });
    const sign = parkedAt(first, 'sign')!.body as Extract<ParkedWait, { kind: 'activity' }>['body'] & {
      kind: 'multiInstance';
    };
    expect(sign.instances.map((i) => i.scope.vars)).toEqual([
      { signer: 'ann', loopCounter: 1 },
      { signer: 'bo', loopCounter: 2 },
      { signer: 'cy', loopCounter: 3 },
    ]);

    await complete(h, id, 'sign');
    const signed = await runWhere(id, 'carrying one signature done', (r) => {
      const body = parkedAt(r, 'sign')?.body;
      return body?.kind === 'multiInstance' && body.completed === 1 && body.instances.length === 2;
    });
    // The boundary timer keeps the due time it was armed with.
    expect(parkedAt(signed, 'docs')!.boundaries[0]).toEqual(late);

    await publish(h, 'docs', caseNo, { pages: 12 });
    const racing = await runWhere(id, 'carrying the event-based gateway', (r) =>
      r.parked.some((p) => p.kind === 'eventGateway'),
    );
    const gateway = racing.parked.find((p) => p.kind === 'eventGateway') as ParkedWait & {
      kind: 'eventGateway';
    };
    expect(Object.keys(gateway.dueAt)).toEqual(['unpaid']);
    await publish(h, 'pay', caseNo, { paid: true });
    await runWhere(id, 'carrying the join one branch reached', (r) => r.joins?.join === 1);

    await complete(h, id, 'sign');
    await complete(h, id, 'sign');
    const app = await ended(h, id);
    expect(app.status).toBe('completed');
    expect(app.variables).toMatchObject({
      pages: 12,
      paid: true,
      signatures: ['approve', 'approve', 'approve'],
    });
    const records = await trail(h, id);
    const steps = records.map((r) => r.elementId);
    expect([count(steps, 'sign'), count(steps, 'docs'), count(steps, 'paid')]).toEqual([3, 1, 1]);
    for (const never of ['late', 'docs-late', 'unpaid', 'lapsed']) expect(steps).not.toContain(never);
    expect(steps.at(-1)).toBe('e');
    expectSoundTrail(records);
  });

  it('a signal boundary stays subscribed across runs and fires in a later one', async () => {
    await deploy(
      h,
      b.bpmn(
        'noticed',
        b.start('s'),
        b.userTask('review'),
        b.boundary('notice', 'review', b.signal('registry-notice'), { interrupting: false }),
        b.scriptTask('note', '=notices + 1', 'notices'),
        b.end('noted'),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
        ...b.chain('notice', 'note', 'noted'),
        nudgeEventSubProcess('R/PT0.3S'),
      ),
    );
    const id = await startLong('noticed', { nudges: 0, notices: 0 }, 40);
    const task = await taskOpen(h, id, 'review');
    const first = await runWhere(
      id,
      'carrying the signal boundary',
      (r) => r.runs > 1 && !!parkedAt(r, 'review'),
    );
    expect(parkedAt(first, 'review')!.boundaries).toEqual([
      expect.objectContaining({ id: 'notice', occurrence: 1 }),
    ]);
    await new Promise((r) => setTimeout(r, 1500)); // visibility of the awaited signal
    const res = await h.request('POST', '/signals', {
      token: await tokens.clerk(['clerks']),
      json: { name: 'registry-notice' },
    });
    expect(res.status).toBe(202);
    await variable(h, id, 'notices', 1);
    await runWhere(id, 'listening for the next signal', (r) =>
      parkedAt(r, 'review')!.boundaries.some((x) => 'occurrence' in x && x.occurrence === 2),
    );
    expect((await taskOpen(h, id, 'review')).id).toBe(task.id);
    await complete(h, id, 'review');
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ notices: 1 });
    const records = await trail(h, id);
    const steps = records.map((r) => r.elementId);
    expect([count(steps, 'notice'), count(steps, 'note'), count(steps, 'review')]).toEqual([1, 1, 1]);
    expectSoundTrail(records);
  });
});
