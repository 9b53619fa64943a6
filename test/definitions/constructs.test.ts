// IR v2: each construct newly compiled, from a small fixture (test/fixtures/bpmn/construct-*.bpmn)
// to the process model the interpreter runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import type { ProcessModel } from '../../definitions/model.ts';

/**
 * The only diagnostics each fixture gets: bpmnlint style warnings on constructs drawn on purpose
 * (end events joining two paths, a gateway that joins and forks, a terminate end event that
 * ends an interrupting event sub-process anyway).
 */
const WARNINGS: Record<string, string[]> = {
  'boundary-events': ['bpmnlint/fake-join escalated', 'bpmnlint/fake-join rejected'],
  events: ['bpmnlint/no-gateway-join-fork which'],
  'sub-processes': ['bpmnlint/superfluous-termination stopped'],
  tasks: [],
  'job-events': [],
};

async function model(name: string): Promise<ProcessModel> {
  const result = await compile(
    readFileSync(new URL(`../fixtures/bpmn/construct-${name}.bpmn`, import.meta.url)),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  expect(result.diagnostics.map((d) => `${d.code} ${d.elementId}`)).toEqual(WARNINGS[name]);
  expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  return result.model;
}

describe('boundary events and compensation', () => {
  it('lists boundary events on their activity, with trigger and interrupting', async () => {
    const { elements } = await model('boundary-events');
    expect(elements.review.boundaryEvents).toEqual(['sla', 'deadline', 'supplied']);
    expect(elements.sla).toMatchObject({
      kind: 'boundaryEvent',
      attachedTo: 'review',
      interrupting: false,
      trigger: { type: 'timer', timer: { kind: 'cycle', expression: '"R3/PT10M"' } },
    });
    expect(elements.deadline).toMatchObject({
      interrupting: true,
      trigger: { type: 'timer', timer: { kind: 'duration', expression: '"P3D"' } },
    });
    expect(elements.supplied).toMatchObject({
      interrupting: false,
      trigger: { type: 'message', messageName: 'documents-supplied', correlationKey: 'applicationId' },
    });
    expect(elements.caught).toMatchObject({ trigger: { type: 'error', errorCode: 'FRAUD' } });
  });

  it('links a compensation boundary event to its handler', async () => {
    const { elements } = await model('boundary-events');
    expect(elements.book.boundaryEvents).toEqual(['undo', 'caught']);
    expect(elements.undo).toMatchObject({ trigger: { type: 'compensation' }, compensationHandler: 'cancel' });
    expect(elements.cancel).toMatchObject({ kind: 'serviceTask', isForCompensation: true, incoming: [] });
    expect(elements.compensate).toMatchObject({
      kind: 'intermediateThrowEvent',
      trigger: { type: 'compensation', activityRef: 'book' },
    });
    expect(elements.review.isForCompensation).toBe(false);
  });
});

describe('sub-processes, call activities and multi-instance', () => {
  it('flattens nested sub-processes, children naming their parent', async () => {
    const m = await model('sub-processes');
    expect(m.startEventId).toBe('start');
    expect(m.elements.outer).toMatchObject({ kind: 'subProcess', triggeredByEvent: false });
    expect(m.elements.outer.parent).toBeUndefined();
    expect(m.elements.outerStart.parent).toBe('outer');
    expect(m.elements.inner.parent).toBe('outer');
    expect(m.elements.raise).toMatchObject({
      parent: 'inner',
      trigger: { type: 'escalation', escalationCode: 'LATE' },
    });
    expect(m.flows.i2).toEqual({ id: 'i2', source: 'raise', target: 'innerEnd' });
  });

  it('compiles event sub-processes with their interrupting flag', async () => {
    const { elements } = await model('sub-processes');
    expect(elements.onWithdrawal).toMatchObject({ kind: 'subProcess', triggeredByEvent: true });
    expect(elements.withdrawal).toMatchObject({
      parent: 'onWithdrawal',
      interrupting: true,
      trigger: { type: 'message', messageName: 'application-withdrawn', correlationKey: 'applicationId' },
    });
    expect(elements.stopped).toMatchObject({ trigger: { type: 'terminate' } });
    expect(elements.lateStart).toMatchObject({
      interrupting: false,
      trigger: { type: 'escalation', escalationCode: 'LATE' },
    });
  });

  it('compiles a sequential multi-instance call activity', async () => {
    const { elements } = await model('sub-processes');
    expect(elements.verify).toMatchObject({
      kind: 'callActivity',
      calledProcessKey: 'identity-verification',
      propagateAllChildVariables: false,
      outputs: [{ source: 'verified', target: 'verifiedHolders' }],
      multiInstance: {
        sequential: true,
        inputCollection: 'shareholders',
        inputElement: 'holder',
        outputCollection: 'results',
        outputElement: 'verified',
        completionCondition: 'some r in results satisfies r = false',
      },
    });
  });
});

describe('events and gateways', () => {
  it('keeps the none start as startEventId beside message and timer starts', async () => {
    const { startEventId, elements } = await model('events');
    expect(startEventId).toBe('start');
    expect(elements.byMessage).toMatchObject({
      trigger: { type: 'message', messageName: 'application-received' },
    });
    expect(elements.byMessage).not.toHaveProperty('trigger.correlationKey');
    expect(elements.nightly).toMatchObject({
      trigger: { type: 'timer', timer: { kind: 'cycle', expression: 'cycle(duration("P1D"))' } },
    });
  });

  it('compiles catch and throw events, links and typed end events', async () => {
    const { elements } = await model('events');
    expect(elements.expired).toMatchObject({
      kind: 'intermediateCatchEvent',
      trigger: { type: 'timer', timer: { kind: 'date', expression: '"2026-12-01T10:00:00Z"' } },
    });
    expect(elements.announce).toMatchObject({ trigger: { type: 'signal', signalName: 'title-transferred' } });
    expect(elements.jump).toMatchObject({
      kind: 'intermediateThrowEvent',
      trigger: { type: 'link', linkName: 'finish' },
    });
    expect(elements.land).toMatchObject({
      kind: 'intermediateCatchEvent',
      trigger: { type: 'link', linkName: 'finish' },
    });
    expect(elements.failure).toMatchObject({
      kind: 'endEvent',
      trigger: { type: 'error', errorCode: 'PAYMENT_FAILED' },
    });
    expect(elements.notified).toMatchObject({
      trigger: { type: 'message', messageName: 'payment-confirmed' },
    });
  });

  it('compiles inclusive (with default and conditions) and event-based gateways', async () => {
    const { elements, flows } = await model('events');
    expect(elements.which).toMatchObject({ kind: 'inclusiveGateway', defaultFlow: 'toPay' });
    expect(flows.toNotify.condition).toBe('notify = true');
    expect(elements.race).toMatchObject({ kind: 'eventBasedGateway', outgoing: ['f4', 'f5'] });
  });
});

describe('tasks', () => {
  it('reads candidate users and due dates (a literal becomes a FEEL string)', async () => {
    const { elements } = await model('tasks');
    expect(elements.review).toMatchObject({
      candidateGroups: ['land-registry'],
      candidateUsers: ['alice', 'bob'],
      dueDate: '"2026-12-01T10:00:00Z"',
    });
    expect(elements.supervise).toMatchObject({ dueDate: 'now() + duration("P2D")' });
  });

  it('compiles send, receive, script, business rule, manual and plain tasks', async () => {
    const { elements } = await model('tasks');
    expect(elements.notify).toMatchObject({
      kind: 'sendTask',
      taskType: 'mail',
      retries: 5,
      headers: { template: 'documents-missing' },
    });
    expect(elements.await).toMatchObject({
      kind: 'receiveTask',
      trigger: { type: 'message', messageName: 'documents-supplied', correlationKey: 'applicationId' },
    });
    expect(elements.tax).toMatchObject({
      kind: 'scriptTask',
      expression: 'price * 0.03',
      resultVariable: 'deedTax',
    });
    expect(elements.check).toMatchObject({
      kind: 'businessRuleTask',
      rule: {
        id: 'name-free',
        facts: [{ name: 'company', registry: 'company-name', key: 'companyName' }],
        approveWhen: 'company = null',
      },
    });
    // a job-worker business rule task runs its handler like a service task
    expect(elements.score).toMatchObject({ kind: 'serviceTask', taskType: 'credit-score', retries: 3 });
    expect(elements.stamp.kind).toBe('manualTask');
    expect(elements.archive.kind).toBe('task');
  });
});

describe('job-worker message throw events (Camunda 8)', () => {
  it('compiles a message throw event and a message end event run by a job worker', async () => {
    const { elements } = await model('job-events');
    expect(elements.notify).toMatchObject({
      kind: 'intermediateThrowEvent',
      trigger: { type: 'message', messageName: 'transfer-notice' },
      job: { taskType: 'send-notice', retries: 5, headers: { template: 'transfer-done' } },
    });
    // no bpmn:message: the message is named by the event's id
    expect(elements.informed).toMatchObject({
      kind: 'endEvent',
      outcome: 'completed',
      trigger: { type: 'message', messageName: 'informed' },
      job: { taskType: 'inform-operations', retries: 3, headers: {} },
    });
  });

  it('leaves message end events without a task definition as they were', async () => {
    const { elements } = await model('events');
    expect(elements.notified).not.toHaveProperty('job');
  });

  const fixture = readFileSync(
    new URL('../fixtures/bpmn/construct-job-events.bpmn', import.meta.url),
    'utf8',
  );
  const cases: Array<[string, string, string, { code: string; elementId: string; line: number }]> = [
    [
      'a job-worker event without a type',
      '<zeebe:taskDefinition type="inform-operations" />',
      '<zeebe:taskDefinition />',
      { code: 'service-task-type-missing', elementId: 'informed', line: 13 },
    ],
    [
      'a job-worker event with invalid retries',
      'retries="5"',
      'retries="often"',
      { code: 'service-task-retries-invalid', elementId: 'notify', line: 6 },
    ],
    [
      'a task definition on a throw event that sends no message',
      '<bpmn:messageEventDefinition messageRef="notice" />',
      '',
      { code: 'unsupported-feature', elementId: 'notify', line: 6 },
    ],
  ];
  for (const [what, from, to, expected] of cases) {
    it(`rejects ${what}`, async () => {
      expect(fixture).toContain(from);
      const result = await compile(fixture.replace(from, to));
      expect(result.ok).toBe(false);
      expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', ...expected }));
    });
  }
});
