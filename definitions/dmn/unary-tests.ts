// Deploy-time syntax check of DMN input entries: FEEL unary tests (`< 18`, `"a","b"`, `not(1)`,
// `[1..5)`, `? > x`), parsed with the grammar feelin evaluates them with. Checked like
// ../feel.ts does for expressions, with the top rule feelin's unaryTest() uses.
import { syntaxChecker } from '../feel.ts';

const entrySyntaxError = syntaxChecker('UnaryTests', 'entry');

/** Why the input entry does not parse, or undefined when it does; '' and '-' match anything. */
export function unaryTestsSyntaxError(entry: string): string | undefined {
  const text = entry.trim();
  if (text === '' || text === '-') return undefined;
  return entrySyntaxError(text);
}

/**
 * The comma-separated literals of an outputValues list (`"red","yellow","green"`), split at the
 * commas outside strings and brackets; each is then checked as a FEEL expression.
 */
export function splitLiterals(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.length === 1 && parts[0] === '' ? [] : parts;
}
