// govflow:decisions lists what a clerk may decide; it must name at least one, each once.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { decisionsOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function userTaskDecisionsInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes.filter((n) => is(n, 'bpmn:UserTask'))) {
    const decisions = decisionsOf(node);
    const seen = new Set<string>();
    const repeated = decisions.filter((d) => seen.has(d) || !seen.add(d));
    if (decisions.length === 0) {
      found.push(
        ctx.diagnostic(
          'user-task-decisions-invalid',
          `User task ${refer(node)} has an empty govflow:decisions list`,
          node,
        ),
      );
    } else if (repeated.length > 0) {
      found.push(
        ctx.diagnostic(
          'user-task-decisions-invalid',
          `User task ${refer(node)} lists the decision "${repeated[0]}" more than once`,
          node,
        ),
      );
    }
  }
  return found;
}
