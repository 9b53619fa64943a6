// A stored model edited after deployment: the ledger registered the model's hash and rules, so a
// worker handed the edited model stops at an incident naming both hashes, and records nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { DefinitionStore, type DeployedDefinition, processRegistration } from '../../api/definition-store.ts';
import { modelHash } from '../../ledger/model-hash.ts';
import { tokens, useHarness } from '../support/harness.ts';
import { deploy, ended, outcome, trail } from '../support/scenarios.ts';

const h = useHarness();

/** A permit a rule approves on its own when the fee is small; a clerk decides otherwise. */
const PERMIT = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:govflow="http://govflow.dev/schema/1.0" id="defs_permit" targetNamespace="http://govflow.dev/test">
  <bpmn:process id="small-permit" isExecutable="true">
    <bpmn:startEvent id="s">
      <bpmn:extensionElements>
        <govflow:formField id="fee" type="number" required="true" />
      </bpmn:extensionElements>
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="review" govflow:decisions="approve,reject">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="clerks" />
        <govflow:approvalRule id="small-fee">
          <govflow:approveWhen>fee &lt; 100</govflow:approveWhen>
        </govflow:approvalRule>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

/** What an operator restarting the API gets: a fresh store over the files as they now are. */
function restartedApi() {
  const app = createApp({ ...h.services, definitions: new DefinitionStore(join(h.dataDir, 'definitions')) });
  return async (fee: number) => {
    const res = await app.request('/applications', {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokens.applicant()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ processKey: 'small-permit', data: { fee } }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
}

describe('a stored model changed after deployment', () => {
  it('is an incident naming both hashes, and nothing it would decide is recorded', async () => {
    await deploy(h, PERMIT);
    const file = join(h.dataDir, 'definitions', 'small-permit', '1.json');
    const deployed = JSON.parse(readFileSync(file, 'utf8')) as DeployedDefinition;
    const registered = processRegistration(deployed);
    // The untouched model runs: its rule approves a small fee.
    const honest = await restartedApi()(50);
    expect((await ended(h, honest)).variables).toMatchObject({ decidedBy: 'contract:small-fee' });

    // Tampered: the rule now approves any fee.
    const tampered = structuredClone(deployed);
    const review = tampered.model.elements.review as { rule: { approveWhen: string } };
    review.rule.approveWhen = 'true';
    writeFileSync(file, JSON.stringify(tampered));
    const id = await restartedApi()(5000);

    const stopped = await outcome(h, id);
    expect(stopped.status).toBe('incident');
    const [incident] = stopped.incidents;
    expect(incident.elementId).toBe('s');
    expect(incident.message).toContain(`model hash ${modelHash(tampered.model)}`);
    expect(incident.message).toContain(`the ledger has model hash ${registered.modelHash}`);
    expect(incident.message).toContain('definition small-permit v1');
    expect(await trail(h, id)).toEqual([]);
    expect(stopped.openTasks).toEqual([]);
  });
});
