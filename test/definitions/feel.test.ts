// The compile-time FEEL check (definitions/feel.ts) parses with @bpmn-io/lezer-feel configured
// once, in strict mode. It must agree with what feelin itself parses (its error-tolerant
// parseExpression): the same expressions are valid, and an invalid one is reported at feelin's
// first error node.
import { parseExpression } from '@bpmn-io/feelin';
import { describe, expect, it } from 'vitest';
import { feelSyntaxError } from '../../definitions/feel.ts';

/** feelin's verdict: undefined when valid, else the offset of its first error node. */
function feelinErrorAt(expression: string): number | undefined {
  let at: number | undefined;
  parseExpression(expression, {}, undefined).iterate({
    enter(node) {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  return at;
}

const VALID = [
  'some risk in riskLevels satisfies risk = "red"',
  'every risk in riskLevels satisfies risk = "yellow"',
  'not(approved)',
  'string(now())',
  '{ "name": applicant.name, "applicationNumber": applicationNumber }',
  'if result != null then result.riskLevel else ["green"]',
  'string join(risks, ", ")',
  'Vacation Approval = "Approved"',
  'date and time("2026-01-01T00:00:00Z") < now()',
  'for x in [1, 2, 3] return x * 2',
  'x between 1 and 10',
  'title != null and title.owner = seller and (encumbrance = null or encumbrance.active = false)',
  'some r in results satisfies r = false',
  'now() + duration("P2D")',
  '"<html><p>Hi " + Current Vacation Status.name + ",</p>"',
  // sic: feelin's grammar accepts these too (an engine built on it evaluates them)
  'x = = 1',
  'a === b',
];

const INVALID = [
  "bpmn:getDataObject('approved')",
  "not(bpmn:getDataObject('approved'))",
  "bpmn:getDataObject('clarified') = 'yes'",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JUEL (Camunda 7), not a template
  '${approved}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JUEL (Camunda 7), not a template
  "${clarified == 'yes'}",
  "Service Level == 'Premium'",
  'decision =',
  'a +',
  'if x then y',
  '(a',
  'a)',
  '[1, 2',
  'some x in y',
  'a and',
  'f(,)',
  '#{x}',
  'every x in [1,2] satisfies',
  '{ "name": applicant.name, }',
  'now() +',
  '1 2',
];

describe('FEEL syntax check', () => {
  for (const expression of VALID) {
    it(`accepts ${expression}`, () => {
      expect(feelinErrorAt(expression)).toBeUndefined();
      expect(feelSyntaxError(expression)).toBeUndefined();
    });
  }

  for (const expression of INVALID) {
    it(`rejects ${expression} where feelin finds the error`, () => {
      const at = feelinErrorAt(expression);
      expect(at).toBeDefined();
      const near = expression.slice(at, (at as number) + 12);
      expect(feelSyntaxError(expression)).toBe(
        near
          ? `syntax error at character ${(at as number) + 1}, near "${near}"`
          : 'the expression ends unexpectedly',
      );
    });
  }

  it('reports an empty expression', () => {
    expect(feelSyntaxError('  ')).toBe('the expression is empty');
  });
});
