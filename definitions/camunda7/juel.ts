// JUEL (the Java Unified Expression Language Camunda 7 evaluates `${...}` and `#{...}` with) to
// FEEL: a tokenizer and a recursive-descent parser for the part of the language FEEL can say the
// same way: names and property paths, literals, comparisons, logic, arithmetic, `empty` and the
// ternary. Method and function calls, engine objects and templates mixing text with expressions
// are refused with the reason.
import { checkName, type Expr, Untranslatable } from './feel-ast.ts';
import { type Levels, parseBinary, type Token, TokenParser } from './precedence.ts';

/** A value as written in a Camunda 7 attribute: plain text, or one whole expression. */
export type JuelValue = { kind: 'text'; text: string } | { kind: 'expression'; expr: Expr };

export function readJuel(text: string): JuelValue {
  const open = /[$#]\{/.exec(text);
  if (!open) return { kind: 'text', text };
  if (text.slice(0, open.index).trim()) throw templateError();
  const parser = new JuelParser(text, open.index + 2);
  const expr = parser.expression();
  parser.expectClose();
  if (text.slice(parser.offset).trim()) throw templateError();
  return { kind: 'expression', expr };
}

/**
 * The bean and method a service expression calls: `${invoiceService.archive(execution, x)}` ->
 * `invoiceService.archive`. The arguments are skipped, not translated: they are not passed on.
 */
export function readMethodCall(text: string): string {
  const open = /[$#]\{/.exec(text);
  if (!open) throw new Untranslatable('it is not a JUEL expression');
  if (text.slice(0, open.index).trim()) throw templateError();
  const parser = new JuelParser(text, open.index + 2);
  const target = parser.methodCall();
  parser.expectClose();
  if (text.slice(parser.offset).trim()) throw templateError();
  return target;
}

function templateError(): Untranslatable {
  return new Untranslatable('it mixes text with expressions (a template), which FEEL has no form for');
}

/** Objects the Camunda 7 engine puts in scope; FEEL would read them as (missing) variables. */
const ENGINE_OBJECTS = new Set([
  'execution',
  'task',
  'externalTask',
  'caseExecution',
  'authenticatedUserId',
  'processEngine',
  'processEngineServices',
  'variableScope',
  'connection',
]);

/** Camunda 7's multi-instance variables and their Camunda 8 names (loopCounter is handled apart). */
const RENAMED = new Map([
  ['nrOfInstances', 'numberOfInstances'],
  ['nrOfCompletedInstances', 'numberOfCompletedInstances'],
  ['nrOfActiveInstances', 'numberOfActiveInstances'],
]);

const KEYWORD_OPS: Record<string, string> = {
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  and: '&&',
  or: '||',
  not: '!',
  div: '/',
  mod: '%',
};
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':'];
const PUNCTUATION = ['(', ')', '[', ']', '.', ',', '}'];

/** The tokenizer has already turned the keyword spellings (`eq`, `and`, `div`, ...) into these. */
const LEVELS: Levels = [
  { '||': 'or' },
  { '&&': 'and' },
  { '==': '=', '!=': '!=' },
  { '<': '<', '>': '>', '<=': '<=', '>=': '>=' },
  { '+': '+', '-': '-' },
  { '*': '*', '/': '/', '%': '%' },
];

class JuelParser extends TokenParser {
  expression(): Expr {
    const test = parseBinary(LEVELS, this);
    if (!this.accept('?')) return test;
    const then = this.expression();
    this.expect(':');
    const otherwise = this.expression();
    return { kind: 'if', test, then, otherwise };
  }

  methodCall(): string {
    const path: string[] = [];
    do {
      if (this.token.type !== 'name') throw this.unexpected();
      path.push(this.token.text);
      this.advance();
    } while (this.accept('.'));
    if (this.accept('(')) {
      for (let depth = 1; depth > 0; this.advance()) {
        if (this.atEnd()) throw this.unexpected();
        if (this.opText() === '(') depth++;
        else if (this.opText() === ')') depth--;
      }
    }
    return path.join('.');
  }

  expectClose(): void {
    if (this.token.text !== '}' || this.token.type !== 'op') throw this.unexpected();
  }

  unary(): Expr {
    if (this.accept('!')) return { kind: 'not', operand: this.unary() };
    if (this.accept('-')) return { kind: 'negate', operand: this.unary() };
    if (this.token.type === 'name' && this.token.text === 'empty') {
      this.advance();
      return { kind: 'empty', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const shared = this.groupOrLiteral();
    if (shared) return shared;
    const token = this.token;
    if (token.type !== 'name') throw this.unexpected();
    this.advance();
    if (token.text === 'true' || token.text === 'false')
      return { kind: 'literal', value: token.text === 'true' };
    if (token.text === 'null') return { kind: 'literal', value: null };
    if (token.text === 'instanceof' || token.text === 'empty') throw this.unexpected(token);
    if (this.opText() === '(') throw new Untranslatable(`it calls the function ${token.text}(...)`);
    return this.members(token.text);
  }

  /** `a.b['c']`: a property path; a call on it (`a.b(...)`) is a method call. */
  private members(first: string): Expr {
    const path = [first];
    for (;;) {
      if (this.accept('.')) {
        const name = this.token;
        if (name.type !== 'name') throw this.unexpected();
        this.advance();
        path.push(name.text);
      } else if (this.opText() === '[') {
        this.advance();
        const key = this.token;
        if (key.type !== 'string')
          throw new Untranslatable(`it indexes ${path.join('.')}[...] by a computed key`);
        this.advance();
        this.expect(']');
        path.push(key.value ?? '');
      } else break;
    }
    if (this.opText() === '(') throw new Untranslatable(`it calls the method ${path.join('.')}(...)`);
    if (ENGINE_OBJECTS.has(first)) throw new Untranslatable(`it uses Camunda 7's engine object "${first}"`);
    const renamed = path.length === 1 ? RENAMED.get(first) : undefined;
    if (renamed) return { kind: 'name', path: [renamed] };
    if (path.length === 1 && first === 'loopCounter') {
      // Camunda 7 counts instances from 0, Camunda 8 (and govflow) from 1.
      const counter: Expr = { kind: 'name', path: ['loopCounter'] };
      return { kind: 'binary', op: '-', left: counter, right: { kind: 'number', text: '1' } };
    }
    return { kind: 'name', path: path.map(checkName) };
  }

  /** A method, not a property read: TypeScript would keep `token` narrowed across advance(). */
  private atEnd(): boolean {
    return this.token.type === 'end';
  }

  protected unexpected(token = this.token): Untranslatable {
    if (token.type === 'end') return new Untranslatable('the expression is not closed with "}"');
    return new Untranslatable(`it does not parse as JUEL at "${token.text}" (character ${token.at + 1})`);
  }

  protected next(): Token {
    const { text } = this;
    while (this.offset < text.length && /\s/.test(text[this.offset])) this.offset++;
    const at = this.offset;
    if (at >= text.length) return { type: 'end', text: '', at };
    const c = text[at];
    if (c === "'" || c === '"') return this.string(c, at);
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 64));
    if (number) return this.make('number', number[0], at);
    const name = /^[A-Za-z_$][\w$]*/.exec(text.slice(at, at + 256));
    if (name) {
      const op = KEYWORD_OPS[name[0]];
      return op ? { ...this.make('op', name[0], at), text: op } : this.make('name', name[0], at);
    }
    const op = [...OPERATORS, ...PUNCTUATION].find((o) => text.startsWith(o, at));
    if (op) return this.make('op', op, at);
    throw new Untranslatable(`it does not parse as JUEL at "${c}" (character ${at + 1})`);
  }

  private make(type: Token['type'], text: string, at: number): Token {
    this.offset = at + text.length;
    return { type, text, at };
  }

  /** JUEL strings escape only the quote, the other quote and the backslash. */
  private string(quote: string, at: number): Token {
    let value = '';
    for (let i = at + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === quote) {
        this.offset = i + 1;
        return { type: 'string', text: this.text.slice(at, i + 1), at, value };
      }
      if (c === '\\' && /['"\\]/.test(this.text[i + 1] ?? '')) value += this.text[++i];
      else value += c;
    }
    throw new Untranslatable(`its string starting at character ${at + 1} is not closed`);
  }
}
