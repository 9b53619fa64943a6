// Deploy-time syntax check of DMN input entries: FEEL unary tests (`< 18`, `"a","b"`, `not(1)`,
// `[1..5)`, `? > x`), parsed with the grammar feelin evaluates them with. Configured like
// ../feel.ts does for expressions, with the top rule feelin's unaryTest() uses.
import { parser, trackVariables } from '@bpmn-io/lezer-feel';

const options = { top: 'UnaryTests', contextTracker: trackVariables({}) };
const strictParser = parser.configure({ ...options, strict: true });
const tolerantParser = parser.configure(options);

const MAX_ENTRY_CHARS = 16 * 1024;

/** Why the input entry does not parse, or undefined when it does; '' and '-' match anything. */
export function unaryTestsSyntaxError(entry: string): string | undefined {
  const text = entry.trim();
  if (text === '' || text === '-') return undefined;
  if (text.length > MAX_ENTRY_CHARS) return `the entry is longer than ${MAX_ENTRY_CHARS} characters`;
  let errorAt = -1;
  try {
    strictParser.parse(text);
    return undefined;
  } catch (error) {
    const at = /^No parse at (\d+)$/.exec(error instanceof Error ? error.message : '');
    if (at) errorAt = Number(at[1]);
  }
  if (errorAt === -1) {
    // not the parser's own error: let the tolerant parser locate the problem
    tolerantParser.parse(text).iterate({
      enter(node) {
        if (errorAt === -1 && node.type.isError) errorAt = node.from;
        return errorAt === -1;
      },
    });
  }
  if (errorAt === -1) return undefined;
  const near = text.slice(errorAt, errorAt + 12);
  return near ? `syntax error at character ${errorAt + 1}, near "${near}"` : 'the entry ends unexpectedly';
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
