// XML -> moddle tree, for every moddle dialect the compilers read (BPMN in ./parse.ts, DMN in
// ./dmn/parse.ts). Every warning moddle reports becomes a diagnostic, an error unless it cannot
// change what the model does: a model that only half-parses must not deploy. A dialect sets
// what differs: its moddle, root type, diagnostic codes and messages.
import { makeDiagnostic } from './diagnostic.ts';
import type { Locator, SourcePosition } from './locate.ts';
import type { ModdleElement, ModdleParseResult, ModdleWarning } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';

/**
 * moddle's lax mode locates every structural error by rescanning the text from its start, so a
 * document with thousands of bad elements takes minutes. Strict mode stops at the first
 * structural error in linear time; only documents this small (worst case well under a second)
 * get a second, lax pass that lists every structural error.
 */
export const FULL_REPORT_MAX_CHARS = 32 * 1024;

/** A reference moddle could not resolve, kept so rules can name the missing id. */
export interface UnresolvedReference {
  element: ModdleElement;
  property: string;
  id: string;
  /** The diagnostic reported for it, if any (index.ts relaxes it outside the compiled process). */
  diagnostic?: Diagnostic;
}

/** The part of a moddle instance (bpmn-moddle, dmn-moddle) parsing uses. */
export interface ModdleReader {
  fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<unknown>;
}

/** What differs between the moddle dialects. */
export interface ModdleDialect {
  /** The dialect's moddle instance. */
  moddle(): ModdleReader;
  /** The type of the root element, e.g. `bpmn:Definitions`. */
  rootType: string;
  /** Prefix of the codes of diagnostics about the dialect's schema: '' for BPMN, 'dmn-' for DMN. */
  codePrefix: string;
  /** Nested moddle errors reported as an unknown element; any other is XML that is not well-formed. */
  unknownElement: RegExp;
  /** Which schema an unknown element is not part of, e.g. `its namespace's schema`. */
  unknownElementSchema: string;
  /** Where the unknown attribute `property` of `element` is written. */
  attributePosition(locator: Locator, element: ModdleElement, property: string): SourcePosition | undefined;
  /** Names the element holding an unresolved reference, to open the message about it. */
  referrer(element: ModdleElement): string;
  /** Type prefix of the diagram elements: their unresolved references are warnings. */
  diagramPrefix: string;
  /** Whether an unresolved reference gets a diagnostic (else only a rule may name it); default all. */
  reportsUnresolved?(reference: UnresolvedReference): boolean;
  /** The diagnostic for a fatal parser error that means the document is not of this dialect. */
  notModel?(message: string, text: string, locator: Locator): Diagnostic | undefined;
}

export interface ModdleSource {
  /** The document as given: its size decides on the lax pass, and diagnostics point into it. */
  text: string;
  locator: Locator;
  /** What moddle reads, when the text was rewritten first; default the text. */
  xml?: string;
  /** The source position of moddle's 0-based line and column; default the same line and column. */
  position?(line: number, column: number): SourcePosition;
}

export interface ModdleParsed {
  definitions?: ModdleElement;
  diagnostics: Diagnostic[];
  unresolved: UnresolvedReference[];
}

export async function parseModdle(dialect: ModdleDialect, source: ModdleSource): Promise<ModdleParsed> {
  const moddle = dialect.moddle();
  const xml = source.xml ?? source.text;
  let result: ModdleParseResult;
  try {
    result = (await moddle.fromXML(xml, dialect.rootType, { lax: false })) as ModdleParseResult;
  } catch (strictError) {
    if (source.text.length > FULL_REPORT_MAX_CHARS || isFatal(strictError)) {
      return { diagnostics: [fatalDiagnostic(dialect, source, strictError)], unresolved: [] };
    }
    try {
      result = (await moddle.fromXML(xml, dialect.rootType)) as ModdleParseResult;
    } catch (error) {
      return { diagnostics: [fatalDiagnostic(dialect, source, error)], unresolved: [] };
    }
  }
  const parsed: ModdleParsed = { definitions: result.rootElement, diagnostics: [], unresolved: [] };
  for (const warning of result.warnings) {
    const diagnostic = warningDiagnostic(dialect, source, warning, parsed);
    if (diagnostic) parsed.diagnostics.push(diagnostic);
  }
  return parsed;
}

/** Errors after which lax mode cannot produce a tree either (not well-formed, not the dialect). */
function isFatal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return !/nested error: (unknown type|duplicate ID|unrecognized element)/.test(message);
}

const UNPARSABLE = /^unparsable content (.*?) detected\s+line: (\d+)\s+column: (\d+)\s+nested error: (.*)$/s;

function warningDiagnostic(
  dialect: ModdleDialect,
  source: ModdleSource,
  warning: ModdleWarning,
  parsed: ModdleParsed,
): Diagnostic | undefined {
  const { locator } = source;
  const message = String(warning.message ?? '');
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) return unparsableDiagnostic(dialect, source, unparsable);
  const element = warning.element;
  const property = String(warning.property ?? '');
  if (/^unknown attribute <(.*)>$/.test(message) && element) {
    return makeDiagnostic(
      locator,
      `${dialect.codePrefix}unknown-attribute`,
      `Unknown attribute "${property}" on <${element.$type}>`,
      element,
      { position: dialect.attributePosition(locator, element, property) },
    );
  }
  const unresolved = /^unresolved reference <(.*)>$/.exec(message);
  if (unresolved && element) {
    const reference: UnresolvedReference = { element, property, id: unresolved[1] };
    parsed.unresolved.push(reference);
    if (dialect.reportsUnresolved && !dialect.reportsUnresolved(reference)) return undefined;
    reference.diagnostic = makeDiagnostic(
      locator,
      `${dialect.codePrefix}unresolved-reference`,
      `${dialect.referrer(element)} refers to "${unresolved[1]}" (${property}), which does not exist`,
      element,
      { severity: element.$type.startsWith(dialect.diagramPrefix) ? 'warning' : 'error' },
    );
    return reference.diagnostic;
  }
  const encoding = /^unsupported document encoding <(.*)>/.exec(message);
  if (encoding) {
    // The text was already decoded (as strict UTF-8 when given bytes), so the declaration is moot.
    return makeDiagnostic(
      locator,
      'xml-encoding-ignored',
      `The XML declares encoding ${encoding[1]}; it is read as UTF-8`,
      undefined,
      { severity: 'warning' },
    );
  }
  return makeDiagnostic(locator, 'xml-invalid', message, element);
}

function fatalDiagnostic(dialect: ModdleDialect, source: ModdleSource, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const notModel = dialect.notModel?.(message, source.text, source.locator);
  if (notModel) return notModel;
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) {
    return unparsableDiagnostic(dialect, source, unparsable, source.text.length > FULL_REPORT_MAX_CHARS);
  }
  return makeDiagnostic(source.locator, 'xml-invalid', `The XML could not be read: ${message}`);
}

/** A structural error moddle reported with its position (`unparsable content ... detected`). */
function unparsableDiagnostic(
  dialect: ModdleDialect,
  source: ModdleSource,
  match: RegExpExecArray,
  firstOnly = false,
): Diagnostic {
  const { locator } = source;
  const [, content, line, column, nested] = match;
  // moddle counts lines and columns from 0
  const position = source.position
    ? source.position(Number(line), Number(column))
    : locator.position(Number(line) + 1, Number(column) + 1);
  const more = firstOnly ? ' (for a model this large only the first such problem is listed)' : '';
  const duplicate = /^duplicate ID <(.*)>$/.exec(nested);
  if (duplicate) {
    const message = `The id "${duplicate[1]}" is used by more than one element${more}`;
    const code = `${dialect.codePrefix}duplicate-id`;
    return makeDiagnostic(locator, code, message, { id: duplicate[1] }, { position });
  }
  const unknown = dialect.unknownElement.exec(nested);
  if (unknown) {
    const id = idInTagAt(locator, position);
    const message = `Unknown element ${tagOf(content)}: ${unknown[1]} is not part of ${dialect.unknownElementSchema}${more}`;
    const code = `${dialect.codePrefix}unknown-element`;
    return makeDiagnostic(locator, code, message, id ? { id } : undefined, { position });
  }
  const where = content ? ` at ${content}` : '';
  return makeDiagnostic(
    locator,
    'xml-invalid',
    `The XML is not well-formed${where}: ${nested}${more}`,
    undefined,
    { position },
  );
}

/** The id attribute of the tag starting at `position`, if any (moddle drops unknown elements). */
function idInTagAt(locator: Locator, position: SourcePosition): string | undefined {
  return /^<[^>]*?\sid\s*=\s*["']([^"']*)["']/.exec(locator.slice(position.offset, 4096))?.[1];
}

function tagOf(content: string): string {
  const name = /<\/?([^\s/>]+)/.exec(content)?.[1];
  return name ? `<${name}>` : content;
}
