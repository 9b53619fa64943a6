// Compile-time FEEL syntax check. feelin's parser is error-tolerant: it does not throw on bad
// input but inserts error nodes into the syntax tree, so we walk the tree looking for them.
import { parseExpression } from '@bpmn-io/feelin';

const MAX_EXPRESSION_CHARS = 16 * 1024;

/** Camunda writes expressions as `=expr`; the process model stores them without the `=`. */
export function stripFeel(expression: string | undefined): string {
  const trimmed = (expression ?? '').trim();
  return trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed;
}

/**
 * Expressions that are valid FEEL at a glance: a name or path (`applicant.age`), a string,
 * number or boolean literal. Most mappings are like this; the full parser costs ~70 µs each.
 */
const TRIVIAL = /^\s*(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*|"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?)\s*$/;
/** Words that cannot stand alone as a FEEL name; these go through the parser. */
const RESERVED = new Set([
  'if',
  'then',
  'else',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'and',
  'or',
  'between',
  'instance',
  'of',
  'function',
  'external',
]);

/** Why the expression does not parse, or undefined when it does. */
export function feelSyntaxError(expression: string): string | undefined {
  if (!expression.trim()) return 'the expression is empty';
  if (TRIVIAL.test(expression) && !RESERVED.has(expression.trim().split('.')[0])) return undefined;
  if (expression.length > MAX_EXPRESSION_CHARS)
    return `the expression is longer than ${MAX_EXPRESSION_CHARS} characters`;
  let errorAt = -1;
  try {
    parseExpression(expression, {}, undefined).iterate({
      enter(node) {
        if (errorAt === -1 && node.type.isError) errorAt = node.from;
        return errorAt === -1;
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (errorAt === -1) return undefined;
  const near = expression.slice(errorAt, errorAt + 12);
  return near
    ? `syntax error at character ${errorAt + 1}, near "${near}"`
    : 'the expression ends unexpectedly';
}
