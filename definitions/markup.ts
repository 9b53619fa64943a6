// One linear pass over the markup before the XML parser runs. It rejects what is dangerous
// (DOCTYPE/ENTITY declarations: entity expansion; absurd nesting; giant attribute values) and
// the attribute-level mistakes that make bpmn-moddle's parser slow: it locates each such
// warning by rescanning the text from the start, so thousands of them would take minutes.
// The scan only has to be right for what it lets through; the parser reports the rest.
import type { Locator } from './locate.ts';
import type { Diagnostic } from './model.ts';

export const MAX_DEPTH = 200;
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;

interface Problem {
  offset: number;
  code: string;
  message: string;
}

const ATTRIBUTE_NAME = /[A-Za-z_:][\w.:-]*/y;
const ELEMENT_NAME = /[^\s/>]+/y;
const NON_WHITESPACE = /\S/g;

export function scanMarkup(text: string, locator: Locator): Diagnostic | undefined {
  const problem = findProblem(text);
  if (!problem) return undefined;
  const { line, column } = locator.at(problem.offset);
  return { code: problem.code, severity: 'error', message: problem.message, line, column };
}

/** The first `<!DOCTYPE` or `<!ENTITY`, in any case (an indexOf scan: a case-insensitive regex is slower). */
function findDeclaration(text: string): { offset: number; keyword: string } | undefined {
  for (let at = text.indexOf('<!'); at !== -1; at = text.indexOf('<!', at + 2)) {
    for (const keyword of ['DOCTYPE', 'ENTITY']) {
      const written = text.slice(at + 2, at + 2 + keyword.length);
      if (written.toUpperCase() === keyword) return { offset: at, keyword: written };
    }
  }
  return undefined;
}

/** `/\s/.test(c)` for the character at `index`, without a regex for the ASCII ones. */
function isSpace(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(text[index]);
}

function findProblem(text: string): Problem | undefined {
  const declaration = findDeclaration(text);
  if (declaration) {
    return {
      offset: declaration.offset,
      code: 'doctype-forbidden',
      message: `<!${declaration.keyword}> declarations are not allowed in a model`,
    };
  }
  const scopes = new Namespaces();
  let rootSeen = false;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (scopes.depth === 0) {
      NON_WHITESPACE.lastIndex = i;
      const stray = NON_WHITESPACE.exec(text);
      if (stray && (lt === -1 || stray.index < lt))
        return invalid(stray.index, 'Text outside the root element');
    }
    if (lt === -1) return undefined;
    if (text.startsWith('<!--', lt)) i = skipPast(text, lt, '-->');
    else if (text.startsWith('<![CDATA[', lt)) i = skipPast(text, lt, ']]>');
    else if (text[lt + 1] === '?' || text[lt + 1] === '!') i = skipPast(text, lt, '>');
    else if (text[lt + 1] === '/') {
      scopes.close();
      i = skipPast(text, lt, '>');
    } else {
      if (rootSeen && scopes.depth === 0) return invalid(lt, 'A second root element follows the first');
      rootSeen = true;
      const tag = readTag(text, lt, scopes);
      if ('code' in tag) return tag;
      if (scopes.depth > MAX_DEPTH) {
        return {
          offset: lt,
          code: 'too-deeply-nested',
          message: `Elements are nested more than ${MAX_DEPTH} levels deep`,
        };
      }
      i = tag.end + 1;
    }
    if (i === -1) return undefined; // unterminated: the parser names it
  }
  return undefined;
}

/** Reads the start tag at `lt`, checking each attribute; opens its namespace scope unless self-closing. */
function readTag(text: string, lt: number, scopes: Namespaces): { end: number } | Problem {
  ELEMENT_NAME.lastIndex = lt + 1;
  const name = ELEMENT_NAME.exec(text)?.[0] ?? '';
  const seen = new Set<string>();
  const declared: string[] = [];
  const prefixed: Array<{ name: string; offset: number }> = [];
  let p = lt + 1 + name.length;
  for (;;) {
    while (p < text.length && isSpace(text, p)) p++;
    if (p >= text.length) return { end: text.length };
    if (text[p] === '>' || (text[p] === '/' && text[p + 1] === '>')) break;
    ATTRIBUTE_NAME.lastIndex = p;
    const attribute = ATTRIBUTE_NAME.exec(text)?.[0];
    if (!attribute) return invalid(p, `Unexpected character "${text[p]}" in the tag <${name}>`);
    const equals = p + attribute.length;
    if (text[equals] !== '=')
      return invalid(
        equals,
        `Attribute "${attribute}" of <${name}> must be written ${attribute}="value" (no spaces around =)`,
      );
    const quote = text[equals + 1];
    if (quote !== '"' && quote !== "'")
      return invalid(equals + 1, `The value of attribute "${attribute}" of <${name}> is not quoted`);
    const close = text.indexOf(quote, equals + 2);
    if (close === -1)
      return invalid(equals + 1, `The value of attribute "${attribute}" of <${name}> is never closed`);
    if (close - equals - 2 > MAX_ATTRIBUTE_CHARS) {
      return {
        offset: p,
        code: 'attribute-too-long',
        message: `Attribute "${attribute}" of <${name}> is longer than ${MAX_ATTRIBUTE_CHARS / 1024} KB`,
      };
    }
    if (seen.has(attribute)) return invalid(p, `Attribute "${attribute}" appears twice on <${name}>`);
    seen.add(attribute);
    if (attribute.startsWith('xmlns:')) declared.push(attribute.slice(6));
    else if (attribute.includes(':')) prefixed.push({ name: attribute, offset: p });
    p = close + 1;
    if (p < text.length && text[p] !== '/' && text[p] !== '>' && !isSpace(text, p))
      return invalid(p, `Attribute "${attribute}" of <${name}> must be followed by a space`);
  }
  const selfClosing = text[p] === '/';
  scopes.open(declared);
  const undeclared = prefixed.find((a) => !scopes.has(a.name.slice(0, a.name.indexOf(':'))));
  if (selfClosing) scopes.close();
  if (undeclared)
    return invalid(
      undeclared.offset,
      `Attribute "${undeclared.name}" uses a namespace prefix that is not declared`,
    );
  return { end: selfClosing ? p + 1 : p };
}

/** Namespace prefixes in scope, per open element. */
class Namespaces {
  private readonly frames: string[][] = [];
  private readonly counts = new Map<string, number>([
    ['xml', 1],
    ['xmlns', 1],
  ]);

  get depth(): number {
    return this.frames.length;
  }

  open(prefixes: string[]): void {
    this.frames.push(prefixes);
    for (const prefix of prefixes) this.counts.set(prefix, (this.counts.get(prefix) ?? 0) + 1);
  }

  close(): void {
    for (const prefix of this.frames.pop() ?? []) this.counts.set(prefix, (this.counts.get(prefix) ?? 1) - 1);
  }

  has(prefix: string): boolean {
    return (this.counts.get(prefix) ?? 0) > 0;
  }
}

function skipPast(text: string, from: number, terminator: string): number {
  const index = text.indexOf(terminator, from);
  return index === -1 ? -1 : index + terminator.length;
}

function invalid(offset: number, message: string): Problem {
  return { offset, code: 'xml-invalid', message };
}
