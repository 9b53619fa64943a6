// XML -> moddle tree with the BPMN, Camunda 8 (zeebe:) and govflow: packages. Every warning
// bpmn-moddle reports is turned into an error diagnostic (./moddle-parse.ts, shared with DMN):
// a model that only half-parses must not deploy. Unknown elements and attributes in foreign namespaces (modeler:, camunda:, ...)
// are kept by moddle as generic content and are not reported.
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { makeDiagnostic, owningElement } from './diagnostic.ts';
import { rootElement } from './dmn/namespace.ts';
import govflow from './govflow.json' with { type: 'json' };
import type { Locator, SourcePosition } from './locate.ts';
import { type ModdleDialect, parseModdle, type UnresolvedReference } from './moddle-parse.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';

export { FULL_REPORT_MAX_CHARS, type UnresolvedReference } from './moddle-parse.ts';

export interface ParsedModel {
  definitions?: ModdleElement;
  diagnostics: Diagnostic[];
  unresolved: UnresolvedReference[];
}

let moddle: BpmnModdle | undefined;

const BPMN: ModdleDialect = {
  moddle: () => (moddle ??= new BpmnModdle({ zeebe, govflow })),
  rootType: 'bpmn:Definitions',
  codePrefix: '',
  unknownElement: /^unknown type <(.*)>$/,
  unknownElementSchema: "its namespace's schema",
  attributePosition(locator, element, property) {
    const start = locator.element(owningElement(element)?.id)?.offset ?? 0;
    const local = property.split(':').pop() ?? property;
    return [` ${property}=`, `:${local}=`, ` ${local}=`].reduce<SourcePosition | undefined>(
      (found, needle) => found ?? locator.find(needle, start, 4096),
      undefined,
    );
  },
  referrer: (element) => `${element.$type} "${owningElement(element)?.id ?? ''}"`,
  diagramPrefix: 'bpmndi:',
  // rule flow-target-missing names these
  reportsUnresolved: ({ element, property }) =>
    !(element.$type === 'bpmn:SequenceFlow' && /(source|target)Ref$/.test(property)),
  notModel(message, text, locator) {
    const rootRejected = /nested error: unexpected element/.test(message);
    if (!rootRejected && !message.startsWith('failed to parse document as')) return undefined;
    return makeDiagnostic(
      locator,
      'not-bpmn',
      `The document is not a BPMN 2.0 model: its root element is <${rootElement(text)?.name ?? '?'}>, expected <bpmn:definitions> in namespace http://www.omg.org/spec/BPMN/20100524/MODEL`,
    );
  },
};

export async function parseBpmn(text: string, locator: Locator): Promise<ParsedModel> {
  return parseModdle(BPMN, { text, locator });
}
