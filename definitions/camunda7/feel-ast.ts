// The expression tree both Camunda 7 expression languages (JUEL and the BPMN spec's XPath) are
// parsed into, and its FEEL rendering. Only constructs with a FEEL equivalent have a node, so a
// parser that builds a tree has already decided the expression is translatable.
import { FEEL_KEYWORDS } from '../feel.ts';

export type BinaryOp = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { kind: 'name'; path: string[] }
  | { kind: 'literal'; value: string | boolean | null }
  /** Kept as text: a JavaScript number would round integers past 2^53. */
  | { kind: 'number'; text: string }
  | { kind: 'not'; operand: Expr }
  | { kind: 'negate'; operand: Expr }
  | { kind: 'empty'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'if'; test: Expr; then: Expr; otherwise: Expr };

/** Thrown by the parsers; the message says why the text has no FEEL translation. */
export class Untranslatable extends Error {}

/** FEEL binding strength, loosest first; `atom` needs no parentheses anywhere. */
const LEVEL = { if: 0, or: 1, and: 2, compare: 3, add: 4, multiply: 5, negate: 6, atom: 7 } as const;

function levelOf(expr: Expr): number {
  switch (expr.kind) {
    case 'if':
      return LEVEL.if;
    case 'negate':
      return LEVEL.negate;
    case 'binary':
      return binaryLevel(expr.op);
    default:
      return LEVEL.atom; // names, literals and function calls (not(), modulo(), the empty test)
  }
}

function binaryLevel(op: BinaryOp): number {
  if (op === 'or') return LEVEL.or;
  if (op === 'and') return LEVEL.and;
  if (op === '+' || op === '-') return LEVEL.add;
  if (op === '*' || op === '/') return LEVEL.multiply;
  if (op === '%') return LEVEL.atom; // modulo(a, b)
  return LEVEL.compare;
}

/** FEEL names are plain identifiers here; anything else (spaces, `$`, keywords) is refused by the parsers. */
export const FEEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names a translated variable cannot have: FEEL's keywords, and the literals and `not`, which do
 * parse alone (so feel.ts lets them through) but would not read as the variable.
 */
export const FEEL_RESERVED: ReadonlySet<string> = new Set([...FEEL_KEYWORDS, 'null', 'true', 'false', 'not']);

export function checkName(name: string): string {
  if (!FEEL_NAME.test(name)) throw new Untranslatable(`the name "${name}" is not a plain FEEL name`);
  if (FEEL_RESERVED.has(name)) throw new Untranslatable(`"${name}" is a FEEL keyword`);
  return name;
}

export function toFeel(expr: Expr): string {
  switch (expr.kind) {
    case 'name':
      return expr.path.join('.');
    case 'literal':
      return literal(expr.value);
    case 'number':
      return expr.text;
    case 'not':
      return `not(${toFeel(expr.operand)})`;
    case 'negate':
      return `-${wrap(expr.operand, LEVEL.atom)}`;
    case 'empty': {
      // JUEL's `empty` is true for null, "" and empty lists and maps. FEEL compares values of
      // different types as null, so the test sits in an if, whose else branch takes null too.
      const x = wrap(expr.operand, LEVEL.compare + 1);
      return `(if ${x} = null or ${x} = "" or ${x} = [] or ${x} = {} then true else false)`;
    }
    case 'if':
      // an else branch may chain (`else if`); an if as the test or then branch gets parentheses
      return `if ${wrap(expr.test, LEVEL.or)} then ${wrap(expr.then, LEVEL.or)} else ${toFeel(expr.otherwise)}`;
    case 'binary':
      return binary(expr.op, expr.left, expr.right);
  }
}

function binary(op: BinaryOp, left: Expr, right: Expr): string {
  // FEEL's modulo is floored (the sign of the divisor), JUEL's and XPath's truncated: they
  // differ for negative operands only.
  if (op === '%') return `modulo(${toFeel(left)}, ${toFeel(right)})`;
  const level = binaryLevel(op);
  // Comparisons do not chain in FEEL (`a = b = c` means something else), so both sides of one
  // bind tighter; arithmetic is left-associative; `and`/`or` are associative.
  const associative = op === 'and' || op === 'or';
  const leftMin = level === LEVEL.compare ? level + 1 : level;
  const rightMin = associative ? level : level + 1;
  return `${wrap(left, leftMin)} ${op} ${wrap(right, rightMin, true)}`;
}

/**
 * Parenthesised when it binds looser than `min`; a negation right of an operator always is:
 * feelin evaluates `2 - -3` to null.
 */
function wrap(expr: Expr, min: number, right = false): string {
  const text = toFeel(expr);
  if (levelOf(expr) < min || (right && expr.kind === 'negate')) return `(${text})`;
  return text;
}

function literal(value: string | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => ESCAPES[c])}"`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A number literal as FEEL writes it: digits, an optional fraction, no exponent. */
export function numberLiteral(text: string): Expr {
  const plain = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (plain && (plain[1] || plain[2])) {
    const whole = plain[1].replace(/^0+(?=\d)/, '') || '0';
    return { kind: 'number', text: plain[2] ? `${whole}.${plain[2]}` : whole };
  }
  const value = Number(text);
  const written = String(value);
  if (!Number.isFinite(value) || /e/i.test(written))
    throw new Untranslatable(`the number ${text} has no plain FEEL form`);
  return { kind: 'number', text: written };
}
