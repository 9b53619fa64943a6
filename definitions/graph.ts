// Reachability over the token graph, shared by the structural rules. Besides sequence flows a
// token can move from an activity to its boundary events, from a sub-process to its start
// events and event sub-processes, and from a link throw event to the link catch it names.
import type { CompileContext } from './context.ts';
import { is, isEventSubProcess, topLevel } from './context.ts';
import { isLinkThrow, linkCatchesByName, linkNameOf } from './triggers.ts';

/**
 * Successors of every node; CompileContext.successors computes them once per compilation (the
 * rules share them). Without `enterScopes` a sub-process does not lead to its own start events:
 * finishing its inner path does not finish the path the sub-process itself is on.
 */
export function buildSuccessors(ctx: CompileContext, enterScopes: boolean): Map<string, string[]> {
  const next = new Map<string, string[]>();
  const add = (from: string | undefined, to: string) => {
    if (from !== undefined && next.has(from)) next.get(from)?.push(to);
  };
  for (const node of ctx.nodes) {
    next.set(
      node.id as string,
      (ctx.outgoing.get(node.id as string) ?? []).map((f) => f.targetRef.id as string),
    );
  }
  for (const scope of ctx.scopes) {
    const catches = linkCatchesByName(scope.nodes);
    for (const node of scope.nodes) {
      const id = node.id as string;
      if (is(node, 'bpmn:BoundaryEvent')) add(node.attachedToRef?.id, id);
      if (isLinkThrow(node))
        for (const target of catches.get(linkNameOf(node) ?? '') ?? []) add(id, target.id as string);
      // entering a sub-process starts its start events; its event sub-processes may start while it runs
      const owner = scope.element;
      if (enterScopes && owner !== ctx.process && (is(node, 'bpmn:StartEvent') || isEventSubProcess(node)))
        add(owner.id, id);
    }
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

/**
 * Where tokens enter without an incoming flow: the process's start events and event
 * sub-processes, and compensation handlers (started by compensation, anywhere).
 */
export function entryPoints(ctx: CompileContext): string[] {
  return [
    ...topLevel(ctx).filter((n) => is(n, 'bpmn:StartEvent') || isEventSubProcess(n)),
    ...ctx.nodes.filter((n) => n.isForCompensation === true),
  ].map((n) => n.id as string);
}

/** Nodes reachable from the given nodes, themselves included. */
export function reachableFrom(ctx: CompileContext, starts: Iterable<string>): Set<string> {
  return closure(starts, ctx.successors.entering);
}

/** Nodes from which one of the given nodes can be reached, themselves included. */
export function canReach(ctx: CompileContext, targets: Iterable<string>): Set<string> {
  const previous = new Map<string, string[]>();
  for (const [id, successors] of ctx.successors.within) {
    for (const successor of successors) {
      const list = previous.get(successor) ?? [];
      list.push(id);
      previous.set(successor, list);
    }
  }
  return closure(targets, previous);
}
