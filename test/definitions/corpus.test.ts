// The BPMN MIWG reference models (../shared/corpus/miwg, from bpmn-miwg/bpmn-miwg-test-suite,
// CC BY 3.0, see SOURCE.md and LICENSE.txt there): every file parses, and either compiles or is
// rejected with coded, element-level diagnostics; none crashes the compiler. The outcome of
// each file is pinned below, reviewed by hand:
// - A.*: layout tests, not executable. A.1.0 compiles with warnings; the others contain what no
//   engine runs (gateways that split without conditions, conditions on task flows, an empty
//   collapsed sub-process, a message event without a message) or several pools, none executable.
// - B.*, C.2.0, C.4.0, C.5.0: several pools and no executable process: nothing to choose.
// - C.1.x: executable for Camunda 7 only (JUEL `${...}` / XPath conditions, camunda: task
//   implementations), so no FEEL engine runs them.
// - C.3.0, C.6.0, C.7.0: descriptive models (no task types, no conditions, untyped events).
// - C.8.x, C.9.x (Camunda 8): user tasks without candidates are rejected by govflow's rule that
//   someone must be able to complete each task (Camunda lets anyone claim them); C.9.0 also
//   calls a DMN decision and uses job-worker message end events, which govflow does not run.
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
  'A.3.0.bpmn': ['event-definition-incomplete', 'sub-process-start-invalid'],
  'A.4.0.bpmn': ['ambiguous-process'],
  'A.4.1.bpmn': ['ambiguous-process'],
  'B.1.0.bpmn': ['ambiguous-process'],
  'B.2.0.bpmn': ['ambiguous-process'],
  'C.1.0.bpmn': ['feel-syntax', 'service-task-type-missing', 'user-task-unassigned'],
  'C.1.1.bpmn': ['feel-syntax', 'service-task-type-missing', 'user-task-unassigned'],
  'C.2.0.bpmn': ['ambiguous-process'],
  'C.3.0.bpmn': [
    'exclusive-gateway-no-default-or-conditions',
    'feel-syntax',
    'message-correlation-missing',
    'sub-process-start-invalid',
    'user-task-unassigned',
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
    'user-task-unassigned',
  ],
  'C.8.0.bpmn': ['user-task-unassigned'],
  'C.8.1.bpmn': ['user-task-unassigned'],
  'C.9.0.bpmn': ['unsupported-feature', 'user-task-unassigned'],
  'C.9.1.bpmn': ['user-task-unassigned'],
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
        expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(d.message.length).toBeGreaterThan(0);
        if (!DOCUMENT_LEVEL.has(d.code))
          expect(d).toMatchObject({ elementId: expect.any(String), line: expect.any(Number) });
      }
    });
  }
});
