// Reading the zeebe: and govflow: extension elements of a BPMN element, in one place so the
// validation rules and the model builder agree on what the XML means.
import { trimmed } from './draft.ts';
import { stripFeel } from './feel.ts';
import type { ModdleElement } from './moddle-types.ts';
import { timerFeel } from './timers.ts';

export function extensionsOf(element: ModdleElement, type: string): ModdleElement[] {
  const values: unknown = element.extensionElements?.values;
  return Array.isArray(values) ? values.filter((v: ModdleElement) => v?.$type === type) : [];
}

export function extensionOf(element: ModdleElement, type: string): ModdleElement | undefined {
  return extensionsOf(element, type)[0];
}

/** `"a, b,,c "` -> `["a", "b", "c"]` */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export const DEFAULT_DECISIONS = 'approve,reject';
export const DEFAULT_RETRIES = 3;

/** Tasks a handler (job worker) may run; only they (and job-worker message events) use job fields. */
export const JOB_TASKS = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

export function decisionsOf(task: ModdleElement): string[] {
  return splitList(typeof task.decisions === 'string' ? task.decisions : DEFAULT_DECISIONS);
}

export function candidateGroupsOf(task: ModdleElement): {
  groups: string[];
  users: string[];
  assignee?: string;
  raw?: string;
  rawUsers?: string;
} {
  const assignment = extensionOf(task, 'zeebe:AssignmentDefinition');
  const raw: string | undefined = assignment?.candidateGroups;
  const rawUsers: string | undefined = assignment?.candidateUsers;
  const assignee = assignment?.assignee?.trim() || undefined;
  return { groups: splitList(raw), users: splitList(rawUsers), assignee, raw, rawUsers };
}

/** `zeebe:taskSchedule dueDate` as FEEL: `=expr` -> `expr`, a literal date -> a FEEL string. */
export function dueDateOf(task: ModdleElement): { raw: string; feel: string } | undefined {
  const raw = extensionOf(task, 'zeebe:TaskSchedule')?.dueDate;
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  // a due date is written like a timer value: `=expr` or an ISO 8601 literal
  return { raw, feel: timerFeel(raw) };
}

/** `zeebe:taskHeaders`: key -> value, later keys win. */
export function headersOf(task: ModdleElement): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const holder of extensionsOf(task, 'zeebe:TaskHeaders')) {
    for (const header of holder.values ?? []) {
      if (typeof header?.key === 'string' && header.key.trim())
        headers[header.key.trim()] = String(header.value ?? '');
    }
  }
  return headers;
}

/** Body text of a condition-like element (`bpmn:FormalExpression`, `govflow:approveWhen`), without `=`. */
export function expressionBody(element: ModdleElement | undefined): string | undefined {
  if (!element) return undefined;
  return typeof element.body === 'string' ? stripFeel(element.body) : '';
}

export interface IoMappingEntry {
  direction: 'input' | 'output';
  mapping: ModdleElement;
  source: string;
  target: string;
}

export function ioMappingsOf(element: ModdleElement): IoMappingEntry[] {
  const entries: IoMappingEntry[] = [];
  for (const io of extensionsOf(element, 'zeebe:IoMapping')) {
    for (const mapping of io.inputParameters ?? []) entries.push(entry('input', mapping));
    for (const mapping of io.outputParameters ?? []) entries.push(entry('output', mapping));
  }
  return entries;
}

function entry(direction: IoMappingEntry['direction'], mapping: ModdleElement): IoMappingEntry {
  return { direction, mapping, source: mappingSource(mapping.source), target: (mapping.target ?? '').trim() };
}

/** Zeebe reads a source starting with `=` as FEEL and anything else as a static string value. */
function mappingSource(source: unknown): string {
  if (typeof source !== 'string' || !source.trim()) return '';
  if (source.trim().startsWith('=')) return stripFeel(source);
  return `"${source.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `bpmn:multiInstanceLoopCharacteristics` with its `zeebe:loopCharacteristics`, if the activity has one. */
export function multiInstanceOf(node: ModdleElement):
  | {
      loop: ModdleElement;
      sequential: boolean;
      inputCollection?: string;
      inputElement?: string;
      outputCollection?: string;
      outputElement?: string;
      completionCondition?: string;
    }
  | undefined {
  const loop = node.loopCharacteristics;
  if (loop?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return undefined;
  const zeebe = extensionOf(loop, 'zeebe:LoopCharacteristics');
  const feel = (value: unknown) => (trimmed(value) ? stripFeel(value as string) : undefined);
  return {
    loop,
    sequential: loop.isSequential === true,
    inputCollection: feel(zeebe?.inputCollection),
    inputElement: trimmed(zeebe?.inputElement),
    outputCollection: trimmed(zeebe?.outputCollection),
    outputElement: feel(zeebe?.outputElement),
    completionCondition: loop.completionCondition
      ? expressionBody(loop.completionCondition) || undefined
      : undefined,
  };
}

/** `zeebe:calledElement` of a call activity. */
export function calledElementOf(node: ModdleElement): { processId?: string; propagate: boolean } {
  const called = extensionOf(node, 'zeebe:CalledElement');
  return { processId: trimmed(called?.processId), propagate: called?.propagateAllChildVariables !== false };
}

/** `zeebe:script` of a script task. */
export function scriptOf(node: ModdleElement): { expression?: string; resultVariable?: string } {
  const script = extensionOf(node, 'zeebe:Script');
  const expression =
    typeof script?.expression === 'string' ? stripFeel(script.expression) || undefined : undefined;
  return { expression, resultVariable: trimmed(script?.resultVariable) };
}

/** `zeebe:calledDecision`: the decision id and the variable its output is written to. */
export function calledDecisionOf(node: ModdleElement): { decisionId?: string; resultVariable?: string } {
  const called = extensionOf(node, 'zeebe:CalledDecision');
  return { decisionId: trimmed(called?.decisionId), resultVariable: trimmed(called?.resultVariable) };
}
