// A clerk's task lists, each one visibility query over search attributes, the tasks themselves
// read from the memo the workflows keep (workflows/human-tasks.ts): a group's inbox, the tasks
// assigned to the clerk, the tasks nobody holds, and the tasks the clerk completed.
import type { Client } from '@temporalio/client';
import { UNASSIGNED } from '../workflows/human-tasks.ts';
import { taskUserTag } from '../workflows/search-attributes.ts';
import type { CompletedTask, OpenTask } from '../workflows/state.ts';

export interface OpenTaskFilter {
  /** A group's inbox (UNASSIGNED: the tasks with no candidates). */
  group?: string;
  /** Open tasks this user holds, whatever their group. */
  assignee?: string;
  /** Only tasks nobody holds. */
  unassigned?: boolean;
  processKey?: string;
}

/** A value that cannot be put in a visibility query's string literal. */
export class UnsearchableValue extends Error {}

/** `value` as a string literal of a visibility query; anything that could end one is refused. */
export function queryLiteral(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/['"\\\u0000-\u001f]/.test(value)) throw new UnsearchableValue(`"${value}" cannot be searched for`);
  return `'${value}'`;
}

/** Open tasks matching `filter`, oldest first (createdAt; each also carries its dueDate). */
export async function listOpenTasks(temporal: Client, filter: OpenTaskFilter): Promise<OpenTask[]> {
  const where = ["ExecutionStatus = 'Running'"];
  if (filter.group) where.push(`GovTaskGroups = ${queryLiteral(filter.group)}`);
  if (filter.assignee) where.push(`GovTaskUsers = ${queryLiteral(taskUserTag('assignee', filter.assignee))}`);
  if (filter.processKey) where.push(`GovProcessKey = ${queryLiteral(filter.processKey)}`);
  const matches = (t: OpenTask) =>
    (!filter.group ||
      (filter.group === UNASSIGNED
        ? t.candidateGroups.length === 0
        : t.candidateGroups.includes(filter.group))) &&
    (!filter.assignee || t.assignee === filter.assignee) &&
    (!filter.unassigned || !t.assignee) &&
    (!filter.processKey || t.processKey === filter.processKey);
  const tasks: OpenTask[] = [];
  for await (const execution of temporal.workflow.list({ query: where.join(' AND ') })) {
    const open = ((execution.memo ?? {}) as { openTasks?: OpenTask[] }).openTasks ?? [];
    tasks.push(...open.filter(matches));
  }
  return tasks.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Tasks `user` completed, newest first, in running and closed applications alike. A run that
 * continued as new handed its memo on to the next: only the latest run of each is read.
 */
export async function listCompletedTasks(
  temporal: Client,
  user: string,
  opts: { processKey?: string; limit: number },
): Promise<CompletedTask[]> {
  const where = [
    `GovTaskUsers = ${queryLiteral(taskUserTag('completed', user))}`,
    "ExecutionStatus != 'ContinuedAsNew'",
  ];
  if (opts.processKey) where.push(`GovProcessKey = ${queryLiteral(opts.processKey)}`);
  const found = new Map<string, CompletedTask>();
  for await (const execution of temporal.workflow.list({ query: where.join(' AND ') })) {
    const completed = ((execution.memo ?? {}) as { completedTasks?: CompletedTask[] }).completedTasks ?? [];
    for (const task of completed) {
      if (task.completedBy !== user) continue;
      if (opts.processKey && task.processKey !== opts.processKey) continue;
      found.set(task.taskId, task);
    }
  }
  return [...found.values()]
    .sort((a, b) => b.completedAt.localeCompare(a.completedAt) || b.taskId.localeCompare(a.taskId))
    .slice(0, opts.limit);
}
