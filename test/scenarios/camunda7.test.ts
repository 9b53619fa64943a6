// A model written for Camunda 7 (camunda: dialect, JUEL) deployed as it is and run to the end on
// the real engine: the Camunda 7 conversion (definitions/camunda7/) gives its gateway FEEL
// conditions, its delegate a handler type and its approver task an assignee expression, which
// the engine evaluates when the task opens.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are JUEL (Camunda 7), not templates
import { beforeAll, describe, expect, it } from 'vitest';
import { tokens, useHarness } from '../support/harness.ts';
import { complete, deploy, ended, path, start, taskOpen, waitUntil } from '../support/scenarios.ts';

const INVOICE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="c7-invoice-defs" targetNamespace="http://govflow.dev/test">
  <bpmn:process id="c7-invoice" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="received" camunda:formKey="embedded:app:forms/start.html" />
    <bpmn:userTask id="assignApprover" camunda:candidateGroups="clerks">
      <bpmn:extensionElements>
        <camunda:formData><camunda:formField id="approver" label="Approver" type="string" /></camunda:formData>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="approveInvoice" camunda:assignee="\${approver}">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="approved" type="boolean"><camunda:validation><camunda:constraint name="required" /></camunda:validation></camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="approvedGateway" />
    <bpmn:serviceTask id="archiveInvoice" camunda:delegateExpression="\${test.echo}" camunda:asyncBefore="true">
      <bpmn:extensionElements>
        <camunda:field name="note" stringValue="archived" />
        <camunda:inputOutput><camunda:inputParameter name="input">\${approver}</camunda:inputParameter></camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="processed" />
    <bpmn:endEvent id="notProcessed" />
    <bpmn:sequenceFlow id="f1" sourceRef="received" targetRef="assignApprover" />
    <bpmn:sequenceFlow id="f2" sourceRef="assignApprover" targetRef="approveInvoice" />
    <bpmn:sequenceFlow id="f3" sourceRef="approveInvoice" targetRef="approvedGateway" />
    <bpmn:sequenceFlow id="yes" sourceRef="approvedGateway" targetRef="archiveInvoice">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${approved &amp;&amp; amount &lt;= 10000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="no" sourceRef="approvedGateway" targetRef="notProcessed">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${!approved || amount gt 10000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="archiveInvoice" targetRef="processed" />
  </bpmn:process>
</bpmn:definitions>`;

interface OpenTaskView {
  id: string;
  elementId: string;
  assignee?: string;
  candidateGroups: string[];
}

const h = useHarness();
beforeAll(() => deploy(h, INVOICE));

/** Completes the approver's task as `actor` (a clerk in no group: only the assignment lets them). */
async function approveAs(actor: string, taskId: string, approved: boolean) {
  return h.request('POST', `/tasks/${taskId}/complete`, {
    token: await tokens.clerk([], actor),
    json: { decision: 'approve', data: { approved } },
  });
}

describe('a Camunda 7 invoice model', () => {
  it('assigns the approval to the approver chosen at run time and archives an approved invoice', async () => {
    const id = await start(h, 'c7-invoice', { amount: 900 });
    await complete(h, id, 'assignApprover', 'approve', { approver: 'bob.approver' });
    const task = (await taskOpen(h, id, 'approveInvoice')) as OpenTaskView;
    expect(task).toMatchObject({ assignee: 'bob.approver', candidateGroups: [] });

    const other = await approveAs('lin.clerk', task.id, true);
    expect(other.status, await other.clone().text()).toBe(403);
    const missing = await h.request('POST', `/tasks/${task.id}/complete`, {
      token: await tokens.clerk([], 'bob.approver'),
      json: { decision: 'approve', data: {} },
    });
    expect(missing.status).toBe(422); // camunda:formField approved is required

    const approved = await approveAs('bob.approver', task.id, true);
    expect(approved.status, await approved.clone().text()).toBe(200);
    const app = await ended(h, id);
    expect(app.status).toBe('completed');
    // test.echo answers with its input (the approver) and the header from camunda:field note
    expect(app.variables).toMatchObject({ approved: true, echoed: 'bob.approver', header: 'archived' });
    expect(await path(h, id)).toEqual([
      'received',
      'assignApprover',
      'approveInvoice',
      'archiveInvoice',
      'processed',
    ]);
  });

  it('takes the JUEL "no" branch for a rejected invoice', async () => {
    const id = await start(h, 'c7-invoice', { amount: 900 });
    await complete(h, id, 'assignApprover', 'approve', { approver: 'ann.approver' });
    const task = await taskOpen(h, id, 'approveInvoice');
    expect((await approveAs('ann.approver', task.id, false)).status).toBe(200);
    await ended(h, id);
    expect(await path(h, id)).toEqual(['received', 'assignApprover', 'approveInvoice', 'notProcessed']);
  });

  it('raises an incident naming the assignee expression when it gives no user', async () => {
    const id = await start(h, 'c7-invoice', { amount: 900 });
    await complete(h, id, 'assignApprover', 'approve', {});
    const app = await waitUntil(h, id, 'an incident', (a) => a.incidents.length > 0);
    expect(app.status).toBe('incident');
    expect(app.incidents[0]).toMatchObject({
      elementId: 'approveInvoice',
      message: 'assignee expression `approver` gave null, not a user id',
    });
    expect(app.openTasks.some((t) => t.elementId === 'approveInvoice')).toBe(false);
  });
});
