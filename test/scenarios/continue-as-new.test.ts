// A long application continues as new before its history grows too long; its variables, timers
// and open task carry over, and its trail stays one unbroken chain.
import { describe, expect, it } from 'vitest';
import { GovApplicant, GovProcessKey, GovStatus } from '../../workflows/search-attributes.ts';
import * as b from '../support/bpmn-builder.ts';
import { until, useHarness } from '../support/harness.ts';
import { complete, deploy, ended, expectSoundTrail, taskOpen, trail, view } from '../support/scenarios.ts';

const h = useHarness();

/** The `resume` input of the application's latest run (absent on the first run). */
async function latestResume(id: string) {
  const history = await h.services.temporal.workflow.getHandle(id).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  const input = payload ? JSON.parse(Buffer.from(payload).toString()) : {};
  return input.resume as { runs: number; parked: { kind: string; elementId: string }[] } | undefined;
}

describe('continue-as-new', () => {
  it('carries variables, waiting timers and an open task into new runs', async () => {
    // The clerk's task stays open in one branch while reminders in the other grow the history.
    await deploy(
      h,
      b.bpmn(
        'reminders',
        b.start('s'),
        b.and('fork'),
        b.userTask('review'),
        b.scriptTask('remind', '=count + 1', 'count'),
        b.catchEvent('pause', b.timer('duration', 'PT0.2S')),
        b.xor('more', 'more-join'),
        b.and('join'),
        b.end('e'),
        ...b.chain('s', 'fork', 'review', 'join', 'e'),
        ...b.chain('fork', 'remind', 'pause', 'more'),
        b.flow('more', 'remind', '=count < 12'),
        b.flow('more', 'join', undefined, 'more-join'),
      ),
    );
    const { model } = h.services.definitions.get('reminders')!;
    const id = `app-${Date.now().toString(16).padStart(16, '0')}`;
    // Started through the client to set a small history limit; the API leaves the default (10,000 events).
    await h.services.temporal.workflow.start('applicationWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: id,
      args: [{ applicationId: id, model, data: { count: 0 }, submittedBy: 'zhang.wei', historyLimit: 60 }],
      memo: { processKey: model.key, version: model.version, definitionHash: model.hash },
      typedSearchAttributes: [
        { key: GovProcessKey, value: model.key },
        { key: GovStatus, value: 'running' },
        { key: GovApplicant, value: 'zhang.wei' },
      ],
    });
    const task = await taskOpen(h, id, 'review');
    const resumed = await until('a run that took the open task over', async () => {
      const resume = await latestResume(id);
      return resume?.parked.some((p) => p.kind === 'activity' && p.elementId === 'review')
        ? resume
        : undefined;
    });
    expect(resumed.parked.map((p) => p.elementId).sort()).toEqual(['pause', 'review']);
    await until('the reminders to finish', async () =>
      (await view(h, id)).variables?.count === 12 ? true : undefined,
    );
    expect((await latestResume(id))!.runs).toBeGreaterThan(1);
    expect((await taskOpen(h, id, 'review')).id).toBe(task.id);

    await complete(h, id, 'review');
    const app = await ended(h, id);
    expect(app.status).toBe('completed');
    expect(app.variables).toMatchObject({ count: 12, decision: 'approve' });
    const records = await trail(h, id);
    const steps = records.map((r) => r.elementId);
    expect(steps.filter((e) => e === 'remind')).toHaveLength(12);
    expect(steps.filter((e) => e === 'pause')).toHaveLength(12);
    expect(steps.filter((e) => e === 'review')).toHaveLength(1);
    expect([steps[0], steps.at(-1)]).toEqual(['s', 'e']);
    expectSoundTrail(records);
  });
});
