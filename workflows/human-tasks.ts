// Human tasks of one application: which are open, who may work on and who holds them, and the
// hand-over from the completing Update to the token waiting on the task. Claims: task-claims.ts.
import { ApplicationFailure, condition } from '@temporalio/workflow';
import { namesRead } from '../definitions/feel.ts';
import { validateForm } from '../definitions/forms.ts';
import type { UserTaskElement } from '../definitions/model.ts';
import { evaluateFeel } from './feel.ts';
import { taskUserTag } from './search-attributes.ts';
import {
  type CarriedTasks,
  type CompletedTask,
  type CompleteTaskInput,
  type CompleteTaskResult,
  type OpenTask,
  TaskRejection,
  type Variables,
} from './state.ts';
import { EngineIncident } from './throws.ts';

/** The inbox of tasks with no candidate groups, candidate users or assignee: any clerk may take them. */
export const UNASSIGNED = 'unassigned';

/** Completions the memo keeps per application, newest: the completing clerks' lists read them. */
export const COMPLETED_KEPT = 50;

function isUnassigned(element: UserTaskElement): boolean {
  return (
    element.candidateGroups.length === 0 &&
    element.candidateUsers.length === 0 &&
    !element.assignee &&
    !element.assigneeExpression
  );
}

/**
 * Who may work on a task (claim it, complete it while nobody else holds it): any clerk when it has
 * no candidates and the model assigned it to nobody; otherwise a clerk of one of its candidate
 * groups, one of its candidate users, or whoever holds it.
 */
export function mayWorkOn(
  task: OpenTask,
  element: UserTaskElement,
  who: { actor: string; groups: string[] },
): boolean {
  return (
    isUnassigned(element) ||
    task.candidateGroups.some((g) => who.groups.includes(g)) ||
    element.candidateUsers.includes(who.actor) ||
    task.assignee === who.actor
  );
}

/** Whether someone could take the task once nobody holds it: anyone, or its candidates. */
export function hasCandidates(element: UserTaskElement): boolean {
  return isUnassigned(element) || element.candidateGroups.length > 0 || element.candidateUsers.length > 0;
}

export function rejection(type: string, message: string, details?: unknown[]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, ...(details ? { details } : {}) });
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
  /** The newest completions (at most COMPLETED_KEPT), oldest first. */
  readonly completed: CompletedTask[];
  /** Tasks whose claim, unclaim or assignment is being recorded: whatever comes next waits for it. */
  private readonly busy = new Set<string>();
  /** Claims, unclaims and assignments recorded: numbers each one's step identity. */
  private actions: number;
  private readonly elements = new Map<string, UserTaskElement>();
  private readonly completions = new Map<string, CompleteTaskInput>();
  private readonly results = new Map<string, CompleteTaskResult>();
  private readonly closed = new Set<string>();

  constructor(
    private readonly onChange: () => void,
    carried?: CarriedTasks,
  ) {
    this.completed = [...(carried?.completed ?? [])];
    this.actions = carried?.actions ?? 0;
  }

  /** What a new run takes over (continue-as-new). */
  carried(): CarriedTasks {
    return { completed: [...this.completed], actions: this.actions };
  }

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

  /** `by` completed `task`, recorded: its Update returns `result`, the clerk's list shows it. */
  finish(result: CompleteTaskResult, task: OpenTask, by: string): void {
    this.results.set(result.taskId, result);
    this.completed.push({
      taskId: task.id,
      applicationId: task.applicationId,
      processKey: task.processKey,
      elementId: task.elementId,
      elementInstanceId: task.elementInstanceId,
      ...(task.name ? { name: task.name } : {}),
      decision: result.decision,
      completedBy: by,
      completedAt: new Date().toISOString(),
    });
    if (this.completed.length > COMPLETED_KEPT)
      this.completed.splice(0, this.completed.length - COMPLETED_KEPT);
    this.onChange();
  }

  /**
   * The open task `taskId` and its element, for a completion or claim; a task not open, or whose
   * completion is accepted already, is refused.
   */
  openTask(taskId: string): { task: OpenTask; element: UserTaskElement } {
    const task = this.open.find((t) => t.id === taskId);
    if (!task || this.completions.has(taskId)) {
      const done = this.results.has(taskId) || this.completions.has(taskId);
      throw rejection(
        done ? TaskRejection.alreadyCompleted : TaskRejection.notFound,
        done ? `task ${taskId} is already completed` : `task ${taskId} is not open`,
      );
    }
    return { task, element: this.elements.get(task.id)! };
  }

  /** Rejects a completion before anything is written; runs in the Update validator. */
  validate(input: CompleteTaskInput): void {
    const { task, element } = this.openTask(input.taskId);
    if (!mayWorkOn(task, element, input)) {
      throw rejection(
        TaskRejection.forbidden,
        `task ${input.taskId} is for group(s) ${task.candidateGroups.join(', ') || '(none)'}`,
      );
    }
    if (task.assignee && task.assignee !== input.actor) {
      throw rejection(TaskRejection.claimed, `task ${input.taskId} is claimed by ${task.assignee}`, [
        { assignee: task.assignee },
      ]);
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
      throw rejection(TaskRejection.invalid, errors.map((e) => `${e.field}: ${e.message}`).join('; '), [
        errors,
      ]);
    }
  }

  /** The Update handler: hands the completion to the waiting token and returns its ledger record. */
  async complete(input: CompleteTaskInput): Promise<CompleteTaskResult> {
    // A claim being recorded goes first; the task may have changed hands (or closed) meanwhile.
    // Checked synchronously: without one in flight, a completion runs step for step as it always did.
    if (this.isBusy(input.taskId)) {
      await this.idle(input.taskId);
      this.validate(input);
    }
    this.completions.set(input.taskId, input);
    await condition(() => this.results.has(input.taskId) || this.closed.has(input.taskId));
    const result = this.results.get(input.taskId);
    if (!result) {
      throw rejection(
        TaskRejection.closed,
        `task ${input.taskId} was closed by an event of the process before the completion was recorded`,
      );
    }
    return result;
  }

  isBusy(taskId: string): boolean {
    return this.busy.has(taskId);
  }

  /** Waits until no claim, unclaim or assignment of the task is being recorded. */
  async idle(taskId: string): Promise<void> {
    await condition(() => !this.busy.has(taskId));
  }

  /**
   * Gives the task to `assignee` (undefined: to nobody) and records that with `record`, under the
   * step identity it is given: the task's element instance, the decision and a number, so that each
   * claim, unclaim and assignment is a step of its own and the completion keeps its identity. The
   * task is busy meanwhile (see `idle`); if the ledger refuses, it goes back to whoever held it.
   */
  async reassign(
    task: OpenTask,
    assignee: string | undefined,
    decision: string,
    record: (instance: string) => Promise<{ txId: string; hash: string }>,
  ): Promise<{ txId: string; recordHash: string }> {
    const before = { assignee: task.assignee, claimedAt: task.claimedAt, claimRecord: task.claimRecord };
    setHolder(task, assignee ? { assignee, claimedAt: new Date().toISOString() } : {});
    const instance = `${task.elementInstanceId}/${decision}#${++this.actions}`;
    this.busy.add(task.id);
    this.onChange();
    try {
      const { txId, hash } = await record(instance);
      if (assignee) task.claimRecord = { txId, recordHash: hash };
      return { txId, recordHash: hash };
    } catch (err) {
      setHolder(task, before);
      throw err;
    } finally {
      this.busy.delete(task.id);
      this.onChange();
    }
  }

  /** Groups whose inbox shows an open task; a task for nobody in particular is in `unassigned`. */
  groups(): string[] {
    const groups = this.open.flatMap((t) =>
      isUnassigned(this.elements.get(t.id)!) ? [UNASSIGNED] : t.candidateGroups,
    );
    return [...new Set(groups)].sort();
  }

  /** Who holds an open task and who completed one (GovTaskUsers tags). */
  users(): string[] {
    const tags = [
      ...this.open.flatMap((t) => (t.assignee ? [taskUserTag('assignee', t.assignee)] : [])),
      ...this.completed.map((t) => taskUserTag('completed', t.completedBy)),
    ];
    return [...new Set(tags)].sort();
  }

  private remove(taskId: string): void {
    const at = this.open.findIndex((t) => t.id === taskId);
    if (at >= 0) this.open.splice(at, 1);
    this.onChange();
  }
}

type Holder = Pick<OpenTask, 'assignee' | 'claimedAt' | 'claimRecord'>;

function setHolder(task: OpenTask, holder: Holder): void {
  delete task.assignee;
  delete task.claimedAt;
  delete task.claimRecord;
  for (const [key, value] of Object.entries(holder))
    if (value !== undefined) Object.assign(task, { [key]: value });
}
