// Claiming, giving back and assigning tasks through the real API and engine, each recorded on the
// ledger as a step of its own; the clerk's lists (assigned to me, unclaimed, completed by me).
// Groups, subs and process keys carry this run's suffix: other suites share the Temporal server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth.ts';
import { type Receipt, verifyReceipt } from '../../verifier/index.ts';
import { GovApplicant, GovProcessKey, GovStatus } from '../../workflows/search-attributes.ts';
import * as b from '../support/bpmn-builder.ts';
import { JWT_SECRET, startHarness, tokens, until, useHarness } from '../support/harness.ts';
import {
  deploy,
  ended,
  expectSoundTrail,
  start,
  taskOpen,
  trail,
  verify,
  view,
  waitUntil,
} from '../support/scenarios.ts';

// Keys of this run's own (receipts are verified against them), witnesses to co-sign checkpoints.
process.env.GOVFLOW_KEY_DIR = mkdtempSync(join(tmpdir(), 'govflow-keys-'));
delete process.env.GOVFLOW_LEDGER_KEY;
const h = useHarness(() => startHarness({ witnesses: ['LandRegistryMSP', 'TaxBureauMSP'] }));

const RUN = Math.random().toString(36).slice(2, 8);
const G = `claims-${RUN}`;
const OTHER = `other-${RUN}`;
const KEY = `claims-${RUN}`;
const ASSIGNED = `assigned-${RUN}`;
const LONG = `claims-long-${RUN}`;
const lin = `lin-${RUN}`;
const bob = `bob-${RUN}`;
const eve = `eve-${RUN}`;
const sue = `sue-${RUN}`;
/** The lists' clerk, who does nothing in the other tests. */
const ann = `ann-${RUN}`;

const clerk = (sub: string, groups = [G]) => tokens.clerk(groups, sub);
/** A supervisor of `supervises`, in no group itself. */
const supervisor = (sub: string, supervises = [G]) =>
  signToken(JWT_SECRET, { sub, role: 'clerk', groups: [], supervises });

const reviewTask = (id: string, assignment: string) =>
  `<bpmn:userTask id="${id}" name="Review ${id}" govflow:decisions="approve,reject"><bpmn:extensionElements><zeebe:assignmentDefinition ${assignment} /></bpmn:extensionElements></bpmn:userTask>`;

let deployed: Promise<unknown> | undefined;
/** The models, deployed once: a group's review; tasks the model assigns; a long-running one. */
function models() {
  deployed ??= (async () => {
    await deploy(
      h,
      b.bpmn(
        KEY,
        b.start('s'),
        reviewTask('review', `candidateGroups="${G}"`),
        b.end('e'),
        ...b.chain('s', 'review', 'e'),
      ),
    );
    await deploy(
      h,
      b.bpmn(
        ASSIGNED,
        b.start('s'),
        reviewTask('fixed', `assignee="${bob}" candidateGroups="${G}"`),
        reviewTask('solo', `assignee="${bob}"`),
        b.end('e'),
        ...b.chain('s', 'fixed', 'solo', 'e'),
      ),
    );
    // A review stays open while reminders in the other branch grow the history past its limit.
    await deploy(
      h,
      b.bpmn(
        LONG,
        b.start('s'),
        reviewTask('first', `candidateGroups="${G}"`),
        b.and('fork'),
        reviewTask('review', `candidateGroups="${G}"`),
        b.scriptTask('remind', '=count + 1', 'count'),
        b.catchEvent('pause', b.timer('duration', 'PT0.2S')),
        b.xor('more', 'more-join'),
        b.and('join'),
        b.end('e'),
        ...b.chain('s', 'first', 'fork', 'review', 'join', 'e'),
        ...b.chain('fork', 'remind', 'pause', 'more'),
        b.flow('more', 'remind', '=count < 15'),
        b.flow('more', 'join', undefined, 'more-join'),
      ),
    );
  })();
  return deployed;
}

interface TaskView {
  id: string;
  applicationId: string;
  processKey: string;
  elementId: string;
  elementInstanceId: string;
  assignee?: string;
  claimedAt?: string;
  createdAt: string;
}

interface Answer {
  status: number;
  body: {
    task: TaskView;
    txId: string | null;
    recordHash: string | null;
    title?: string;
    detail?: string;
    assignee?: string;
  };
}

async function post(taskId: string, action: string, token: string, json?: unknown): Promise<Answer> {
  const res = await h.request('POST', `/tasks/${taskId}/${action}`, { token, json });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const claim = (taskId: string, token: string) => post(taskId, 'claim', token);
const unclaim = (taskId: string, token: string) => post(taskId, 'unclaim', token);
const assign = (taskId: string, token: string, user: string) => post(taskId, 'assign', token, { user });
const completeAs = (taskId: string, token: string, decision = 'approve') =>
  post(taskId, 'complete', token, { decision });

async function openReview(processKey = KEY, elementId = 'review') {
  await models();
  const id = await start(h, processKey);
  return { id, task: (await taskOpen(h, id, elementId)) as unknown as TaskView };
}

/** The records of the task's claims, unclaims and assignments: [element instance, actor, decision]. */
async function actionsOf(applicationId: string, task: TaskView) {
  return (await trail(h, applicationId))
    .filter((r) => r.elementInstanceId.startsWith(`${task.elementInstanceId}/`))
    .map((r) => [r.elementInstanceId, r.actor, r.decision]);
}

async function list(path: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await h.request('GET', path, { token });
  return { status: res.status, body: await res.json() };
}

/** Polls a list (visibility is eventually consistent) until `expected` holds of its ids. */
function listed(path: string, token: string, ids: (body: unknown) => string[], expected: string[]) {
  return until(`${path} to list ${expected.join(', ')}`, async () => {
    const { status, body } = await list(path, token);
    expect(status).toBe(200);
    const got = ids(body);
    return JSON.stringify(got) === JSON.stringify(expected) ? body : undefined;
  });
}

const taskIds = (body: unknown) => (body as TaskView[]).map((t) => t.id);

describe('claiming a task', () => {
  it('gives it to the clerk, once: the same claim again is the same answer; anyone else is 409 or 403', async () => {
    const { id, task } = await openReview();
    expect(task.assignee).toBeUndefined();

    const first = await claim(task.id, await clerk(lin));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.task).toMatchObject({ id: task.id, assignee: lin });
    expect(first.body.task.claimedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(first.body.txId).toEqual(expect.any(String));
    expect(first.body.recordHash).toMatch(/^[0-9a-f]{64}$/);

    const again = await claim(task.id, await clerk(lin));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const taken = await claim(task.id, await clerk(bob));
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ title: 'TaskClaimed', assignee: lin });
    expect(taken.body.detail).toContain(`claimed by ${lin}`);

    expect((await claim(task.id, await clerk(eve, [OTHER]))).status).toBe(403);
    expect((await claim(`${id}.999`, await clerk(lin))).status).toBe(404);
    expect((await claim('no-such-task', await clerk(lin))).status).toBe(404);
    expect((await claim('app-0000000000000000.2', await clerk(lin))).status).toBe(404);
    expect((await claim(task.id, await tokens.applicant())).status).toBe(403);

    // one record, of its own step, however often it was claimed
    expect(await actionsOf(id, task)).toEqual([
      [`${task.elementInstanceId}/claimed#1`, `user:${lin}`, 'claimed'],
    ]);
    expect((await view(h, id)).openTasks[0]).toMatchObject({ id: task.id, assignee: lin });
    expect((await completeAs(task.id, await clerk(lin))).status).toBe(200);
    await ended(h, id);
    expect(await verify(h, id)).toMatchObject({ valid: true, problems: [] });
  });

  it('lets only the assignee complete a claimed task: anyone else is 409 and nothing is written', async () => {
    const { id, task } = await openReview();
    expect((await claim(task.id, await clerk(lin))).status).toBe(200);
    const before = await trail(h, id);

    const other = await completeAs(task.id, await clerk(bob));
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ title: 'TaskClaimed', assignee: lin });
    expect(other.body.detail).toContain(`claimed by ${lin}`);
    expect(await trail(h, id)).toEqual(before);
    expect((await view(h, id)).openTasks.map((t) => t.id)).toEqual([task.id]);

    expect((await completeAs(task.id, await clerk(lin))).status).toBe(200);
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ decision: 'approve', decidedBy: `user:${lin}` });
    const records = await trail(h, id);
    expect(records.map((r) => [r.elementInstanceId, r.actor, r.decision])).toEqual([
      [expect.stringMatching(/^s#/), 'user:zhang.wei', expect.any(String)],
      [`${task.elementInstanceId}/claimed#1`, `user:${lin}`, 'claimed'],
      [task.elementInstanceId, `user:${lin}`, 'approve'],
      [expect.stringMatching(/^e#/), 'engine', 'completed'],
    ]);
    expectSoundTrail(records);
    expect(await verify(h, id)).toMatchObject({ valid: true, records: 4, problems: [] });

    // the applicant's receipt holds the claim's record too, and verifies offline
    const receipt = await until('a witnessed receipt', async () => {
      const res = await h.request('GET', `/applications/${id}/receipt`, { token: await tokens.applicant() });
      return res.status === 200 ? ((await res.json()) as Receipt) : undefined;
    });
    expect(receipt.records.map((r) => r.record.decision)).toContain('claimed');
    const keys = await (await h.request('GET', '/.well-known/govflow-ledger.json')).json();
    const report = await verifyReceipt(receipt, keys);
    expect(report.checks.filter((c) => c.status !== 'valid')).toEqual([]);
    expect(report.valid).toBe(true);
  });
});

describe('claims at the same time', () => {
  it('give the task to one clerk: the other is 409, and one claim is recorded', async () => {
    const { id, task } = await openReview();
    // Two clerks of this test alone: whichever wins completes the task, and other tests count
    // what lin and bob completed.
    const [kim, ola] = [`kim-${RUN}`, `ola-${RUN}`];
    const answers = await Promise.all([claim(task.id, await clerk(kim)), claim(task.id, await clerk(ola))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.task.assignee;
    expect(answers.find((a) => a.status === 409)!.body.assignee).toBe(winner);
    expect(await actionsOf(id, task)).toEqual([
      [`${task.elementInstanceId}/claimed#1`, `user:${winner}`, 'claimed'],
    ]);

    await completeAs(task.id, await clerk(winner!));
    await ended(h, id);
  });

  it('hold a task while the claim is being recorded: the completion waits and goes after it', async () => {
    const { id, task } = await openReview();
    process.env.GOVFLOW_DELAY_RECORD = 'review/claimed:1500';
    try {
      const claimed = claim(task.id, await clerk(lin));
      await waitUntil(h, id, 'the task held', (a) => a.openTasks[0]?.assignee === lin);
      expect((await claim(task.id, await clerk(bob))).status).toBe(409);
      const completed = await completeAs(task.id, await clerk(lin));
      expect(completed.status).toBe(200);
      expect((await claimed).status).toBe(200);
    } finally {
      delete process.env.GOVFLOW_DELAY_RECORD;
    }
    await ended(h, id);
    expect((await trail(h, id)).map((r) => [r.elementInstanceId, r.decision]).slice(1, 3)).toEqual([
      [`${task.elementInstanceId}/claimed#1`, 'claimed'],
      [task.elementInstanceId, 'approve'],
    ]);
    expect(await verify(h, id)).toMatchObject({ valid: true, problems: [] });
  });
});

describe('giving a task back', () => {
  it('is for its assignee or a supervisor of its group; a task nobody holds is 409', async () => {
    const { id, task } = await openReview();
    const notClaimed = await unclaim(task.id, await clerk(lin));
    expect(notClaimed.status).toBe(409);
    expect(notClaimed.body.title).toBe('TaskNotClaimed');

    expect((await claim(task.id, await clerk(lin))).status).toBe(200);
    expect((await unclaim(task.id, await clerk(bob))).status).toBe(403);
    expect((await unclaim(task.id, await clerk(eve, [OTHER]))).status).toBe(403);
    expect((await unclaim(task.id, await supervisor(sue, [OTHER]))).status).toBe(403);

    const back = await unclaim(task.id, await clerk(lin));
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.task.assignee).toBeUndefined();
    expect(back.body.task.claimedAt).toBeUndefined();
    expect(back.body.recordHash).toMatch(/^[0-9a-f]{64}$/);

    // given back, another clerk takes it, and a supervisor of the group takes it back from them
    expect((await claim(task.id, await clerk(bob))).body.task.assignee).toBe(bob);
    const bySupervisor = await unclaim(task.id, await supervisor(sue));
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.task.assignee).toBeUndefined();

    const base = task.elementInstanceId;
    expect(await actionsOf(id, task)).toEqual([
      [`${base}/claimed#1`, `user:${lin}`, 'claimed'],
      [`${base}/unclaimed#2`, `user:${lin}`, 'unclaimed'],
      [`${base}/claimed#3`, `user:${bob}`, 'claimed'],
      [`${base}/unclaimed#4`, `user:${sue}`, 'unclaimed'],
    ]);
    expect((await completeAs(task.id, await clerk(lin))).status).toBe(200);
    await ended(h, id);
    expectSoundTrail(await trail(h, id));
    expect(await verify(h, id)).toMatchObject({ valid: true, problems: [] });
  });
});

describe('assigning a task', () => {
  it("is for supervisors of one of the task's groups, to a plain user, whoever holds it", async () => {
    const { id, task } = await openReview();
    const notSupervisor = await assign(task.id, await clerk(lin), bob);
    expect(notSupervisor.status).toBe(403);
    expect(notSupervisor.body.title).toBe('NotSupervisor');
    expect((await assign(task.id, await supervisor(sue, [OTHER]), bob)).status).toBe(403);
    expect((await assign(task.id, await supervisor(sue), 'user:x')).status).toBe(422);
    expect((await assign(task.id, await supervisor(sue), '')).status).toBe(422);

    const given = await assign(task.id, await supervisor(sue), bob);
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    expect(given.body.task.assignee).toBe(bob);
    const again = await assign(task.id, await supervisor(sue), bob);
    expect(again.status).toBe(200);
    expect(again.body.txId).toBe(given.body.txId);

    const taken = await claim(task.id, await clerk(lin));
    expect(taken.status).toBe(409);
    expect(taken.body.assignee).toBe(bob);
    // the supervisor moves it on: now only lin completes it
    expect((await assign(task.id, await supervisor(sue), lin)).body.task.assignee).toBe(lin);
    expect((await completeAs(task.id, await clerk(bob))).status).toBe(409);
    expect((await completeAs(task.id, await clerk(lin))).status).toBe(200);
    await ended(h, id);

    const base = task.elementInstanceId;
    expect(await actionsOf(id, task)).toEqual([
      [`${base}/assigned#1`, `user:${sue}`, 'assigned'],
      [`${base}/assigned#2`, `user:${sue}`, 'assigned'],
    ]);
    const records = await trail(h, id);
    expect(records.find((r) => r.elementInstanceId === base)).toMatchObject({
      actor: `user:${lin}`,
      decision: 'approve',
    });
    expect(await verify(h, id)).toMatchObject({ valid: true, problems: [] });
  });

  it('refuses a token whose supervises names something other than a group (401)', async () => {
    const token = await signToken(JWT_SECRET, {
      sub: sue,
      role: 'clerk',
      groups: [],
      supervises: ["x' OR GovStatus = 'running"],
    });
    const res = await h.request('GET', `/tasks?group=${G}`, { token });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toContain('supervises.0: not a group name');
  });
});

describe('a task the model assigns', () => {
  it("is held by the model's assignee: nobody else claims or completes it until it is given back", async () => {
    const { id, task } = await openReview(ASSIGNED, 'fixed');
    expect(task.assignee).toBe(bob);
    expect(task.claimedAt).toBeUndefined();
    expect((await claim(task.id, await clerk(lin))).status).toBe(409);
    expect((await completeAs(task.id, await clerk(lin))).status).toBe(409);

    // claiming what the model gave you records nothing
    const held = await claim(task.id, await clerk(bob, []));
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ task: { assignee: bob }, txId: null, recordHash: null });
    expect(await actionsOf(id, task)).toEqual([]);

    expect((await unclaim(task.id, await clerk(bob, []))).status).toBe(200);
    // given back, it is for the group: bob, in no group, may no longer take it
    expect((await claim(task.id, await clerk(bob, []))).status).toBe(403);
    expect((await claim(task.id, await clerk(lin))).status).toBe(200);
    expect((await completeAs(task.id, await clerk(lin))).status).toBe(200);

    // with no candidates, giving it back would leave it to nobody
    const solo = (await taskOpen(h, id, 'solo')) as unknown as TaskView;
    const stuck = await unclaim(solo.id, await clerk(bob, []));
    expect(stuck.status).toBe(409);
    expect(stuck.body.title).toBe('TaskHasNoCandidates');
    expect((await claim(solo.id, await clerk(lin))).status).toBe(403);
    expect((await completeAs(solo.id, await clerk(bob, []))).status).toBe(200);
    await ended(h, id);
    expect(await verify(h, id)).toMatchObject({ valid: true, problems: [] });
  });
});

describe("the clerk's lists", () => {
  it('lists the tasks assigned to me, the unclaimed tasks of a group and the tasks I completed', async () => {
    const a1 = await openReview();
    const a2 = await openReview();
    const a3 = await openReview();
    const fixed = await openReview(ASSIGNED, 'fixed');
    const me = await clerk(ann);
    expect((await claim(a1.task.id, me)).status).toBe(200);
    expect((await claim(a3.task.id, await clerk(bob))).status).toBe(200);

    const mine = (await listed('/tasks?assignee=me', me, taskIds, [a1.task.id])) as TaskView[];
    expect(mine[0]).toMatchObject({ applicationId: a1.id, processKey: KEY, assignee: ann });
    expect(mine[0].createdAt).toMatch(/^\d{4}-/);
    await listed(`/tasks?group=${G}&unassigned=true`, me, taskIds, [a2.task.id]);
    await listed(`/tasks?group=${G}`, me, taskIds, [a1.task.id, a2.task.id, a3.task.id, fixed.task.id]);
    await listed(`/tasks?group=${G}&processKey=${ASSIGNED}`, me, taskIds, [fixed.task.id]);
    await listed(`/tasks?assignee=me&processKey=${ASSIGNED}`, await clerk(bob), taskIds, [fixed.task.id]);
    await listed(`/tasks?assignee=me`, await clerk(bob), taskIds, [a3.task.id, fixed.task.id]);
    // a supervisor sees the inbox of the group it supervises
    await listed(`/tasks?group=${G}&unassigned=true`, await supervisor(sue), taskIds, [a2.task.id]);

    expect((await completeAs(a1.task.id, me)).status).toBe(200);
    expect((await claim(a2.task.id, me)).status).toBe(200);
    expect((await completeAs(a2.task.id, me, 'reject')).status).toBe(200);
    expect((await completeAs(a3.task.id, await clerk(bob))).status).toBe(200);
    await listed('/tasks?assignee=me', me, taskIds, []);

    const completedIds = (body: unknown) => (body as { taskId: string }[]).map((t) => t.taskId);
    const done = (await listed('/tasks/completed', me, completedIds, [a2.task.id, a1.task.id])) as {
      completedAt: string;
    }[];
    expect(done[0]).toEqual({
      taskId: a2.task.id,
      applicationId: a2.id,
      processKey: KEY,
      elementId: 'review',
      elementInstanceId: a2.task.elementInstanceId,
      name: 'Review review',
      decision: 'reject',
      completedBy: ann,
      completedAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(done[0].completedAt >= done[1].completedAt).toBe(true);
    // bob completed the model's solo task above too
    await listed(`/tasks/completed?processKey=${KEY}`, await clerk(bob), completedIds, [a3.task.id]);
    await listed(`/tasks/completed?processKey=${ASSIGNED}`, me, completedIds, []);
    await listed('/tasks/completed?limit=1', me, completedIds, [a2.task.id]);
  });

  it('refuses lists it cannot answer: no group nor assignee, unassigned without a group, another group', async () => {
    const me = await clerk(lin);
    expect((await list('/tasks', me)).status).toBe(422);
    expect((await list('/tasks?unassigned=true', me)).status).toBe(422);
    expect((await list('/tasks?assignee=me&unassigned=true', me)).status).toBe(422);
    expect((await list(`/tasks?assignee=${bob}`, me)).status).toBe(422);
    expect((await list(`/tasks?group=${G}&processKey=a'b`, me)).status).toBe(422);
    expect((await list(`/tasks?group=${OTHER}`, me)).status).toBe(403);
    expect((await list('/tasks/completed', await tokens.auditor())).status).toBe(403);
    const quoted = await signToken(JWT_SECRET, { sub: "o'brien", role: 'clerk', groups: [G] });
    expect((await list('/tasks/completed', quoted)).status).toBe(422);
  });
});

describe('claims across continue-as-new', () => {
  it('carry the assignee, the numbering of claim records and the completed list into new runs', async () => {
    await models();
    const { model } = h.services.definitions.get(LONG)!;
    const id = `app-${Date.now().toString(16).padStart(16, '0')}`;
    // Started through the client to set a small history limit; the API leaves the default.
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
    const me = await clerk(lin);
    const first = (await taskOpen(h, id, 'first')) as unknown as TaskView;
    expect((await completeAs(first.id, me)).status).toBe(200);
    const review = (await taskOpen(h, id, 'review')) as unknown as TaskView;
    expect((await claim(review.id, me)).status).toBe(200);

    // a run that took over the review as claimed, and the completion of `first`
    await until('a run that took the claimed review over', async () => {
      const resume = await latestResume(id);
      const parked = resume?.parked.find((p) => p.elementId === 'review');
      return parked?.body?.task?.assignee === lin && resume?.tasks?.completed.length === 1 ? true : undefined;
    });
    expect((await completeAs(review.id, await clerk(bob))).status).toBe(409);
    await listed('/tasks?assignee=me', me, taskIds, [review.id]);
    const completedIds = (body: unknown) => (body as { taskId: string }[]).map((t) => t.taskId);
    await listed(`/tasks/completed?processKey=${LONG}`, me, completedIds, [first.id]);

    expect((await unclaim(review.id, me)).status).toBe(200);
    expect((await claim(review.id, me)).status).toBe(200);
    expect((await completeAs(review.id, me)).status).toBe(200);
    const app = await ended(h, id, 60_000);
    expect(app.status).toBe('completed');
    expect(await actionsOf(id, review)).toEqual([
      [`${review.elementInstanceId}/claimed#1`, `user:${lin}`, 'claimed'],
      [`${review.elementInstanceId}/unclaimed#2`, `user:${lin}`, 'unclaimed'],
      [`${review.elementInstanceId}/claimed#3`, `user:${lin}`, 'claimed'],
    ]);
    expectSoundTrail(await trail(h, id));
    await listed(`/tasks/completed?processKey=${LONG}`, me, completedIds, [review.id, first.id]);
  });
});

/** The `resume` input of the application's latest run (absent on the first run). */
async function latestResume(id: string) {
  const history = await h.services.temporal.workflow.getHandle(id).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  const input = payload ? JSON.parse(Buffer.from(payload).toString()) : {};
  return input.resume as
    | {
        parked: { elementId: string; body?: { task?: { assignee?: string } } }[];
        tasks?: { completed: unknown[]; actions: number };
      }
    | undefined;
}
