// Message correlation and signals end to end: the API publishes, mailbox workflows buffer and
// deliver, the reference subscribers (workflows/message-probe.ts) receive — on the real dev server.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { messageActivities } from '../../activities/messages.ts';
import { signToken } from '../../api/auth.ts';
import { mailboxQuery } from '../../workflows/message-mailbox.ts';
import { messageProbeWorkflow, signalProbeWorkflow } from '../../workflows/message-probe.ts';
import { mailboxWorkflowId } from '../../workflows/messages.ts';
import * as b from '../support/bpmn-builder.ts';
import { JWT_SECRET, tokens, until, useHarness, workflowBundle } from '../support/harness.ts';
import { deploy } from '../support/scenarios.ts';

const h = useHarness();

const department = () => signToken(JWT_SECRET, { sub: 'tax-bureau', role: 'department', groups: [] });
/** A fresh correlation key per test, so tests never share a mailbox. */
const key = () => `case-${randomUUID().slice(0, 8)}`;

/** Deploys a model that catches the event and declares what it carries, so the API lets it through. */
async function declare(processKey: string, trigger: string) {
  await deploy(
    h,
    b.bpmn(processKey, b.start('s'), b.catchEvent('c', trigger), b.end('e'), ...b.chain('s', 'c', 'e')),
  );
}

/** Every mailbox and probe the tests used, replayed at the end. */
const used = new Set<string>();

async function publish(body: Record<string, unknown>, token?: string) {
  return h.request('POST', '/messages', { token: token ?? (await department()), json: body });
}

async function published(body: Record<string, unknown>): Promise<{ messageId: string }> {
  const res = await publish(body);
  expect(res.status, await res.clone().text()).toBe(202);
  return (await res.json()) as { messageId: string };
}

function probe(
  name: string,
  correlationKey: string,
  opts: { timeoutMs?: number; unsubscribeAfterMs?: number } = {},
) {
  const workflowId = `probe-${randomUUID()}`;
  used.add(workflowId).add(mailboxWorkflowId(name, correlationKey));
  return h.services.temporal.workflow.start(messageProbeWorkflow, {
    taskQueue: h.taskQueue,
    workflowId,
    args: [{ name, correlationKey, timeoutMs: opts.timeoutMs ?? 20_000, ...opts }],
  });
}

function mailbox(name: string, correlationKey: string) {
  used.add(mailboxWorkflowId(name, correlationKey));
  return h.services.temporal.workflow.getHandle(mailboxWorkflowId(name, correlationKey)).query(mailboxQuery);
}

/** Waits until the mailbox holds what `check` looks for (signals are processed asynchronously). */
function mailboxWhere(
  name: string,
  correlationKey: string,
  what: string,
  check: (m: Awaited<ReturnType<typeof mailbox>>) => boolean,
) {
  return until(what, async () => {
    const state = await mailbox(name, correlationKey);
    return check(state) ? state : undefined;
  });
}

async function subscribed(name: string, correlationKey: string, ...probes: WorkflowHandle[]) {
  await mailboxWhere(name, correlationKey, 'the probes subscribed', (m) =>
    probes.every((p) => m.subscribers.some((s) => s.workflowId === p.workflowId)),
  );
}

describe('message correlation', () => {
  it('delivers a message to the workflow waiting for its name and correlation key', async () => {
    await declare('pays', b.message('payment-confirmed', '=caseNo', { payload: { amount: 'number' } }));
    const k = key();
    const waiting = await probe('payment-confirmed', k);
    const other = await probe('payment-confirmed', key(), { timeoutMs: 3000 });
    await subscribed('payment-confirmed', k, waiting);
    const { messageId } = await published({
      name: 'payment-confirmed',
      correlationKey: k,
      variables: { amount: 120 },
    });
    expect(await waiting.result()).toEqual([
      {
        subscriptionId: 'probe',
        messageId,
        name: 'payment-confirmed',
        correlationKey: k,
        variables: { amount: 120 },
      },
    ]);
    expect(await other.result()).toEqual([]); // another key: not correlated
  });

  it('buffers a message until a subscriber comes, oldest first', async () => {
    const k = key();
    const first = await published({ name: 'documents-supplied', correlationKey: k, timeToLive: 'PT1H' });
    const second = await published({ name: 'documents-supplied', correlationKey: k, timeToLive: 3_600_000 });
    await mailboxWhere('documents-supplied', k, 'two buffered messages', (m) => m.buffered.length === 2);

    const early = await (await probe('documents-supplied', k)).result();
    expect(early.map((m) => m.messageId)).toEqual([first.messageId]);
    const late = await (await probe('documents-supplied', k)).result();
    expect(late.map((m) => m.messageId)).toEqual([second.messageId]);
    expect((await mailbox('documents-supplied', k)).buffered).toEqual([]);
  });

  it('forgets a buffered message when its time to live ends', async () => {
    const k = key();
    await published({ name: 'documents-supplied', correlationKey: k, timeToLive: 'PT1S' });
    await mailboxWhere('documents-supplied', k, 'the message buffered', (m) => m.buffered.length === 1);
    await mailboxWhere('documents-supplied', k, 'the message expired', (m) => m.buffered.length === 0);
    expect(await (await probe('documents-supplied', k, { timeoutMs: 1500 })).result()).toEqual([]);
  });

  it('does not buffer a message with time to live 0', async () => {
    const k = key();
    await published({ name: 'documents-supplied', correlationKey: k, timeToLive: 0, messageId: 'ttl-zero' });
    await mailboxWhere('documents-supplied', k, 'the id remembered', (m) => 'ttl-zero' in m.seenMessages);
    expect((await mailbox('documents-supplied', k)).buffered).toEqual([]);
    expect(await (await probe('documents-supplied', k, { timeoutMs: 1500 })).result()).toEqual([]);
  });

  it('ignores a repeated message id, buffered or delivered', async () => {
    const k = key();
    const body = { name: 'fee-paid', correlationKey: k, timeToLive: 'PT1H', messageId: `pay-${k}` };
    expect(await published(body)).toEqual({ messageId: `pay-${k}`, startedApplications: [] });
    await published(body);
    await mailboxWhere('fee-paid', k, 'the message buffered', (m) => m.buffered.length === 1);
    expect((await (await probe('fee-paid', k)).result()).map((m) => m.messageId)).toEqual([`pay-${k}`]);
    // Delivered now; the same id again is still a repeat, so nothing is buffered for a later subscriber.
    await published(body);
    expect(await (await probe('fee-paid', k, { timeoutMs: 2000 })).result()).toEqual([]);
  });

  it('delivers one message to every waiting workflow, once each', async () => {
    const k = key();
    const [a, b] = [await probe('registry-updated', k), await probe('registry-updated', k)];
    await subscribed('registry-updated', k, a, b);
    const { messageId } = await published({
      name: 'registry-updated',
      correlationKey: k,
      timeToLive: 'PT1H',
    });
    for (const got of [await a.result(), await b.result()]) {
      expect(got.map((m) => m.messageId)).toEqual([messageId]);
    }
    expect((await mailbox('registry-updated', k)).buffered).toEqual([]);
  });

  it('stops delivering to a workflow that unsubscribed, and keeps the message for others', async () => {
    const k = key();
    const quitter = await probe('fee-paid', k, { unsubscribeAfterMs: 200, timeoutMs: 4000 });
    await subscribed('fee-paid', k, quitter);
    await mailboxWhere('fee-paid', k, 'the unsubscribe', (m) => m.subscribers.length === 0);
    await published({ name: 'fee-paid', correlationKey: k, timeToLive: 'PT1H' });
    await mailboxWhere('fee-paid', k, 'the message buffered', (m) => m.buffered.length === 1);
    expect(await quitter.result()).toEqual([]);
  });
});

describe('a busy mailbox', () => {
  it('continues as new when its history grows, keeping buffered messages and known ids', async () => {
    const k = key();
    const { messageId } = await published({ name: 'meter-read', correlationKey: k, timeToLive: 'PT1H' });
    const handle = h.services.temporal.workflow.getHandle(mailboxWorkflowId('meter-read', k));
    const { runId: firstRun } = await handle.describe();
    const messaging = messageActivities(h.services.temporal, h.taskQueue);
    // Messages nobody waits for (time to live 0) only add history, until the mailbox continues as new.
    // A continue-as-new is refused while new signals keep arriving, so under load it may take a few
    // more batches before a gap lets it through: bounded by time, not by count.
    const deadline = Date.now() + 90_000;
    for (let batch = 0; (await handle.describe()).runId === firstRun; batch++) {
      expect(Date.now(), `no continue-as-new after ${batch * 20} publishes in 90 s`).toBeLessThan(deadline);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          messaging.publishMessage({
            name: 'meter-read',
            correlationKey: k,
            messageId: `flood-${batch}-${i}`,
          }),
        ),
      );
    }
    // A repeat of the buffered message's id is still known; the marker shows both were handled.
    await published({ name: 'meter-read', correlationKey: k, timeToLive: 'PT1H', messageId });
    await published({ name: 'meter-read', correlationKey: k, timeToLive: 0, messageId: 'marker' });
    const state = await mailboxWhere('meter-read', k, 'the marker', (m) => 'marker' in m.seenMessages);
    expect('flood-0-0' in state.seenMessages).toBe(true);
    expect(state.buffered.map((b) => b.message.messageId)).toEqual([messageId]);
    expect((await (await probe('meter-read', k)).result()).map((m) => m.messageId)).toEqual([messageId]);
  }, 150_000);
});

describe('signals', () => {
  it('reaches every workflow waiting for the signal', async () => {
    const name = `registry-reopened-${key()}`;
    await declare('reopens', b.signal(name, { payload: { reason: 'string' } }));
    const waiting = await h.services.temporal.workflow.start(signalProbeWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: `signal-probe-${randomUUID()}`,
      args: [{ name, timeoutMs: 30_000 }],
    });
    // A broadcast is a visibility query: wait until the waiting workflow is visible.
    const query = `GovAwaitingSignals = '${name}' AND ExecutionStatus = 'Running'`;
    await until('the waiting workflow visible', async () => {
      for await (const _ of h.services.temporal.workflow.list({ query })) return true;
      return undefined;
    });
    const res = await h.request('POST', '/signals', {
      token: await tokens.clerk(),
      json: { name, variables: { reason: 'audit' } },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ delivered: 1, startedApplications: [] });
    expect(await waiting.result()).toEqual({ name, variables: { reason: 'audit' } });
  });
});

describe('message start events', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:govflow="http://govflow.dev/schema/1.0" id="defs" targetNamespace="http://govflow.test">
  <bpmn:message id="Msg" name="permit-requested" govflow:publishers="applicant"><bpmn:extensionElements><govflow:payloadField id="site" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="permit-by-message" isExecutable="true">
    <bpmn:startEvent id="requested"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="requested" targetRef="done" />
    <bpmn:endEvent id="done"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

  it('starts an application of a process whose start event waits for that message, once per message id', async () => {
    const deploy = await h.request('POST', '/definitions', {
      token: await tokens.designer(),
      body: xml,
      headers: { 'content-type': 'application/xml' },
    });
    expect(deploy.status, await deploy.clone().text()).toBe(201);
    const body = {
      name: 'permit-requested',
      correlationKey: key(),
      variables: { site: 'P-7' },
      messageId: `req-${key()}`,
    };
    const res = await publish(body, await tokens.applicant());
    expect(res.status).toBe(202);
    const { startedApplications } = (await res.json()) as { startedApplications: string[] };
    expect(startedApplications).toEqual([expect.stringMatching(/^app-[0-9a-f]{16}$/)]);
    const started = await h.services.temporal.workflow.getHandle(startedApplications[0]).describe();
    expect(started.type).toBe('applicationWorkflow');
    expect(started.memo).toMatchObject({ processKey: 'permit-by-message', version: 1 });

    // A retried publish (same message id) does not start a second application.
    const again = await publish(body, await tokens.applicant());
    expect(await again.json()).toMatchObject({ startedApplications });
    // Such a process has no start event for plain submissions.
    const submit = await h.request('POST', '/applications', {
      token: await tokens.applicant(),
      json: { processKey: 'permit-by-message', data: {} },
    });
    expect(submit.status).toBe(422);
    expect(await submit.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'processKey' })] });
  });
});

describe('determinism', () => {
  it('replays the recorded histories of the mailboxes and probes', async () => {
    const bundle = await workflowBundle();
    const histories = await Promise.all(
      [...used].map(async (workflowId) => ({
        workflowId,
        history: await h.services.temporal.workflow.getHandle(workflowId).fetchHistory(),
      })),
    );
    expect(histories.length).toBeGreaterThan(10);
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
      expect(result.error, result.workflowId).toBeUndefined();
    }
  });
});

describe('the /messages and /signals API', () => {
  const fieldsOf = async (res: Response) =>
    ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);

  it('rejects bad input with the field that is wrong', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ correlationKey: 'k' }, 'name'],
      [{ name: 'fee-paid' }, 'correlationKey'],
      [{ name: "fee' OR 1=1", correlationKey: 'k' }, 'name'],
      [{ name: 'fee-paid', correlationKey: 'a\u0000b' }, 'correlationKey'],
      [{ name: 'fee-paid', correlationKey: '中'.repeat(200) }, 'correlationKey'],
      [{ name: 'fee-paid', correlationKey: 'k', timeToLive: 'P1M' }, 'timeToLive'],
      [{ name: 'fee-paid', correlationKey: 'k', timeToLive: -5 }, 'timeToLive'],
      [{ name: 'fee-paid', correlationKey: 'k', timeToLive: 'P400D' }, 'timeToLive'],
      [{ name: 'fee-paid', correlationKey: 'k', messageId: 'has space' }, 'messageId'],
      [{ name: 'fee-paid', correlationKey: 'k', variables: [1, 2] }, 'variables'],
    ];
    for (const [body, field] of cases) {
      const res = await publish(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await fieldsOf(res), JSON.stringify(body)).toContain(field);
    }
    const signal = await h.request('POST', '/signals', { token: await department(), json: { name: '' } });
    expect(signal.status).toBe(422);
    expect(await fieldsOf(signal)).toEqual(['name']);
    const malformed = await h.request('POST', '/messages', {
      token: await department(),
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });

  it('needs a token, and a role that may act: staff by default, never auditors', async () => {
    const body = { name: 'fee-paid', correlationKey: key() };
    expect((await h.request('POST', '/messages', { json: body })).status).toBe(401);
    expect((await h.request('POST', '/signals', { json: { name: 'x' } })).status).toBe(401);
    const auditor = await tokens.auditor();
    expect((await publish(body, auditor)).status).toBe(403);
    expect((await h.request('POST', '/signals', { token: auditor, json: { name: 'x' } })).status).toBe(403);
    // fee-paid declares no publishers: any clerk or department, no applicant, no designer.
    for (const token of [await tokens.clerk(), await department()]) {
      expect((await publish({ ...body, timeToLive: 0 }, token)).status).toBe(202);
    }
    for (const token of [await tokens.applicant(), await tokens.designer()]) {
      const res = await publish({ ...body, timeToLive: 0 }, token);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toBe(
        'message "fee-paid" may be published only by clerk, department',
      );
    }
  });
});
