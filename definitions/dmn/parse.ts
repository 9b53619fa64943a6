// XML -> dmn-moddle tree. As for BPMN (../parse.ts), every parser warning becomes an error
// diagnostic (../moddle-parse.ts), except unresolved references of the diagram (DMNDI), which
// cannot change a result.
import { DmnModdle } from 'dmn-moddle';
import { makeDiagnostic } from '../diagnostic.ts';
import type { Locator, SourcePosition } from '../locate.ts';
import { type ModdleDialect, parseModdle } from '../moddle-parse.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { DMN_MODEL_NAMESPACES, type Normalized, rootElement, toDmn13 } from './namespace.ts';

export interface ParsedDmn {
  definitions?: ModdleElement;
  diagnostics: Diagnostic[];
}

let moddle: DmnModdle | undefined;

const DMN: ModdleDialect = {
  moddle: () => (moddle ??= new DmnModdle()),
  rootType: 'dmn:Definitions',
  codePrefix: 'dmn-',
  unknownElement: /^(?:unknown type|unrecognized element) <(.*)>$/,
  unknownElementSchema: 'DMN 1.3 or its diagram schema',
  attributePosition(locator, element, property) {
    const start = locator.element(element.id)?.offset;
    return start === undefined ? undefined : locator.find(` ${property}=`, start, 4096);
  },
  referrer: (element) => element.$type,
  diagramPrefix: 'dmndi:',
};

export async function parseDmn(text: string, locator: Locator): Promise<ParsedDmn> {
  const root = rootElement(text);
  if (root?.localName !== 'definitions' || !root.namespace || !(root.namespace in DMN_MODEL_NAMESPACES)) {
    const namespace = root?.namespace ? ` in namespace ${root.namespace}` : '';
    const message = `The document is not a DMN model: its root element is <${root?.name ?? '?'}>${namespace}; expected <definitions> in a DMN 1.1 to 1.5 namespace (DMN 1.3: ${Object.keys(DMN_MODEL_NAMESPACES)[2]})`;
    const position = root ? locator.at(root.offset) : undefined;
    return { diagnostics: [makeDiagnostic(locator, 'dmn-not-dmn', message, undefined, { position })] };
  }
  const normalized = toDmn13(text);
  const position = (line: number, column: number) => sourcePosition(locator, normalized, line, column);
  const { definitions, diagnostics } = await parseModdle(DMN, {
    text,
    locator,
    xml: normalized.text,
    position,
  });
  return definitions ? { definitions, diagnostics } : { diagnostics };
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
