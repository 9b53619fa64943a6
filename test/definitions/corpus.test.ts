// The BPMN MIWG reference models (../shared/corpus/miwg, from bpmn-miwg/bpmn-miwg-test-suite,
// CC BY 3.0, see SOURCE.md and LICENSE.txt there): every file parses, and either compiles or is
// rejected with coded, element-level diagnostics; none crashes the compiler. The outcome of
// each file is pinned below, reviewed by hand. Seven files mark a process isExecutable="true"
// (C.1.0, C.1.1, C.3.0, C.8.1, C.9.0, C.9.1, C.9.2); all but C.3.0 compile, and so does C.8.0
// (a Camunda 8 model whose process is not marked executable):
// - C.1.0, C.1.1: Camunda 7 models (camunda: bound to the old http://activiti.org/bpmn). They
//   compile through the Camunda 7 conversion (definitions/camunda7/, test/definitions/
//   camunda7.test.ts), with a camunda7-converted warning per converted element: the gateway
//   conditions, JUEL (`${approved}`, `${clarified == 'yes'}`) in C.1.0 and XPath
//   (`bpmn:getDataObject('approved')`) in C.1.1, become FEEL (`approved`, `clarified = "yes"`);
//   the delegate of service task archiveInvoice (camunda:delegateExpression="#{archiveService}")
//   becomes the handler type archiveService, its static camunda:field injections task headers;
//   camunda:assignee="${approver}" becomes the assignee expression `=approver`. Without the
//   conversion they were rejected with feel-syntax and service-task-type-missing.
// - C.9.0: its business rule task BusinessRuleTask_CheckApplicationAutomatically calls
//   the DMN decision risk_check (zeebe:calledDecision), which the contract evaluates once a DMN
//   model defining it is deployed (test/fixtures/dmn/risk-check.dmn; test/scenarios/decisions).
//   Its job-worker message end events compile too (test below).
// C.3.0 cannot compile, in govflow as in Camunda 8, which refuses the same gateways:
// - C.3.0: a descriptive model marked executable. Exclusive gateways "Service type", "Service
//   level" and "Successful?" split without conditions
//   (exclusive-gateway-no-default-or-conditions); the one condition is not FEEL
//   (`Service Level == 'Premium'`: feel-syntax); sub-process "Perform emergency repair" is
//   empty (sub-process-start-invalid: no start event; bpmnlint/end-event-required: no end
//   event); the message boundary event Bpmn_BoundaryEvent_LwKtwhqHEeWDuOtG0oS24A has no
//   correlation key (message-correlation-missing).
// Not executable:
// - A.*: layout tests. A.1.0 compiles with warnings; the others contain what no engine runs
//   (gateways that split without conditions, conditions on task flows, an empty collapsed
//   sub-process, a message event without a message) or several pools, none executable.
// - B.*, C.2.0, C.4.0, C.5.0: several pools and no executable process: nothing to choose.
// - C.6.0, C.7.0: descriptive models (no task types, no conditions, untyped events).
// User tasks without candidates (C.3.0, C.7.0, C.8.x, C.9.0, C.9.1) are warnings: any clerk may
// complete them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';

const dir = new URL('../../../shared/corpus/miwg/', import.meta.url);
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bpmn')) : [];

/** `ok` or the sorted distinct codes of the error diagnostics. */
const EXPECTED: Record<string, 'ok' | string[]> = {
  'A.1.0.bpmn': 'ok',
  'A.2.0.bpmn': ['exclusive-gateway-no-default-or-conditions'],
  'A.2.1.bpmn': ['conditional-flow-from-task', 'feel-syntax'],
  'A.3.0.bpmn': ['bpmnlint/end-event-required', 'event-definition-incomplete', 'sub-process-start-invalid'],
  'A.4.0.bpmn': ['ambiguous-process'],
  'A.4.1.bpmn': ['ambiguous-process'],
  'B.1.0.bpmn': ['ambiguous-process'],
  'B.2.0.bpmn': ['ambiguous-process'],
  'C.1.0.bpmn': 'ok',
  'C.1.1.bpmn': 'ok',
  'C.2.0.bpmn': ['ambiguous-process'],
  'C.3.0.bpmn': [
    'bpmnlint/end-event-required',
    'exclusive-gateway-no-default-or-conditions',
    'feel-syntax',
    'message-correlation-missing',
    'sub-process-start-invalid',
  ],
  'C.4.0.bpmn': ['ambiguous-process'],
  'C.5.0.bpmn': ['ambiguous-process'],
  'C.6.0.bpmn': [
    'event-definition-incomplete',
    'service-task-type-missing',
    'timer-invalid',
    'unsupported-element',
  ],
  'C.7.0.bpmn': [
    'business-rule-task-invalid',
    'exclusive-gateway-no-default-or-conditions',
    'multi-instance-invalid',
    'service-task-type-missing',
  ],
  'C.8.0.bpmn': 'ok',
  'C.8.1.bpmn': 'ok',
  'C.9.0.bpmn': 'ok',
  'C.9.1.bpmn': 'ok',
  'C.9.2.bpmn': 'ok',
};

/** Document-wide codes: no single flow element is to blame. */
const DOCUMENT_LEVEL = new Set(['ambiguous-process', 'xml-encoding-ignored', 'process-not-executable']);

describe.skipIf(files.length === 0)(`MIWG corpus (${fileURLToPath(dir)})`, () => {
  it('holds the 21 reference models', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`${file}: ${EXPECTED[file] === 'ok' ? 'compiles' : 'is rejected with element-level diagnostics'}`, async () => {
      const started = performance.now();
      const result = await compile(readFileSync(new URL(file, dir)));
      expect(performance.now() - started).toBeLessThan(2000);
      const errors = [
        ...new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)),
      ];
      expect(result.ok ? 'ok' : errors.sort()).toEqual(EXPECTED[file]);
      for (const d of result.diagnostics) {
        expect(d.code).toMatch(/^(bpmnlint\/)?[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(d.message.length).toBeGreaterThan(0);
        if (!DOCUMENT_LEVEL.has(d.code))
          expect(d).toMatchObject({ elementId: expect.any(String), line: expect.any(Number) });
      }
    });
  }

  it('C.9.0 calls its DMN decision from the business rule task; job-worker end events included', async () => {
    const result = await compile(readFileSync(new URL('C.9.0.bpmn', dir)));
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
    expect(result.model.elements.BusinessRuleTask_CheckApplicationAutomatically).toMatchObject({
      kind: 'businessRuleTask',
      decision: { decisionId: 'risk_check', resultVariable: 'result' },
    });
    expect(result.model.elements.EndMessageEvent_InformCustomer).toMatchObject({
      kind: 'endEvent',
      parent: 'Activity_0vp33kx',
      trigger: { type: 'message', messageName: 'EndMessageEvent_InformCustomer' },
      job: { taskType: 'informCustomerSuccessfulCancelation', retries: 3, headers: {} },
    });
    expect(result.model.elements.EndMessageEvent_Timeout).toMatchObject({
      job: { taskType: 'timeoutHandled' },
    });
  });
});
