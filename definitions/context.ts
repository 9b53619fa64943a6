// What every validation rule sees: the selected process, its nodes and flows at every depth
// indexed by id, the scope each sits in, the connections between them, and a way to report
// a diagnostic at an element.
import { type EmbeddedForm, embeddedFormIndex } from './camunda-form-refs.ts';
import { type CompensationLinks, compensationLinks } from './compensation.ts';
import { type DiagnosticOptions, makeDiagnostic } from './diagnostic.ts';
import { buildSuccessors } from './graph.ts';
import type { Locator } from './locate.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { Diagnostic } from './model.ts';
import type { UnresolvedReference } from './parse.ts';
import { buildScopes, type Scope } from './scopes.ts';

export interface CompileContext {
  locator: Locator;
  definitions: ModdleElement;
  process: ModdleElement;
  /** Flow nodes of the process and of every sub-process (everything but flows and data), supported or not. */
  nodes: ModdleElement[];
  nodeById: Map<string, ModdleElement>;
  /** Sequence flows at every depth. */
  flows: ModdleElement[];
  /** The process first, then each (event) sub-process. */
  scopes: Scope[];
  /** The process or sub-process each node and flow sits in, by id. */
  scopeOf: Map<string, ModdleElement>;
  /** Sequence flows leaving / entering a node, by node id (only flows whose ends resolved). */
  outgoing: Map<string, ModdleElement[]>;
  incoming: Map<string, ModdleElement[]>;
  /** Boundary events by the id of the activity they are attached to. */
  boundaries: Map<string, ModdleElement[]>;
  associations: ModdleElement[];
  unresolved: UnresolvedReference[];
  // Derived on first use, once per compilation (rules and the model builder share them):
  /** The Camunda forms embedded in the process (zeebe:userTaskForm), by id. */
  readonly embeddedForms: Map<string, EmbeddedForm>;
  /** Which handler each compensation boundary event is associated with. */
  readonly compensation: CompensationLinks;
  /**
   * Successors of every node in the token graph (graph.ts). `within` does not lead from a
   * sub-process to its own start events and event sub-processes.
   */
  readonly successors: { readonly entering: Map<string, string[]>; readonly within: Map<string, string[]> };
  diagnostic(code: string, message: string, element?: ModdleElement, options?: DiagnosticOptions): Diagnostic;
}

export type Rule = (ctx: CompileContext) => Diagnostic[];

export function createContext(
  locator: Locator,
  definitions: ModdleElement,
  process: ModdleElement,
  unresolved: UnresolvedReference[],
): CompileContext {
  const tree = buildScopes(process);
  const nodes = tree.scopes.flatMap((s) => s.nodes);
  const flows = tree.scopes.flatMap((s) => s.flows);
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
  const boundaries = new Map<string, ModdleElement[]>();
  for (const node of nodes) {
    const host = node.$type === 'bpmn:BoundaryEvent' ? node.attachedToRef?.id : undefined;
    if (host) boundaries.set(host, [...(boundaries.get(host) ?? []), node]);
  }
  let forms: Map<string, EmbeddedForm> | undefined;
  let links: CompensationLinks | undefined;
  let entering: Map<string, string[]> | undefined;
  let within: Map<string, string[]> | undefined;
  const ctx: CompileContext = {
    locator,
    definitions,
    process,
    nodes,
    nodeById,
    flows,
    scopes: tree.scopes,
    scopeOf: tree.scopeOf,
    outgoing,
    incoming,
    boundaries,
    associations: tree.associations,
    unresolved,
    get embeddedForms() {
      forms ??= embeddedFormIndex(process);
      return forms;
    },
    get compensation() {
      links ??= compensationLinks(ctx);
      return links;
    },
    successors: {
      get entering() {
        entering ??= buildSuccessors(ctx, true);
        return entering;
      },
      get within() {
        within ??= buildSuccessors(ctx, false);
        return within;
      },
    },
    diagnostic: (code, message, element, options) => makeDiagnostic(locator, code, message, element, options),
  };
  return ctx;
}

export const is = (element: ModdleElement | undefined, type: string): boolean => element?.$type === type;

export function hasEventDefinitions(element: ModdleElement): boolean {
  return Array.isArray(element.eventDefinitions) && element.eventDefinitions.length > 0;
}

export const isEventSubProcess = (element: ModdleElement | undefined): boolean =>
  is(element, 'bpmn:SubProcess') && element?.triggeredByEvent === true;

/** Nodes directly in the process (not in a sub-process). */
export function topLevel(ctx: CompileContext): ModdleElement[] {
  return ctx.scopes[0]?.nodes ?? [];
}

/** Start events directly in the process, whatever their trigger. */
export function startEvents(ctx: CompileContext): ModdleElement[] {
  return topLevel(ctx).filter((n) => is(n, 'bpmn:StartEvent'));
}

/** The process's none start events: where an application submitted through the API begins. */
export function noneStartEvents(ctx: CompileContext): ModdleElement[] {
  return startEvents(ctx).filter((n) => !hasEventDefinitions(n));
}

/** End events directly in the process. */
export function endEvents(ctx: CompileContext): ModdleElement[] {
  return topLevel(ctx).filter((n) => is(n, 'bpmn:EndEvent'));
}

/** Elements that start their own thread of control and need no incoming flow. */
export function isDetachedStart(element: ModdleElement): boolean {
  return (
    is(element, 'bpmn:BoundaryEvent') || element.isForCompensation === true || isEventSubProcess(element)
  );
}
