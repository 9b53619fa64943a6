// A user task nobody may see would wait forever: it needs candidate groups, candidate users or
// an assignee (the inbox and the completion check go by these; Camunda's "anyone" does not exist here).
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
        `User task ${refer(node)} has no candidate groups, candidate users or assignee: add <zeebe:assignmentDefinition candidateGroups="..."/>`,
        node,
      ),
    );
}
