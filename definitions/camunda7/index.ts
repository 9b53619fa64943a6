// Camunda 7 models to the Camunda 8 dialect, as Camunda's own 7-to-8 migration converter does:
// runs after parsing and before the rules, only when the document declares a Camunda 7
// namespace, and rewrites the moddle tree of the selected process in place so the rest of the
// compiler sees an ordinary zeebe: model. Each converted element gets one `camunda7-converted`
// warning saying what became what and what was ignored; what cannot be converted without
// changing behaviour is an error (`camunda7-expression-untranslatable`, `camunda7-untranslatable`).
import { is } from '../context.ts';
import type { Locator } from '../locate.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { DATA_ELEMENTS } from '../scopes.ts';
import { CAMUNDA7_NAMESPACES, Converter } from './converter.ts';
import { convertFormalExpression } from './expressions.ts';
import { convertForm } from './forms.ts';
import { convertCallActivity, convertInputOutput, convertMultiInstance } from './io.ts';
import { reportLeftovers } from './leftovers.ts';
import { convertJob, convertUserTask } from './tasks.ts';

export { CONVERTED, EXPRESSION_UNTRANSLATABLE, UNTRANSLATABLE } from './converter.ts';

export function convertCamunda7(
  definitions: ModdleElement,
  process: ModdleElement,
  locator: Locator,
): Diagnostic[] {
  if (declaresCamunda7(process, true)) return convertProcess(definitions, process, locator);
  const prefixes = camunda7Prefixes(definitions);
  // Camunda Modeler declares the namespace on Camunda 8 models too (camunda:diagramRelationId)
  if (prefixes.length === 0 || !usesCamunda7(process, prefixes)) return [];
  return convertProcess(definitions, process, locator);
}

function convertProcess(definitions: ModdleElement, process: ModdleElement, locator: Locator): Diagnostic[] {
  const c = new Converter(locator, definitions);
  reportLeftovers(c, process, process);
  convertScope(c, process);
  return c.finish();
}

/** The prefixes an element binds to a Camunda 7 namespace. */
function camunda7Prefixes(element: ModdleElement): string[] {
  return Object.entries(element.$attrs ?? {})
    .filter(([key, value]) => key.startsWith('xmlns:') && CAMUNDA7_NAMESPACES.has(value as string))
    .map(([key]) => key.slice('xmlns:'.length));
}

/** JUEL or BPMN XPath in a condition or timer: Camunda 7 syntax without a camunda: prefix. */
const FOREIGN_EXPRESSION = /[$#]\{|getDataObject\(/;

/**
 * Does anything in the process carry a camunda: attribute or extension element, a JUEL/XPath
 * expression or a Camunda 7 call activity? A cheap walk that spares Camunda 8 models the
 * conversion.
 */
function usesCamunda7(element: unknown, prefixes: string[], seen = new Set<object>()): boolean {
  if (!element || typeof element !== 'object' || seen.has(element)) return false;
  seen.add(element); // references (sourceRef, incoming, ...) lead back to elements already seen
  const node = element as ModdleElement;
  if (typeof node.$type === 'string' && prefixes.some((p) => node.$type.startsWith(`${p}:`))) return true;
  if (Object.keys(node.$attrs ?? {}).some((key) => prefixes.some((p) => key.startsWith(`${p}:`))))
    return true;
  if (typeof node.body === 'string' && FOREIGN_EXPRESSION.test(node.body)) return true;
  // Camunda 7 names the called process in the BPMN attribute (Camunda 8 in zeebe:calledElement)
  if (node.$type === 'bpmn:CallActivity' && node.calledElement) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('$') || key === 'di') continue;
    const children = Array.isArray(value) ? value : [value];
    for (const child of children)
      if (child && typeof child === 'object' && usesCamunda7(child, prefixes, seen)) return true;
  }
  return false;
}

/** Does the element (or, deep, anything in its flow elements) bind a prefix to Camunda 7? */
function declaresCamunda7(element: ModdleElement, deep = false): boolean {
  const declared = Object.entries(element.$attrs ?? {}).some(
    ([key, value]) => (key === 'xmlns' || key.startsWith('xmlns:')) && CAMUNDA7_NAMESPACES.has(value),
  );
  if (declared || !deep) return declared;
  return (element.flowElements ?? []).some((child: ModdleElement) => declaresCamunda7(child, true));
}

function convertScope(c: Converter, scope: ModdleElement): void {
  for (const element of scope.flowElements ?? []) {
    if (is(element, 'bpmn:SequenceFlow')) {
      convertFormalExpression(c, element, element.conditionExpression, 'condition', true);
      reportLeftovers(c, element, element);
    } else if (!DATA_ELEMENTS.has(element?.$type)) {
      convertNode(c, element);
    }
  }
}

const TIMER_VALUES = [
  ['timeDate', 'timer date'],
  ['timeDuration', 'timer duration'],
  ['timeCycle', 'timer cycle'],
] as const;

function convertNode(c: Converter, node: ModdleElement): void {
  convertJob(c, node);
  convertUserTask(c, node);
  convertForm(c, node);
  convertInputOutput(c, node);
  convertCallActivity(c, node);
  convertMultiInstance(c, node);
  for (const definition of node.eventDefinitions ?? []) {
    for (const [property, what] of TIMER_VALUES)
      convertFormalExpression(c, node, definition[property], what, false);
    if (is(definition, 'bpmn:ConditionalEventDefinition'))
      convertFormalExpression(c, node, definition.condition, 'condition', true);
    reportLeftovers(c, node, definition);
  }
  if (node.loopCharacteristics) reportLeftovers(c, node, node.loopCharacteristics);
  reportLeftovers(c, node, node);
  if (Array.isArray(node.flowElements)) convertScope(c, node);
}
