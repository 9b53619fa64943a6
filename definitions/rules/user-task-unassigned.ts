// A user task with no candidate groups, candidate users or assignee is open to every clerk: the
// engine lets anyone in the clerk role complete it, as Camunda lets anyone claim it. That is
// rarely what a government service means, so it is a warning that names the fix.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { candidateGroupsOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function userTaskUnassigned(ctx: CompileContext): Diagnostic[] {
  return ctx.nodes
    .filter((node) => {
      if (!is(node, 'bpmn:UserTask')) return false;
      const { groups, users, assignee } = candidateGroupsOf(node);
      return groups.length === 0 && users.length === 0 && !assignee;
    })
    .map((node) =>
      ctx.diagnostic(
        'user-task-unassigned',
        `User task ${refer(node)} has no candidate groups, candidate users or assignee: anyone in the clerk role can complete it; add <zeebe:assignmentDefinition candidateGroups="..."/> to restrict it`,
        node,
        { severity: 'warning' },
      ),
    );
}
