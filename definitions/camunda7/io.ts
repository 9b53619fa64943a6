// Variables in and out of activities: camunda:inputOutput parameters, a call activity's
// calledElement with camunda:in/camunda:out, and multi-instance collections become
// zeebe:ioMapping, zeebe:calledElement and zeebe:loopCharacteristics.
import { is } from '../context.ts';
import { trimmed } from '../draft.ts';
import { extensionOf } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import { bodyOf, type Converter, code, localName, quote, UNTRANSLATABLE } from './converter.ts';
import { convertFormalExpression, juelToFeel, translateJuel, zeebeValue } from './expressions.ts';
import { checkName, toFeel, Untranslatable } from './feel-ast.ts';

const feelString = (value: string) => toFeel({ kind: 'literal', value });

export function convertInputOutput(c: Converter, node: ModdleElement): void {
  const blocks = c.takeChildren(node, 'inputOutput');
  if (blocks.length === 0) return;
  if (extensionOf(node, 'zeebe:IoMapping')) {
    for (const block of blocks)
      c.note(node, `${block.$type} ignored: the element already has a zeebe:ioMapping`);
    return;
  }
  for (const block of blocks) {
    for (const parameter of c.children(block)) {
      const direction = localName(parameter);
      const target = trimmed(parameter.name);
      if ((direction !== 'inputParameter' && direction !== 'outputParameter') || !target) {
        c.note(node, `${parameter.$type} ${target ?? ''} ignored: not a named input or output parameter`);
        continue;
      }
      const what = `${parameter.$type} ${target}`;
      const source = parameterSource(c, node, parameter, what);
      if (source === undefined) continue;
      addMapping(c, node, direction === 'inputParameter' ? 'input' : 'output', source, target);
      c.note(
        node,
        `${what} → zeebe:${direction === 'inputParameter' ? 'input' : 'output'} source ${code(source)}`,
      );
    }
  }
}

function addMapping(
  c: Converter,
  node: ModdleElement,
  direction: 'input' | 'output',
  source: string,
  target: string,
) {
  const mapping = c.ioMapping(node);
  const parameter = c.create(direction === 'input' ? 'zeebe:Input' : 'zeebe:Output', { source, target });
  parameter.$parent = mapping;
  (direction === 'input' ? mapping.inputParameters : mapping.outputParameters).push(parameter);
}

/**
 * The zeebe source of a parameter: plain text stays a static string (as in Camunda 7), `${...}`
 * and list or map values become FEEL; a script is refused.
 */
function parameterSource(c: Converter, owner: ModdleElement, parameter: ModdleElement, what: string) {
  const nested = c.children(parameter)[0];
  if (nested) {
    const feel = c.attempt(
      owner,
      `${what} has no FEEL translation`,
      () => valueFeel(c, nested),
      c.childPosition(owner, parameter),
    );
    return feel === undefined ? undefined : `=${feel}`;
  }
  const body = bodyOf(parameter) ?? '';
  if (!body.trim()) return '=null';
  const translated = translateJuel(c, owner, what, body, c.childPosition(owner, parameter));
  if (!translated) return undefined;
  return zeebeValue(translated);
}

/** FEEL for a camunda:list, camunda:map, camunda:value or entry. */
function valueFeel(c: Converter, element: ModdleElement): string {
  const kind = localName(element);
  if (kind === 'script')
    throw new Untranslatable(
      `its value is a ${trimmed(element.scriptFormat) ?? ''} script, which govflow does not run`,
    );
  if (kind === 'list')
    return `[${c
      .children(element)
      .map((item) => valueFeel(c, item))
      .join(', ')}]`;
  if (kind === 'map') {
    const entries = c
      .children(element, 'entry')
      .map((entry) => `${feelString(String(entry.key ?? ''))}: ${valueFeel(c, entry)}`);
    return `{${entries.join(', ')}}`;
  }
  const nested = c.children(element)[0];
  if (nested) return valueFeel(c, nested);
  const body = bodyOf(element) ?? '';
  if (!body.trim()) return 'null';
  try {
    const translated = juelToFeel(body);
    return translated.kind === 'feel' ? translated.feel : feelString(translated.text.trim());
  } catch (error) {
    if (error instanceof Untranslatable) throw new Untranslatable(`${quote(body)}: ${error.message}`);
    throw error;
  }
}

/**
 * Camunda 7 passes a called process only the variables its camunda:in elements name (all with
 * variables="all") and copies back only those camunda:out names. govflow passes all variables
 * unless the call activity has input mappings, and copies back all, or only the output mappings.
 */
export function convertCallActivity(c: Converter, node: ModdleElement): void {
  if (!is(node, 'bpmn:CallActivity')) return;
  const ins = c.takeChildren(node, 'in');
  const outs = c.takeChildren(node, 'out');
  const called = trimmed(node.calledElement);
  const existing = extensionOf(node, 'zeebe:CalledElement');
  if (existing) {
    // Camunda Modeler writes calledElement beside zeebe:calledElement; only a different one is news
    if (called && called !== trimmed(existing.processId))
      c.note(node, `calledElement=${quote(called)} ignored: the element already has a zeebe:calledElement`);
    for (const v of [...ins, ...outs])
      c.note(node, `${v.$type} ignored: the element already has a zeebe:calledElement`);
    return;
  }
  if (!called) return;
  const translated = translateJuel(
    c,
    node,
    'calledElement',
    called,
    c.attributePosition(node, 'calledElement'),
  );
  if (!translated) return;
  const processId = zeebeValue(translated);
  const inputs = variableMappings(c, node, ins, 'input');
  const outputs = variableMappings(c, node, outs, 'output');
  if (!inputs || !outputs) return;
  c.addExtension(
    node,
    c.create('zeebe:CalledElement', {
      processId,
      propagateAllChildVariables: outputs.all || outputs.count > 0,
    }),
  );
  c.note(node, `calledElement=${quote(called)} → zeebe:calledElement processId=${quote(processId)}`);
  if (!inputs.all && inputs.count === 0)
    c.note(node, 'without camunda:in Camunda 7 passed the called process no variables; govflow passes all');
  if (!outputs.all && outputs.count === 0)
    c.note(node, 'without camunda:out no variables are copied back, as in Camunda 7');
}

function variableMappings(
  c: Converter,
  node: ModdleElement,
  list: ModdleElement[],
  direction: 'input' | 'output',
): { all: boolean; count: number } | undefined {
  let all = false;
  let count = 0;
  for (const item of list) {
    const what = `${item.$type}`;
    if (trimmed(item.variables) === 'all') {
      all = true;
      c.note(
        node,
        `${what} variables="all" → ${direction === 'input' ? 'all variables passed' : 'all variables copied back'}`,
      );
      continue;
    }
    if (trimmed(item.businessKey)) {
      c.note(node, `${what} businessKey=${quote(item.businessKey)} ignored: govflow has no business key`);
      continue;
    }
    if (trimmed(item.local)) c.note(node, `${what} local=${quote(item.local)} ignored`);
    const target = trimmed(item.target);
    const source = trimmed(item.source);
    const expression = trimmed(item.sourceExpression);
    if (!target || (!source && !expression)) {
      c.note(node, `${what} ignored: it needs a target and a source or sourceExpression`);
      continue;
    }
    let feel: string | undefined;
    if (expression) {
      const translated = translateJuel(
        c,
        node,
        `${what} sourceExpression`,
        expression,
        c.childPosition(node, item),
      );
      if (!translated) continue;
      feel = translated.kind === 'feel' ? translated.feel : feelString(translated.text.trim());
    } else {
      feel = c.attempt(node, `${what} source=${quote(source ?? '')} has no FEEL translation`, () =>
        checkName(source ?? ''),
      );
      if (feel === undefined) continue;
    }
    addMapping(c, node, direction, `=${feel}`, target);
    c.note(node, `${what} ${target} → zeebe:${direction} source ${code(`=${feel}`)}`);
    count++;
  }
  if (all && count > 0) {
    c.error(
      UNTRANSLATABLE,
      node,
      `camunda:${direction === 'input' ? 'in' : 'out'} variables="all" beside single variables has no govflow equivalent: govflow ${direction === 'input' ? 'passes' : 'copies back'} either all variables or the mapped ones`,
    );
    return undefined;
  }
  return { all, count };
}

export function convertMultiInstance(c: Converter, node: ModdleElement): void {
  const loop = node.loopCharacteristics;
  if (loop?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return;
  const collection = c.take(loop, 'collection');
  const element = c.take(loop, 'elementVariable');
  if (collection || element) {
    if (extensionOf(loop, 'zeebe:LoopCharacteristics')) {
      for (const a of [collection, element])
        if (a)
          c.note(node, `${a.name}=${quote(a.value)} ignored: the loop already has zeebe:loopCharacteristics`);
    } else {
      const properties: Record<string, string> = {};
      if (collection) {
        const translated = translateJuel(
          c,
          node,
          collection.name,
          collection.value,
          c.attributePosition(node, collection.name),
        );
        if (translated?.kind === 'feel') properties.inputCollection = `=${translated.feel}`;
        else if (translated) properties.inputCollection = `=${collectionName(c, node, translated.text)}`;
      }
      if (trimmed(element?.value)) properties.inputElement = trimmed(element?.value) as string;
      c.addExtension(loop, c.create('zeebe:LoopCharacteristics', properties));
      for (const [a, property] of [
        [collection, 'inputCollection'],
        [element, 'inputElement'],
      ] as const) {
        if (a && properties[property])
          c.note(
            node,
            `${a.name}=${quote(a.value)} → zeebe:loopCharacteristics ${property}=${quote(properties[property])}`,
          );
      }
    }
  }
  convertFormalExpression(c, node, loop.completionCondition, 'completion condition', true);
}

/** Camunda 7 also takes the bare name of the collection variable. */
function collectionName(c: Converter, node: ModdleElement, name: string): string {
  return (
    c.attempt(node, `camunda:collection ${quote(name)} has no FEEL translation`, () =>
      checkName(name.trim()),
    ) ?? 'null'
  );
}
