// What the JUEL and XPath parsers share. Both languages bind the same way (or, and, equality,
// relational, additive, multiplicative, then unary) with left-associative binary operators, and
// both are read one token ahead with the same groups, numbers and strings; they differ in how the
// operators are spelled, so each language gives a table of its spellings and keeps its own
// tokenizer, unary rule and other primaries.
import { type BinaryOp, type Expr, numberLiteral, type Untranslatable } from './feel-ast.ts';

export interface Token {
  type: 'number' | 'string' | 'name' | 'op' | 'end';
  text: string;
  /** Offset in the whole attribute text. */
  at: number;
  /** A string literal's value: its text without the quotes and escapes. */
  value?: string;
}

/**
 * Binding levels, loosest first. Each maps an operator, as the parser's `operator()` spells it,
 * to the FEEL operator it means.
 */
export type Levels = readonly Readonly<Record<string, BinaryOp>>[];

/** The language's side of a precedence parse. */
export interface OperatorReader {
  /** The current token as an operator spelling; '' when the token cannot be an operator. */
  operator(): string;
  /** Consumes the current token. */
  advance(): void;
  /** The tightest level: the language's unary rule. */
  unary(): Expr;
}

export function parseBinary(levels: Levels, reader: OperatorReader, level = 0): Expr {
  if (level === levels.length) return reader.unary();
  const ops = levels[level];
  let left = parseBinary(levels, reader, level + 1);
  // Object.hasOwn: an XPath name token such as `constructor` must not find Object.prototype's.
  for (let key = reader.operator(); Object.hasOwn(ops, key); key = reader.operator()) {
    reader.advance();
    left = { kind: 'binary', op: ops[key], left, right: parseBinary(levels, reader, level + 1) };
  }
  return left;
}

/** A recursive-descent parser one token ahead; the subclass tokenizes and words the errors. */
export abstract class TokenParser implements OperatorReader {
  protected token: Token;
  /** Where the next token starts. */
  offset: number;

  constructor(
    protected readonly text: string,
    start: number,
  ) {
    this.offset = start;
    this.token = this.next();
  }

  /** Reads the token at `offset` and moves `offset` past it. */
  protected abstract next(): Token;
  protected abstract unexpected(): Untranslatable;
  abstract unary(): Expr;
  abstract expression(): Expr;

  operator(): string {
    return this.opText();
  }

  advance(): void {
    this.token = this.next();
  }

  /** The primaries both languages write alike: `(expr)`, numbers and strings; undefined for the rest. */
  protected groupOrLiteral(): Expr | undefined {
    const token = this.token;
    if (this.accept('(')) {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token.type === 'number') {
      this.advance();
      return numberLiteral(token.text);
    }
    if (token.type === 'string') {
      this.advance();
      return { kind: 'literal', value: token.value ?? '' };
    }
    return undefined;
  }

  protected opText(): string {
    return this.token.type === 'op' ? this.token.text : '';
  }

  protected accept(op: string): boolean {
    if (this.opText() !== op) return false;
    this.advance();
    return true;
  }

  protected expect(op: string): void {
    if (!this.accept(op)) throw this.unexpected();
  }
}
