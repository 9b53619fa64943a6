// Reachability over the sequence-flow graph, shared by the structural rules.
import type { CompileContext } from './context.ts';
import { is } from './context.ts';

/** Ids of the nodes a token can move to next; boundary events count as successors of their host. */
function successorMap(ctx: CompileContext): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const node of ctx.nodes) {
    next.set(
      node.id as string,
      (ctx.outgoing.get(node.id as string) ?? []).map((f) => f.targetRef.id as string),
    );
  }
  for (const node of ctx.nodes) {
    const host = node.attachedToRef?.id;
    if (is(node, 'bpmn:BoundaryEvent') && next.has(host)) next.get(host)?.push(node.id as string);
  }
  return next;
}

function closure(from: Iterable<string>, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>(from);
  const queue = [...seen];
  while (queue.length > 0) {
    for (const id of next.get(queue.pop() as string) ?? []) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}

/** Nodes reachable from the given nodes, themselves included. */
export function reachableFrom(ctx: CompileContext, starts: Iterable<string>): Set<string> {
  return closure(starts, successorMap(ctx));
}

/** Nodes from which one of the given nodes can be reached, themselves included. */
export function canReach(ctx: CompileContext, targets: Iterable<string>): Set<string> {
  const previous = new Map<string, string[]>();
  for (const [id, successors] of successorMap(ctx)) {
    for (const successor of successors) {
      const list = previous.get(successor) ?? [];
      list.push(id);
      previous.set(successor, list);
    }
  }
  return closure(targets, previous);
}
