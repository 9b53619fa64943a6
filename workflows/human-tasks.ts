// Human tasks of one application: which are open, who may complete them, and the hand-over from
// the completing Update to the token waiting on the task.
import { ApplicationFailure, condition } from '@temporalio/workflow';
import { namesRead } from '../definitions/feel.ts';
import { validateForm } from '../definitions/forms.ts';
import type { UserTaskElement } from '../definitions/model.ts';
import { evaluateFeel } from './feel.ts';
import {
  type CompleteTaskInput,
  type CompleteTaskResult,
  type OpenTask,
  TaskRejection,
  type Variables,
} from './state.ts';
import { EngineIncident } from './throws.ts';

/** The inbox of tasks with no candidate groups, candidate users or assignee: any clerk may take them. */
export const UNASSIGNED = 'unassigned';

function isUnassigned(element: UserTaskElement): boolean {
  return (
    element.candidateGroups.length === 0 &&
    element.candidateUsers.length === 0 &&
    !element.assignee &&
    !element.assigneeExpression
  );
}

/**
 * The user an assignee expression names when the task opens. As in Camunda 8, anything but a
 * user id (null, a number, an unknown variable) is an incident on the task, not an unassigned task.
 */
export function evaluateAssignee(expression: string, context: Variables): string {
  const value = evaluateFeel(expression, context);
  if (typeof value === 'string' && value.trim()) return value.trim();
  throw new EngineIncident(
    `assignee expression \`${expression}\` gave ${JSON.stringify(value) ?? 'nothing'}, not a user id`,
  );
}

/**
 * Keys of a completion's data the task does not declare: neither a form field (its first path
 * segment) nor a name its output mappings read. A task with neither takes no data at all.
 */
export function undeclaredData(element: UserTaskElement, data: Variables): string[] {
  const keys = Object.keys(data);
  if (keys.length === 0) return [];
  const declared = new Set(element.form.map((field) => field.id.split('.')[0]));
  const read =
    element.outputs.length > 0
      ? namesRead(
          element.outputs.map((o) => o.source),
          keys,
        )
      : new Set();
  return keys.filter((key) => !declared.has(key) && !read.has(key));
}

export class HumanTasks {
  readonly open: OpenTask[] = [];
  private readonly elements = new Map<string, UserTaskElement>();
  private readonly completions = new Map<string, CompleteTaskInput>();
  private readonly results = new Map<string, CompleteTaskResult>();
  private readonly closed = new Set<string>();

  constructor(private readonly onChange: () => void) {}

  /** Opens the task and waits for a valid completion; the caller records it, then calls `finish`. */
  async waitForCompletion(task: OpenTask, element: UserTaskElement): Promise<CompleteTaskInput> {
    this.open.push(task);
    this.elements.set(task.id, element);
    this.onChange();
    try {
      await condition(() => this.completions.has(task.id));
    } catch (err) {
      this.close(task.id);
      throw err;
    } finally {
      // An interrupting event may end the wait: the task is gone either way.
      this.remove(task.id);
    }
    return this.completions.get(task.id)!;
  }

  /**
   * The process ended the task (an interrupting event) after a completion was accepted but before
   * it was recorded: the waiting Update must fail, or it would wait, and keep the workflow open, forever.
   */
  close(taskId: string): void {
    if (this.completions.has(taskId) && !this.results.has(taskId)) this.closed.add(taskId);
  }

  finish(result: CompleteTaskResult): void {
    this.results.set(result.taskId, result);
    this.onChange();
  }

  /** Rejects a completion before anything is written; runs in the Update validator. */
  validate(input: CompleteTaskInput): void {
    const task = this.open.find((t) => t.id === input.taskId);
    if (!task || this.completions.has(input.taskId)) {
      const done = this.results.has(input.taskId) || this.completions.has(input.taskId);
      throw ApplicationFailure.create({
        type: done ? TaskRejection.alreadyCompleted : TaskRejection.notFound,
        message: done ? `task ${input.taskId} is already completed` : `task ${input.taskId} is not open`,
        nonRetryable: true,
      });
    }
    const element = this.elements.get(task.id)!;
    const allowed =
      isUnassigned(element) ||
      task.candidateGroups.some((g) => input.groups.includes(g)) ||
      element.candidateUsers.includes(input.actor) ||
      (task.assignee ?? element.assignee) === input.actor;
    if (!allowed) {
      throw ApplicationFailure.create({
        type: TaskRejection.forbidden,
        message: `task ${input.taskId} is for group(s) ${task.candidateGroups.join(', ') || '(none)'}`,
        nonRetryable: true,
      });
    }
    const data = input.data ?? {};
    const errors = [
      ...undeclaredData(element, data).map((key) => ({
        field: `data.${key}`,
        message: `${key} is not a field of task ${element.id}'s form nor read by its output mappings`,
      })),
      ...validateForm(element.form, data),
    ];
    if (!element.decisions.includes(input.decision)) {
      errors.unshift({
        field: 'decision',
        message: `decision must be one of ${element.decisions.join(', ')}, not "${input.decision}"`,
      });
    }
    if (errors.length > 0) {
      throw ApplicationFailure.create({
        type: TaskRejection.invalid,
        message: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        details: [errors],
        nonRetryable: true,
      });
    }
  }

  /** The Update handler: hands the completion to the waiting token and returns its ledger record. */
  async complete(input: CompleteTaskInput): Promise<CompleteTaskResult> {
    this.completions.set(input.taskId, input);
    await condition(() => this.results.has(input.taskId) || this.closed.has(input.taskId));
    const result = this.results.get(input.taskId);
    if (!result) {
      throw ApplicationFailure.create({
        type: TaskRejection.closed,
        message: `task ${input.taskId} was closed by an event of the process before the completion was recorded`,
        nonRetryable: true,
      });
    }
    return result;
  }

  /** Groups whose inbox shows an open task; a task for nobody in particular is in `unassigned`. */
  groups(): string[] {
    const groups = this.open.flatMap((t) =>
      isUnassigned(this.elements.get(t.id)!) ? [UNASSIGNED] : t.candidateGroups,
    );
    return [...new Set(groups)].sort();
  }

  private remove(taskId: string): void {
    const at = this.open.findIndex((t) => t.id === taskId);
    if (at >= 0) this.open.splice(at, 1);
    this.onChange();
  }
}
