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
  if (!declaresCamunda7(definitions) && !declaresCamunda7(process, true)) return [];
  const c = new Converter(locator, definitions);
  reportLeftovers(c, process, process);
  convertScope(c, process);
  return c.finish();
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
    } else if (
      !is(element, 'bpmn:DataObject') &&
      !is(element, 'bpmn:DataObjectReference') &&
      !is(element, 'bpmn:DataStoreReference')
    ) {
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
