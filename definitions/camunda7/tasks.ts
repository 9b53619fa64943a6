// Camunda 7 task implementations and assignments: Java delegates, expressions and external-task
// topics become the handler type of a zeebe:taskDefinition; assignee, candidates and due date a
// zeebe:assignmentDefinition and zeebe:taskSchedule. Anything the element already says in the
// zeebe: dialect wins, and the camunda:* attribute is reported as ignored.
import { is } from '../context.ts';
import { trimmed } from '../draft.ts';
import { extensionOf, JOB_TASKS } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import { eventDefinition } from '../triggers.ts';
import { bodyOf, type CamundaAttribute, type Converter, quote, UNTRANSLATABLE } from './converter.ts';
import { translateJuel, zeebeValue } from './expressions.ts';
import { Untranslatable } from './feel-ast.ts';
import { readJuel, readMethodCall } from './juel.ts';

const IMPLEMENTATIONS = ['class', 'delegateExpression', 'expression', 'type'];

/** Where Camunda 7 writes the implementation: on the task, or on a throw event's message definition. */
function implementationHolders(node: ModdleElement): ModdleElement[] {
  if (JOB_TASKS.has(node.$type)) return [node];
  if (!is(node, 'bpmn:IntermediateThrowEvent') && !is(node, 'bpmn:EndEvent')) return [];
  const definition = eventDefinition(node);
  return is(definition, 'bpmn:MessageEventDefinition') ? [definition as ModdleElement, node] : [];
}

export function convertJob(c: Converter, node: ModdleElement): void {
  const holders = implementationHolders(node);
  if (holders.length === 0) return;
  const take = (local: string) =>
    holders.map((h) => c.take(h, local)).find((a): a is CamundaAttribute => a !== undefined);
  const implementations = IMPLEMENTATIONS.map(take).filter((a): a is CamundaAttribute => a !== undefined);
  const topic = take('topic');
  const resultVariable = take('resultVariable');
  const retryCycles = holders.flatMap((h) => c.takeChildren(h, 'failedJobRetryTimeCycle'));
  const fields = holders.flatMap((h) => c.takeChildren(h, 'field'));
  const existing = extensionOf(node, 'zeebe:TaskDefinition');
  const implementation = implementations[0];
  if (existing || !implementation) {
    const why = existing
      ? `the element already has zeebe:taskDefinition type ${quote(String(existing.type ?? ''))}`
      : 'the element names no Camunda 7 implementation';
    for (const attribute of [...implementations, topic, resultVariable])
      if (attribute) c.note(node, `${attribute.name}=${quote(attribute.value)} ignored: ${why}`);
    for (const child of [...retryCycles, ...fields]) c.note(node, `${child.$type} ignored: ${why}`);
    return;
  }
  const { type, failed } = jobType(c, node, implementation, topic);
  const retries = retriesOf(c, node, retryCycles);
  c.addExtension(node, c.create('zeebe:TaskDefinition', { type, ...(retries ? { retries } : {}) }));
  const external = implementation.local === 'type' && topic;
  const named = external
    ? `${implementation.name}="external" ${topic.name}=${quote(topic.value)}`
    : `${implementation.name}=${quote(implementation.value)}`;
  if (!failed) c.note(node, `${named} → zeebe:taskDefinition type ${quote(type)}`);
  if (topic && !external)
    c.note(node, `${topic.name}=${quote(topic.value)} ignored: only external tasks have a topic`);
  for (const other of implementations.slice(1))
    c.note(node, `${other.name}=${quote(other.value)} ignored: ${implementation.name} implements the task`);
  if (resultVariable)
    c.note(
      node,
      `${resultVariable.name}=${quote(resultVariable.value)} ignored: the variables the handler returns are set instead`,
    );
  headers(c, node, fields);
}

/**
 * The handler type. When there is none, the error says why and the attribute's text stands in,
 * so the missing-type check does not report the task a second time.
 */
function jobType(
  c: Converter,
  node: ModdleElement,
  implementation: CamundaAttribute,
  topic: CamundaAttribute | undefined,
): { type: string; failed?: true } {
  const { name, local, value } = implementation;
  const where = c.attributePosition(node, name);
  const placeholder = { type: value.trim() || local, failed: true as const };
  if (local === 'type') {
    const named = trimmed(topic?.value);
    if (value.trim() === 'external' && named) return { type: named };
    const why =
      value.trim() === 'external'
        ? `${name}="external" has no camunda:topic to name the handler by`
        : `${name}=${quote(value)} is a Camunda 7 built-in task type; govflow runs handlers only`;
    c.error(UNTRANSLATABLE, node, why, where);
    return placeholder;
  }
  if (local === 'class') return { type: value.trim() };
  // a service expression's method becomes the handler type; the handler gets the task's
  // variables, not the call's arguments
  const type = c.attempt(
    node,
    `${name} ${quote(value)} has no handler translation`,
    () => (local === 'delegateExpression' ? beanName(value) : readMethodCall(value)),
    where,
  );
  return type === undefined ? placeholder : { type };
}

/** `${archiveService}` -> `archiveService`; a property path `${beans.archive}` -> `beans.archive`. */
function beanName(value: string): string {
  const read = readJuel(value);
  if (read.kind === 'text') return read.text.trim();
  if (read.expr.kind !== 'name')
    throw new Untranslatable('it computes the delegate instead of naming a bean');
  return read.expr.path.join('.');
}

/** `R5/PT10M` -> 5 tries; the wait between them has no place in zeebe:taskDefinition. */
function retriesOf(c: Converter, node: ModdleElement, cycles: ModdleElement[]): string | undefined {
  const cycle = cycles[0];
  if (!cycle) return undefined;
  const body = (bodyOf(cycle) ?? '').trim();
  const repeat = /^R(\d+)\//.exec(body);
  if (!repeat) {
    c.note(
      node,
      `${cycle.$type} ${quote(body)} ignored: only a repeat count R<n>/... gives a number of retries`,
    );
    return undefined;
  }
  c.note(
    node,
    `${cycle.$type} ${quote(body)} → zeebe:taskDefinition retries ${repeat[1]} (the wait between tries is not kept)`,
  );
  return repeat[1];
}

/**
 * Field injections configure the delegate. Static strings become task headers, which the handler
 * receives as its configuration; injected expressions are dropped: a handler reads the variables
 * itself.
 */
function headers(c: Converter, node: ModdleElement, fields: ModdleElement[]): void {
  const values: ModdleElement[] = [];
  for (const field of fields) {
    const name = trimmed(field.name);
    const stringChild = c.takeChildren(field, 'string')[0];
    const expressionChild = c.takeChildren(field, 'expression')[0];
    const fixed =
      typeof field.stringValue === 'string' ? field.stringValue : stringChild && bodyOf(stringChild);
    const expression =
      typeof field.expression === 'string' ? field.expression : expressionChild && bodyOf(expressionChild);
    let value = fixed;
    if (value === undefined && expression !== undefined) {
      const read = safeRead(expression);
      if (read === undefined) {
        c.note(
          node,
          `${field.$type} ${name ?? '?'} ignored: its value ${quote(expression)} is an expression, and a handler reads the variables itself`,
        );
        continue;
      }
      value = read;
    }
    if (!name || value === undefined) {
      c.note(node, `${field.$type} ${name ?? '(no name)'} ignored: it has no name or no value`);
      continue;
    }
    values.push(c.create('zeebe:Header', { key: name, value: value.trim() }));
    c.note(node, `${field.$type} ${name} → task header ${name}=${quote(value)}`);
  }
  if (values.length === 0) return;
  const holder = c.addExtension(node, c.create('zeebe:TaskHeaders', { values }));
  for (const header of values) header.$parent = holder;
}

/** The text of an expression-valued field that is plain text after all. */
function safeRead(value: string): string | undefined {
  try {
    const read = readJuel(value);
    return read.kind === 'text' ? read.text : undefined;
  } catch {
    return undefined;
  }
}

const ASSIGNMENT = ['assignee', 'candidateGroups', 'candidateUsers'] as const;

export function convertUserTask(c: Converter, node: ModdleElement): void {
  if (!is(node, 'bpmn:UserTask')) return;
  const existing = extensionOf(node, 'zeebe:AssignmentDefinition');
  const assignment: Record<string, string> = {};
  for (const local of ASSIGNMENT) {
    const attribute = c.take(node, local);
    if (!attribute) continue;
    if (existing) {
      c.note(
        node,
        `${attribute.name}=${quote(attribute.value)} ignored: the task already has a zeebe:assignmentDefinition`,
      );
      continue;
    }
    const where = c.attributePosition(node, attribute.name);
    const translated = translateJuel(c, node, attribute.name, attribute.value, where);
    if (!translated) continue;
    assignment[local] = zeebeValue(translated);
    c.note(
      node,
      `${attribute.name}=${quote(attribute.value)} → zeebe:assignmentDefinition ${local}=${quote(assignment[local])}`,
    );
  }
  if (Object.keys(assignment).length > 0)
    c.addExtension(node, c.create('zeebe:AssignmentDefinition', assignment));

  const due = c.take(node, 'dueDate');
  if (!due) return;
  if (extensionOf(node, 'zeebe:TaskSchedule')) {
    c.note(node, `${due.name}=${quote(due.value)} ignored: the task already has a zeebe:taskSchedule`);
    return;
  }
  const translated = translateJuel(c, node, due.name, due.value, c.attributePosition(node, due.name));
  if (!translated) return;
  const dueDate = zeebeValue(translated);
  c.addExtension(node, c.create('zeebe:TaskSchedule', { dueDate }));
  c.note(node, `${due.name}=${quote(due.value)} → zeebe:taskSchedule dueDate=${quote(dueDate)}`);
}
