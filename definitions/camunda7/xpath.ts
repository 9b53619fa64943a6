// The BPMN specification's XPath conditions to FEEL. The spec gives process data to XPath through
// functions in the BPMN namespace; `bpmn:getDataObject('x')` is the data object named x, which a
// Camunda engine keeps as the variable x. Around it, XPath 1.0's boolean and arithmetic operators,
// `not()`, `true()`, `false()` and literals map one to one; paths into the XML and every other
// function are refused with the reason.
import { checkName, type Expr, Untranslatable } from './feel-ast.ts';
import { type Levels, parseBinary, type Token, TokenParser } from './precedence.ts';

export const XPATH_LANGUAGE = 'http://www.w3.org/1999/XPath';

/** Is this prefix (of `prefix:getDataObject`) bound to the BPMN model namespace? */
export type BpmnPrefixTest = (prefix: string) => boolean;

export function readXPath(text: string, isBpmnPrefix: BpmnPrefixTest): Expr {
  const parser = new XPathParser(text, isBpmnPrefix);
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

const OPERATOR_NAMES = new Set(['and', 'or', 'div', 'mod']);
const OPERATORS = [
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '(',
  ')',
  ',',
  '/',
  '[',
  ']',
  '$',
  '@',
  '|',
];
/** `or`, `and`, `div` and `mod` are spelled as names (see `operator`), the rest as op tokens. */
const LEVELS: Levels = [
  { or: 'or' },
  { and: 'and' },
  { '=': '=', '!=': '!=' },
  { '<': '<', '<=': '<=', '>': '>', '>=': '>=' },
  { '+': '+', '-': '-' },
  { '*': '*', div: '/', mod: '%' },
];

class XPathParser extends TokenParser {
  constructor(
    text: string,
    private readonly isBpmnPrefix: BpmnPrefixTest,
  ) {
    super(text, 0);
  }

  /** `or`, `and`, `div` and `mod` are name tokens. */
  override operator(): string {
    return this.token.type === 'name' ? this.token.text : this.opText();
  }

  expression(): Expr {
    return parseBinary(LEVELS, this);
  }

  expectEnd(): void {
    if (this.token.type !== 'end') throw this.unexpected();
  }

  unary(): Expr {
    if (this.accept('-')) return { kind: 'negate', operand: this.unary() };
    const primary = this.primary();
    const op = this.opText();
    if (op === '/' || op === '[' || op === '|')
      throw new Untranslatable(
        `it reads a path or filter ("${op}") in XML data, which FEEL variables do not have`,
      );
    return primary;
  }

  private primary(): Expr {
    const shared = this.groupOrLiteral();
    if (shared) return shared;
    const token = this.token;
    if (token.type === 'op' && (token.text === '$' || token.text === '@' || token.text === '/'))
      throw new Untranslatable(`it uses the XPath construct "${token.text}", which has no FEEL equivalent`);
    if (token.type !== 'name' || OPERATOR_NAMES.has(token.text)) throw this.unexpected();
    this.advance();
    if (this.opText() !== '(')
      throw new Untranslatable(
        `it reads the XML path "${token.text}"; only bpmn:getDataObject('name') reads process data`,
      );
    this.advance();
    return this.call(token.text);
  }

  private call(name: string): Expr {
    const args: Expr[] = [];
    if (!this.accept(')')) {
      do args.push(this.expression());
      while (this.accept(','));
      this.expect(')');
    }
    const colon = name.indexOf(':');
    const local = colon === -1 ? name : name.slice(colon + 1);
    const bpmn = colon !== -1 && this.isBpmnPrefix(name.slice(0, colon));
    const [first] = args;
    if (bpmn && local === 'getDataObject' && args.length === 1 && first.kind === 'literal')
      return { kind: 'name', path: [checkName(String(first.value))] };
    if (colon === -1 && local === 'not' && args.length === 1) return { kind: 'not', operand: args[0] };
    if (colon === -1 && (local === 'true' || local === 'false') && args.length === 0)
      return { kind: 'literal', value: local === 'true' };
    throw new Untranslatable(`it calls the XPath function ${name}(), which has no FEEL translation here`);
  }

  protected unexpected(): Untranslatable {
    if (this.token.type === 'end') return new Untranslatable('the XPath expression ends unexpectedly');
    return new Untranslatable(
      `it does not parse as XPath at "${this.token.text}" (character ${this.token.at + 1})`,
    );
  }

  protected next(): Token {
    while (this.offset < this.text.length && /\s/.test(this.text[this.offset])) this.offset++;
    const at = this.offset;
    if (at >= this.text.length) return { type: 'end', text: '', at };
    const token = { ...lexeme(this.text, at), at };
    this.offset = at + token.text.length;
    return token;
  }
}

function lexeme(text: string, at: number): Omit<Token, 'at'> {
  const c = text[at];
  if (c === "'" || c === '"') {
    const close = text.indexOf(c, at + 1); // XPath 1.0 strings have no escapes
    if (close === -1) throw new Untranslatable(`its string starting at character ${at + 1} is not closed`);
    return { type: 'string', text: text.slice(at, close + 1), value: text.slice(at + 1, close) };
  }
  const rest = text.slice(at, at + 256);
  const number = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(rest);
  if (number) return { type: 'number', text: number[0] };
  const name = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/.exec(rest);
  if (name) return { type: 'name', text: name[0] };
  const op = OPERATORS.find((o) => text.startsWith(o, at));
  if (op) return { type: 'op', text: op };
  throw new Untranslatable(`it does not parse as XPath at "${c}" (character ${at + 1})`);
}
