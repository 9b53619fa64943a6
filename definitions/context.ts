// What every validation rule sees: the selected process, its nodes and flows indexed by id,
// the connections between them, and a way to report a diagnostic at an element.
import { type DiagnosticOptions, makeDiagnostic } from './diagnostic.ts';
import type { Locator } from './locate.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';
import type { UnresolvedReference } from './parse.ts';

export interface CompileContext {
  locator: Locator;
  definitions: ModdleElement;
  process: ModdleElement;
  /** Top-level flow nodes of the process (everything but sequence flows), supported or not. */
  nodes: ModdleElement[];
  nodeById: Map<string, ModdleElement>;
  flows: ModdleElement[];
  /** Sequence flows leaving / entering a node, by node id (only flows whose ends resolved). */
  outgoing: Map<string, ModdleElement[]>;
  incoming: Map<string, ModdleElement[]>;
  unresolved: UnresolvedReference[];
  diagnostic(code: string, message: string, element?: ModdleElement, options?: DiagnosticOptions): Diagnostic;
}

export type Rule = (ctx: CompileContext) => Diagnostic[];

export function createContext(
  locator: Locator,
  definitions: ModdleElement,
  process: ModdleElement,
  unresolved: UnresolvedReference[],
): CompileContext {
  const elements: ModdleElement[] = Array.isArray(process.flowElements) ? process.flowElements : [];
  const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
  const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
  const nodeById = new Map(nodes.filter((n) => n.id).map((n) => [n.id as string, n]));
  const outgoing = new Map<string, ModdleElement[]>(nodes.map((n) => [n.id as string, []]));
  const incoming = new Map<string, ModdleElement[]>(nodes.map((n) => [n.id as string, []]));
  for (const flow of flows) {
    const source = flow.sourceRef?.id;
    const target = flow.targetRef?.id;
    if (!nodeById.has(source) || !nodeById.has(target)) continue;
    outgoing.get(source)?.push(flow);
    incoming.get(target)?.push(flow);
  }
  return {
    locator,
    definitions,
    process,
    nodes,
    nodeById,
    flows,
    outgoing,
    incoming,
    unresolved,
    diagnostic: (code, message, element, options) => makeDiagnostic(locator, code, message, element, options),
  };
}

export const is = (element: ModdleElement | undefined, type: string): boolean => element?.$type === type;

export function hasEventDefinitions(element: ModdleElement): boolean {
  return Array.isArray(element.eventDefinitions) && element.eventDefinitions.length > 0;
}

/** Top-level start events (a start with an event definition is reported as unsupported). */
export function startEvents(ctx: CompileContext): ModdleElement[] {
  return ctx.nodes.filter((n) => is(n, 'bpmn:StartEvent'));
}

export function endEvents(ctx: CompileContext): ModdleElement[] {
  return ctx.nodes.filter((n) => is(n, 'bpmn:EndEvent'));
}

/** Elements that start their own thread of control and need no incoming flow. */
export function isDetachedStart(element: ModdleElement): boolean {
  return (
    is(element, 'bpmn:BoundaryEvent') ||
    element.isForCompensation === true ||
    (is(element, 'bpmn:SubProcess') && element.triggeredByEvent === true)
  );
}
