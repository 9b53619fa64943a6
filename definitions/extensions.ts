// Reading the zeebe: and govflow: extension elements of a BPMN element, in one place so the
// validation rules and the model builder agree on what the XML means.
import { stripFeel } from './feel.ts';
import type { ModdleElement } from './moddle-types.ts';

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

export function decisionsOf(task: ModdleElement): string[] {
  return splitList(typeof task.decisions === 'string' ? task.decisions : DEFAULT_DECISIONS);
}

export function candidateGroupsOf(task: ModdleElement): {
  groups: string[];
  assignee?: string;
  raw?: string;
} {
  const assignment = extensionOf(task, 'zeebe:AssignmentDefinition');
  const raw: string | undefined = assignment?.candidateGroups;
  const assignee = assignment?.assignee?.trim() || undefined;
  return { groups: splitList(raw), assignee, raw };
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
