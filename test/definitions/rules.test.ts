// One invalid and one valid fixture per validation rule (test/fixtures/bpmn/<rule>.{invalid,valid}.bpmn).
// bpmnlint's rules (test/definitions/bpmnlint.test.ts) may add warnings to an invalid fixture,
// never an error: where one of ours reports a problem, bpmnlint does not report it again.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import { RULES } from '../../definitions/rules/index.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/bpmn/${name}.bpmn`, import.meta.url));

/** Rules whose findings are warnings: the invalid fixture compiles, with the warning. */
const WARNINGS = new Set(['user-task-unassigned']);

/** Where each rule's invalid fixture must be reported. */
const EXPECTED: Record<string, { elementId: string; line: number }> = {
  'unsupported-element': { elementId: 'wait', line: 5 },
  'unsupported-feature': { elementId: 'review', line: 5 },
  'flow-target-missing': { elementId: 'toNowhere', line: 7 },
  'no-start-event': { elementId: 'p', line: 3 },
  'multiple-start-events': { elementId: 'start2', line: 5 },
  'no-end-event': { elementId: 'p', line: 3 },
  'unreachable-element': { elementId: 'orphan', line: 5 },
  'dead-end': { elementId: 'b', line: 7 },
  'no-way-to-end': { elementId: 'a', line: 6 },
  'exclusive-gateway-no-default-or-conditions': { elementId: 'decide', line: 6 },
  'default-flow-with-condition': { elementId: 'toNo', line: 12 },
  'default-flow-not-outgoing': { elementId: 'decide', line: 6 },
  'conditional-flow-from-task': { elementId: 'f2', line: 8 },
  'parallel-gateway-conditions': { elementId: 'f2', line: 11 },
  'service-task-type-missing': { elementId: 'transfer', line: 5 },
  'service-task-retries-invalid': { elementId: 'transfer', line: 5 },
  'user-task-unassigned': { elementId: 'review', line: 5 },
  'user-task-decisions-invalid': { elementId: 'review', line: 5 },
  'end-event-outcome-invalid': { elementId: 'end', line: 5 },
  'io-mapping-invalid': { elementId: 'review', line: 5 },
  'approval-rule-invalid': { elementId: 'review', line: 8 },
  'form-field-invalid': { elementId: 'start', line: 7 },
  'camunda-form-invalid': { elementId: 'review', line: 5 },
  'feel-syntax': { elementId: 'toYes', line: 11 },
  'sub-process-start-invalid': { elementId: 'inner', line: 6 },
  'timer-invalid': { elementId: 'wait', line: 5 },
  'link-unmatched': { elementId: 'jump', line: 5 },
  'error-code-missing': { elementId: 'fail', line: 5 },
  'message-correlation-missing': { elementId: 'wait', line: 5 },
  'event-definition-incomplete': { elementId: 'shout', line: 5 },
  'event-based-gateway-target-invalid': { elementId: 'toAnswer', line: 11 },
  'boundary-event-invalid': { elementId: 'undo', line: 6 },
  'call-activity-process-missing': { elementId: 'call', line: 5 },
  'multi-instance-invalid': { elementId: 'notify', line: 5 },
  'script-task-invalid': { elementId: 'calc', line: 5 },
  'business-rule-task-invalid': { elementId: 'check', line: 5 },
};

describe('validation rules', () => {
  it('every rule has fixtures', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const [code, where] of Object.entries(EXPECTED)) {
    describe(code, () => {
      const severity = WARNINGS.has(code) ? 'warning' : 'error';
      it(`reports the invalid fixture with that code only (${severity}), at the element and line`, async () => {
        const result = await compile(fixture(`${code}.invalid`));
        expect(result.ok).toBe(severity === 'warning');
        const ours = result.diagnostics.filter((d) => !d.code.startsWith('bpmnlint/'));
        expect(new Set(ours.map((d) => d.code))).toEqual(new Set([code]));
        expect(
          result.diagnostics.filter((d) => d.code.startsWith('bpmnlint/') && d.severity === 'error'),
        ).toEqual([]);
        expect(result.diagnostics).toContainEqual(expect.objectContaining({ code, severity, ...where }));
        for (const d of result.diagnostics) expect(d.message).toMatch(/\S{3,}/);
      });

      it('accepts the valid fixture', async () => {
        const result = await compile(fixture(`${code}.valid`));
        expect(result.diagnostics.filter((d) => d.code === code || d.severity === 'error')).toEqual([]);
        expect(result.ok).toBe(true);
      });
    });
  }

  it('names the missing flow target in words', async () => {
    const result = await compile(fixture('flow-target-missing.invalid'));
    expect(result.diagnostics[0].message).toBe(
      'Sequence flow "toNowhere" targets "Task_9", which does not exist',
    );
  });

  it('reports every flow caught in a loop without exit', async () => {
    const result = await compile(fixture('no-way-to-end.invalid'));
    const loops = result.diagnostics.filter((d) => d.code === 'no-way-to-end');
    expect(loops.map((d) => d.elementId)).toEqual(['a', 'b']);
  });

  it('reports each form-field problem at the offending field', async () => {
    const result = await compile(fixture('form-field-invalid.invalid'));
    expect(result.diagnostics.map((d) => [d.line, d.column])).toEqual([
      [7, 9],
      [7, 9],
    ]);
    expect(result.diagnostics.map((d) => d.message).join('\n')).toMatch(/declared twice[\s\S]*type "text"/);
  });
});
