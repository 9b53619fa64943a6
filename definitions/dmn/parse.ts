// XML -> dmn-moddle tree. As for BPMN (../parse.ts), every parser warning becomes an error
// diagnostic, except unresolved references of the diagram (DMNDI), which cannot change a result.
import { DmnModdle } from 'dmn-moddle';
import { makeDiagnostic } from '../diagnostic.ts';
import type { Locator, SourcePosition } from '../locate.ts';
import type { ModdleElement, ModdleParseResult, ModdleWarning } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { DMN_MODEL_NAMESPACES, type Normalized, rootElement, toDmn13 } from './namespace.ts';

export interface ParsedDmn {
  definitions?: ModdleElement;
  diagnostics: Diagnostic[];
}

let moddle: DmnModdle | undefined;

/**
 * Lax parsing locates each structural error by rescanning the text from its start, so it is
 * quadratic; larger documents get the strict pass only, which stops at the first such error.
 */
const FULL_REPORT_MAX_CHARS = 32 * 1024;

const UNPARSABLE = /^unparsable content (.*?) detected\s+line: (\d+)\s+column: (\d+)\s+nested error: (.*)$/s;

export async function parseDmn(text: string, locator: Locator): Promise<ParsedDmn> {
  const root = rootElement(text);
  if (root?.localName !== 'definitions' || !root.namespace || !(root.namespace in DMN_MODEL_NAMESPACES)) {
    const namespace = root?.namespace ? ` in namespace ${root.namespace}` : '';
    const message = `The document is not a DMN model: its root element is <${root?.name ?? '?'}>${namespace}; expected <definitions> in a DMN 1.1 to 1.5 namespace (DMN 1.3: ${Object.keys(DMN_MODEL_NAMESPACES)[2]})`;
    const position = root ? locator.at(root.offset) : undefined;
    return { diagnostics: [makeDiagnostic(locator, 'dmn-not-dmn', message, undefined, { position })] };
  }
  const normalized = toDmn13(text);
  moddle ??= new DmnModdle();
  let result: ModdleParseResult;
  try {
    result = (await moddle.fromXML(normalized.text, 'dmn:Definitions', { lax: false })) as ModdleParseResult;
  } catch (strictError) {
    if (text.length > FULL_REPORT_MAX_CHARS || isFatal(strictError))
      return { diagnostics: [fatalDiagnostic(strictError, locator, normalized, text.length)] };
    try {
      result = (await moddle.fromXML(normalized.text, 'dmn:Definitions')) as ModdleParseResult;
    } catch (error) {
      return { diagnostics: [fatalDiagnostic(error, locator, normalized, text.length)] };
    }
  }
  const diagnostics = result.warnings.map((warning) => warningDiagnostic(warning, locator, normalized));
  return { definitions: result.rootElement, diagnostics };
}

/** Errors after which lax mode cannot produce a tree either. */
function isFatal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return !/nested error: (unknown type|duplicate ID|unrecognized element)/.test(message);
}

function fatalDiagnostic(error: unknown, locator: Locator, normalized: Normalized, size: number): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) return unparsableDiagnostic(unparsable, locator, normalized, size > FULL_REPORT_MAX_CHARS);
  return makeDiagnostic(locator, 'xml-invalid', `The XML could not be read: ${message}`);
}

function warningDiagnostic(warning: ModdleWarning, locator: Locator, normalized: Normalized): Diagnostic {
  const message = String(warning.message ?? '');
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) return unparsableDiagnostic(unparsable, locator, normalized);
  const element = warning.element;
  const property = String(warning.property ?? '');
  if (/^unknown attribute </.test(message) && element) {
    const start = locator.element(element.id)?.offset;
    const position = start === undefined ? undefined : locator.find(` ${property}=`, start, 4096);
    return makeDiagnostic(
      locator,
      'dmn-unknown-attribute',
      `Unknown attribute "${property}" on <${element.$type}>`,
      element,
      { position },
    );
  }
  const unresolved = /^unresolved reference <(.*)>$/.exec(message);
  if (unresolved && element) {
    return makeDiagnostic(
      locator,
      'dmn-unresolved-reference',
      `${element.$type} refers to "${unresolved[1]}" (${property}), which does not exist`,
      element,
      { severity: element.$type.startsWith('dmndi:') ? 'warning' : 'error' },
    );
  }
  const encoding = /^unsupported document encoding <(.*)>/.exec(message);
  if (encoding) {
    // the text was already decoded (as strict UTF-8 when given bytes), so the declaration is moot
    const text = `The XML declares encoding ${encoding[1]}; it is read as UTF-8`;
    return makeDiagnostic(locator, 'xml-encoding-ignored', text, undefined, { severity: 'warning' });
  }
  return makeDiagnostic(locator, 'xml-invalid', message, element);
}

/** A structural error moddle reported with its position (`unparsable content ... detected`). */
function unparsableDiagnostic(
  match: RegExpExecArray,
  locator: Locator,
  normalized: Normalized,
  firstOnly = false,
): Diagnostic {
  const [, content, line, column, nested] = match;
  const position = sourcePosition(locator, normalized, Number(line), Number(column));
  const more = firstOnly ? ' (for a model this large only the first such problem is listed)' : '';
  const duplicate = /^duplicate ID <(.*)>$/.exec(nested);
  if (duplicate) {
    const message = `The id "${duplicate[1]}" is used by more than one element${more}`;
    return makeDiagnostic(locator, 'dmn-duplicate-id', message, { id: duplicate[1] }, { position });
  }
  const unknown = /^(?:unknown type|unrecognized element) <(.*)>$/.exec(nested);
  if (unknown) {
    const id = /^<[^>]*?\sid\s*=\s*["']([^"']*)["']/.exec(locator.slice(position.offset, 4096))?.[1];
    const tag = /<\/?([^\s/>]+)/.exec(content)?.[1] ?? content;
    const message = `Unknown element <${tag}>: ${unknown[1]} is not part of DMN 1.3 or its diagram schema${more}`;
    return makeDiagnostic(locator, 'dmn-unknown-element', message, id ? { id } : undefined, { position });
  }
  const where = content ? ` at ${content}` : '';
  const text = `The XML is not well-formed${where}: ${nested}${more}`;
  return makeDiagnostic(locator, 'xml-invalid', text, undefined, { position });
}

/** moddle counts lines and columns from 0, in the rewritten text. */
function sourcePosition(
  locator: Locator,
  normalized: Normalized,
  line: number,
  column: number,
): SourcePosition {
  // line breaks are never rewritten, so only the column can have moved
  const rewritten = normalized.text;
  let lineStart = 0;
  for (let l = 0; l < line; l++) {
    const newline = rewritten.indexOf('\n', lineStart);
    if (newline === -1) return locator.position(line + 1, column + 1);
    lineStart = newline + 1;
  }
  return locator.at(normalized.toSource(Math.min(lineStart + column, rewritten.length)));
}
