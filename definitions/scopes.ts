// The process as a tree of scopes: the process itself and every (event) sub-process in it.
// Rules and the model builder see one flat list of nodes and flows at every depth (ids are
// document-unique) plus, per node, the scope it sits in.
import type { ModdleElement } from './moddle-types.ts';

export interface Scope {
  /** The process or a bpmn:SubProcess (embedded or event sub-process). */
  element: ModdleElement;
  /** Flow nodes directly in this scope (sequence flows and data elements excluded). */
  nodes: ModdleElement[];
  flows: ModdleElement[];
}

/** Flow elements without execution semantics: carried along as data, never tokens. */
export const DATA_ELEMENTS = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

export interface ScopeTree {
  scopes: Scope[];
  /** The scope element (process or sub-process) each node and flow sits in, by id. */
  scopeOf: Map<string, ModdleElement>;
  /** Associations (artifacts) of every scope: they link compensation boundaries to handlers. */
  associations: ModdleElement[];
}

export function buildScopes(process: ModdleElement): ScopeTree {
  const tree: ScopeTree = { scopes: [], scopeOf: new Map(), associations: [] };
  const pending: ModdleElement[] = [process];
  // iterative, not recursive: nesting depth is bounded by the markup scan, but stay safe anyway;
  // breadth first by index (shift() would make thousands of sub-processes quadratic)
  for (let next = 0; next < pending.length; next++) {
    const element = pending[next];
    const scope: Scope = { element, nodes: [], flows: [] };
    const children: ModdleElement[] = Array.isArray(element.flowElements) ? element.flowElements : [];
    for (const child of children) {
      if (!child || DATA_ELEMENTS.has(child.$type)) continue;
      if (child.id) tree.scopeOf.set(child.id, element);
      if (child.$type === 'bpmn:SequenceFlow') scope.flows.push(child);
      else {
        scope.nodes.push(child);
        if (child.$type === 'bpmn:SubProcess') pending.push(child);
      }
    }
    for (const artifact of element.artifacts ?? []) {
      if (artifact?.$type === 'bpmn:Association') tree.associations.push(artifact);
    }
    tree.scopes.push(scope);
  }
  return tree;
}
