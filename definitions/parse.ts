// XML -> moddle tree with the BPMN, Camunda 8 (zeebe:) and govflow: packages. Every warning
// bpmn-moddle reports is turned into an error diagnostic: a model that only half-parses must
// not deploy. Unknown elements and attributes in foreign namespaces (modeler:, camunda:, ...)
// are kept by moddle as generic content and are not reported.
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { makeDiagnostic, owningElement } from './diagnostic.ts';
import govflow from './govflow.json' with { type: 'json' };
import type { Locator, SourcePosition } from './locate.ts';
import type { ModdleElement, ModdleParseResult, ModdleWarning } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';

/** A reference moddle could not resolve, kept so rules can name the missing id. */
export interface UnresolvedReference {
  element: ModdleElement;
  property: string;
  id: string;
  /** The diagnostic reported for it, if any (index.ts relaxes it outside the compiled process). */
  diagnostic?: Diagnostic;
}

export interface ParsedModel {
  definitions?: ModdleElement;
  diagnostics: Diagnostic[];
  unresolved: UnresolvedReference[];
}

let moddle: BpmnModdle | undefined;

/**
 * bpmn-moddle's lax mode locates every structural error by rescanning the text from its
 * start, so a document with thousands of bad elements takes minutes. Strict mode stops at
 * the first structural error in linear time; only documents this small (worst case well
 * under a second) get a second, lax pass that lists every structural error.
 */
export const FULL_REPORT_MAX_CHARS = 32 * 1024;

export async function parseBpmn(text: string, locator: Locator): Promise<ParsedModel> {
  moddle ??= new BpmnModdle({ zeebe, govflow });
  let result: ModdleParseResult;
  try {
    result = (await moddle.fromXML(text, 'bpmn:Definitions', { lax: false })) as ModdleParseResult;
  } catch (strictError) {
    if (text.length > FULL_REPORT_MAX_CHARS || isFatal(strictError)) {
      return { diagnostics: [fatalDiagnostic(strictError, text, locator)], unresolved: [] };
    }
    try {
      result = (await moddle.fromXML(text, 'bpmn:Definitions')) as ModdleParseResult;
    } catch (error) {
      return { diagnostics: [fatalDiagnostic(error, text, locator)], unresolved: [] };
    }
  }
  const parsed: ParsedModel = { definitions: result.rootElement, diagnostics: [], unresolved: [] };
  for (const warning of result.warnings) {
    const diagnostic = warningDiagnostic(warning, locator, parsed);
    if (diagnostic) parsed.diagnostics.push(diagnostic);
  }
  return parsed;
}

/** Errors after which lax mode cannot produce a tree either (not well-formed, not BPMN). */
function isFatal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return !/nested error: (unknown type|duplicate ID|unrecognized element)/.test(message);
}

const UNPARSABLE = /^unparsable content (.*?) detected\s+line: (\d+)\s+column: (\d+)\s+nested error: (.*)$/s;

function warningDiagnostic(
  warning: ModdleWarning,
  locator: Locator,
  parsed: ParsedModel,
): Diagnostic | undefined {
  const message = String(warning.message ?? '');
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) return unparsableDiagnostic(unparsable, locator);
  const element = warning.element;
  const property = String(warning.property ?? '');
  const unknownAttribute = /^unknown attribute <(.*)>$/.exec(message);
  if (unknownAttribute && element) {
    const owner = owningElement(element);
    const start = locator.element(owner?.id)?.offset ?? 0;
    const local = property.split(':').pop() ?? property;
    const position = [` ${property}=`, `:${local}=`, ` ${local}=`].reduce<SourcePosition | undefined>(
      (found, needle) => found ?? locator.find(needle, start, 4096),
      undefined,
    );
    return makeDiagnostic(
      locator,
      'unknown-attribute',
      `Unknown attribute "${property}" on <${element.$type}>`,
      element,
      { position },
    );
  }
  const unresolved = /^unresolved reference <(.*)>$/.exec(message);
  if (unresolved && element) {
    const reference: UnresolvedReference = { element, property, id: unresolved[1] };
    parsed.unresolved.push(reference);
    if (element.$type === 'bpmn:SequenceFlow' && /(source|target)Ref$/.test(property)) return undefined; // rule flow-target-missing names these
    const isDiagram = element.$type.startsWith('bpmndi:');
    reference.diagnostic = makeDiagnostic(
      locator,
      'unresolved-reference',
      `${element.$type} "${owningElement(element)?.id ?? ''}" refers to "${unresolved[1]}" (${property}), which does not exist`,
      element,
      { severity: isDiagram ? 'warning' : 'error' },
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

function fatalDiagnostic(error: unknown, text: string, locator: Locator): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('failed to parse document as') || /nested error: unexpected element/.test(message)) {
    const root = rootElementName(text);
    return makeDiagnostic(
      locator,
      'not-bpmn',
      `The document is not a BPMN 2.0 model: its root element is <${root ?? '?'}>, expected <bpmn:definitions> in namespace http://www.omg.org/spec/BPMN/20100524/MODEL`,
    );
  }
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) return unparsableDiagnostic(unparsable, locator, text.length > FULL_REPORT_MAX_CHARS);
  return makeDiagnostic(locator, 'xml-invalid', `The XML could not be read: ${message}`);
}

/** A structural error moddle reported with its position (`unparsable content ... detected`). */
function unparsableDiagnostic(match: RegExpExecArray, locator: Locator, firstOnly = false): Diagnostic {
  const [, content, line, column, nested] = match;
  const position = moddlePosition(locator, line, column);
  const more = firstOnly ? ' (for a model this large only the first such problem is listed)' : '';
  const duplicate = /^duplicate ID <(.*)>$/.exec(nested);
  if (duplicate) {
    const message = `The id "${duplicate[1]}" is used by more than one element${more}`;
    return makeDiagnostic(locator, 'duplicate-id', message, { id: duplicate[1] }, { position });
  }
  const unknownType = /^unknown type <(.*)>$/.exec(nested);
  if (unknownType) {
    const id = idInTagAt(locator, position);
    const message = `Unknown element ${tagOf(content)}: ${unknownType[1]} is not part of its namespace's schema${more}`;
    return makeDiagnostic(locator, 'unknown-element', message, id ? { id } : undefined, { position });
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

/** moddle counts lines and columns from 0. */
function moddlePosition(locator: Locator, line: string, column: string): SourcePosition {
  return locator.position(Number(line) + 1, Number(column) + 1);
}

/** The id attribute of the tag starting at `position`, if any (moddle drops unknown elements). */
function idInTagAt(locator: Locator, position: SourcePosition): string | undefined {
  return /^<[^>]*?\sid\s*=\s*["']([^"']*)["']/.exec(locator.slice(position.offset, 4096))?.[1];
}

function tagOf(content: string): string {
  const name = /<\/?([^\s/>]+)/.exec(content)?.[1];
  return name ? `<${name}>` : content;
}

/** Name of the first element, skipping the XML declaration, comments and processing instructions. */
function rootElementName(text: string): string | undefined {
  const name = /[A-Za-z_][\w.:-]*/y;
  for (let lt = text.indexOf('<'); lt !== -1; lt = text.indexOf('<', lt + 1)) {
    name.lastIndex = lt + 1;
    const match = name.exec(text);
    if (match) return match[0];
  }
  return undefined;
}
