// Camunda 7 expressions in attributes and in BPMN formal expressions (conditions, timers) turned
// into the FEEL Camunda 8 writes, or an error naming the element, the attribute and the text.
import { trimmed } from '../draft.ts';
import { feelSyntaxError } from '../feel.ts';
import type { SourcePosition } from '../locate.ts';
import type { ModdleElement } from '../moddle-types.ts';
import { type Converter, code, quote } from './converter.ts';
import { type Expr, toFeel, Untranslatable } from './feel-ast.ts';
import { readJuel } from './juel.ts';
import { readXPath, XPATH_LANGUAGE } from './xpath.ts';

/** FEEL text of a tree; the FEEL parser double-checks what the printer wrote. */
export function render(expr: Expr): string {
  const feel = toFeel(expr);
  const problem = feelSyntaxError(feel);
  if (problem) throw new Untranslatable(`its translation ${feel} is not valid FEEL (${problem})`);
  return feel;
}

/** Plain text (a literal in Camunda 7) or the FEEL of its one `${...}` expression. */
export type Translated = { kind: 'text'; text: string } | { kind: 'feel'; feel: string };

export function juelToFeel(value: string): Translated {
  const read = readJuel(value);
  return read.kind === 'text' ? read : { kind: 'feel', feel: render(read.expr) };
}

/** A JUEL-valued attribute or text; undefined after reporting why it has no translation. */
export function translateJuel(
  c: Converter,
  owner: ModdleElement,
  what: string,
  value: string,
  position?: SourcePosition,
): Translated | undefined {
  return c.attempt(
    owner,
    `${what} ${quote(value)} has no FEEL translation`,
    () => juelToFeel(value),
    position,
  );
}

/**
 * A zeebe: attribute value: literals stay literal, an expression becomes `=feel`. zeebe: would
 * read a literal starting with `=` as FEEL, so that one becomes a FEEL string.
 */
export function zeebeValue(translated: Translated): string {
  if (translated.kind === 'feel') return `=${translated.feel}`;
  const literal = translated.text.trim();
  return literal.startsWith('=') ? `=${toFeel({ kind: 'literal', value: literal })}` : literal;
}

/** Languages a formal expression may name that are FEEL, JUEL or XPath; any other is a script. */
const EXPRESSION_LANGUAGE = /feel|juel|xpath/i;

/**
 * A condition, completion condition or timer value. `${...}` is JUEL whatever the document's
 * expressionLanguage says (Camunda 7 ignores it; C.1.0 of the MIWG corpus declares XPath and writes
 * JUEL); otherwise a condition in XPath (its own language, or the one the definitions name) is
 * translated from XPath. A body already starting with `=` is FEEL, and any other text is left for
 * the FEEL and timer checks that follow.
 */
export function convertFormalExpression(
  c: Converter,
  owner: ModdleElement,
  expression: ModdleElement | undefined,
  what: string,
  conditional: boolean,
): void {
  const body = typeof expression?.body === 'string' ? expression.body.trim() : '';
  if (!expression || !body || body.startsWith('=')) return;
  const own = trimmed(expression.language);
  const explicit = Object.hasOwn(c.definitions, 'expressionLanguage')
    ? trimmed(c.definitions.expressionLanguage)
    : undefined;
  const script = own !== undefined && !EXPRESSION_LANGUAGE.test(own);
  const juel = /[$#]\{/.test(body);
  if (!script && !juel && !(conditional && (own ?? explicit) === XPATH_LANGUAGE)) return;
  // null: nothing to translate after all
  const feel = c.attempt(owner, `the ${what} ${quote(body)} has no FEEL translation`, (): string | null => {
    if (script) throw new Untranslatable(`it is a script in ${own}, which govflow does not run`);
    if (!juel) return render(readXPath(body, (prefix) => c.isBpmnPrefix(prefix, expression)));
    const translated = juelToFeel(body);
    // a literal beside an expression cannot reach here: readJuel refuses templates
    return translated.kind === 'feel' ? translated.feel : null;
  });
  if (feel === null) return;
  if (feel === undefined) {
    // FEEL that parses, so the FEEL check does not report the same text a second time
    expression.body = '=null';
    return;
  }
  expression.body = `=${feel}`;
  c.note(owner, `${what} ${quote(body)} → FEEL ${code(`=${feel}`)}`);
}
