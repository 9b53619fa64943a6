// Compile-time FEEL syntax check with the FEEL grammar feelin evaluates with (@bpmn-io/lezer-feel,
// the version feelin depends on). The parser is error-tolerant by default: it does not throw on
// bad input but inserts error nodes into the syntax tree.
import { parser, trackVariables } from '@bpmn-io/lezer-feel';

const MAX_TEXT_CHARS = 16 * 1024;

/**
 * A syntax check for FEEL `top` (an expression or the unary tests of a DMN input entry): the
 * returned function says why a text does not parse, or undefined when it does; `noun` names the
 * text in its messages. It throws what the tolerant parser throws, which so far nothing has.
 *
 * feelin's parseExpression() and unaryTest() reconfigure the parser on every call; a checker
 * configures it once, exactly as feelin does it (top rule `Expression` or `UnaryTests`, variables
 * tracked from an empty context). The strict variant throws at the first position where no parse
 * can continue instead of recovering: that is where the tolerant parser puts its first error
 * node, and recovery is what makes a bad expression cost six times a good one.
 */
export function syntaxChecker(
  top: 'Expression' | 'UnaryTests',
  noun: string,
): (text: string) => string | undefined {
  const options = { top, contextTracker: trackVariables({}) };
  const strictParser = parser.configure({ ...options, strict: true });
  const tolerantParser = parser.configure(options);

  /** Offset of the first syntax error, -1 when there is none. */
  function firstErrorAt(text: string): number {
    try {
      strictParser.parse(text);
      return -1;
    } catch (error) {
      const at = /^No parse at (\d+)$/.exec(error instanceof Error ? error.message : '');
      if (at) return Number(at[1]);
    }
    // not the parser's own error (so far unseen): let the tolerant parser locate the problem
    let errorAt = -1;
    tolerantParser.parse(text).iterate({
      enter(node) {
        if (errorAt === -1 && node.type.isError) errorAt = node.from;
        return errorAt === -1;
      },
    });
    return errorAt;
  }

  return (text) => {
    if (text.length > MAX_TEXT_CHARS) return `the ${noun} is longer than ${MAX_TEXT_CHARS} characters`;
    const errorAt = firstErrorAt(text);
    if (errorAt === -1) return undefined;
    const near = text.slice(errorAt, errorAt + 12);
    return near
      ? `syntax error at character ${errorAt + 1}, near "${near}"`
      : `the ${noun} ends unexpectedly`;
  };
}

const expressionSyntaxError = syntaxChecker('Expression', 'expression');

/** Camunda writes expressions as `=expr`; the process model stores them without the `=`. */
export function stripFeel(expression: string | undefined): string {
  const trimmed = (expression ?? '').trim();
  return trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed;
}

/**
 * Expressions that are valid FEEL at a glance: a name or path (`applicant.age`), a string,
 * number or boolean literal. Most mappings are like this; the parser costs 15-80 µs each.
 */
const TRIVIAL = /^\s*(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*|"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?)\s*$/;
/** Words FEEL's grammar reserves: none can stand alone as a name. */
export const FEEL_KEYWORDS: readonly string[] = [
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
];
/** A trivial-looking expression that is one of these goes through the parser. */
const RESERVED = new Set(FEEL_KEYWORDS);

/** Why the expression does not parse, or undefined when it does. */
export function feelSyntaxError(expression: string): string | undefined {
  if (!expression.trim()) return 'the expression is empty';
  if (TRIVIAL.test(expression) && !RESERVED.has(expression.trim().split('.')[0])) return undefined;
  try {
    return expressionSyntaxError(expression);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The top-level variable names `expressions` read, of those in `known` (multi-word names parse as
 * one name only when the parser knows them). Members of a path (`owner` in `title.owner`) are not
 * variables; names bound inside (`v` in `every v in ...`) are read too, which is harmless because
 * only known variables are kept. An expression that does not parse reads every known name.
 */
export function namesRead(expressions: readonly string[], known: readonly string[]): Set<string> {
  const knownNames = new Set(known);
  const context = Object.fromEntries(known.map((name) => [name, null]));
  const names = new Set<string>();
  const expressionParser = parser.configure({ top: 'Expression', contextTracker: trackVariables(context) });
  for (const expression of expressions) {
    const tree = expressionParser.parse(expression);
    let broken = false;
    tree.iterate({
      enter(node) {
        if (node.type.isError) broken = true;
        if (node.name !== 'VariableName') return;
        const parent = node.node.parent;
        const isMember = parent?.name === 'PathExpression' && parent.firstChild?.from !== node.from;
        const name = expression.slice(node.from, node.to);
        if (!isMember && knownNames.has(name)) names.add(name);
      },
    });
    if (broken) return knownNames;
  }
  return names;
}
