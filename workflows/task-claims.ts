// Claiming, giving back and assigning open tasks, as in Camunda's Tasklist: each a workflow Update
// whose validator refuses before anything is written, each recorded on the ledger as a step of its
// own of the task's element instance (actor `user:<sub>`, decision claimed / unclaimed / assigned).
import type { UserTaskElement } from '../definitions/model.ts';
import { ledger } from './activity-proxies.ts';
import { userActor } from './actors.ts';
import { type HumanTasks, hasCandidates, mayWorkOn, rejection } from './human-tasks.ts';
import type { Interpreter } from './interpreter.ts';
import {
  type AssignTaskInput,
  type OpenTask,
  type TaskAction,
  type TaskActionInput,
  type TaskActionResult,
  TaskRejection,
} from './state.ts';

export class TaskClaims {
  constructor(
    private readonly tasks: HumanTasks,
    private readonly engine: Pick<Interpreter, 'stepIdentity'>,
  ) {}

  /** A clerk who may work on the task takes it; taking one you hold already changes nothing. */
  validateClaim(input: TaskActionInput): void {
    this.claimable(input);
  }

  async claim(input: TaskActionInput): Promise<TaskActionResult> {
    await this.settled(input.taskId);
    const { task, element } = this.claimable(input);
    if (task.assignee === input.actor) return held(task);
    return this.change(task, element, input.actor, 'claimed', input.actor);
  }

  /** The assignee, or a supervisor of one of the task's groups, gives it back to its candidates. */
  validateUnclaim(input: TaskActionInput): void {
    this.returnable(input);
  }

  async unclaim(input: TaskActionInput): Promise<TaskActionResult> {
    await this.settled(input.taskId);
    const { task, element } = this.returnable(input);
    return this.change(task, element, input.actor, 'unclaimed', undefined);
  }

  /** A supervisor of one of the task's candidate groups gives it to a user, whoever holds it. */
  validateAssign(input: AssignTaskInput): void {
    this.assignable(input);
  }

  async assign(input: AssignTaskInput): Promise<TaskActionResult> {
    await this.settled(input.taskId);
    const { task, element } = this.assignable(input);
    if (task.assignee === input.user) return held(task);
    return this.change(task, element, input.actor, 'assigned', input.user);
  }

  private claimable(input: TaskActionInput) {
    const found = this.tasks.openTask(input.taskId);
    const { task, element } = found;
    if (!mayWorkOn(task, element, input)) {
      throw rejection(
        TaskRejection.forbidden,
        `task ${task.id} is for group(s) ${task.candidateGroups.join(', ') || '(none)'}; you may not claim it`,
      );
    }
    if (task.assignee && task.assignee !== input.actor) {
      throw rejection(TaskRejection.claimed, `task ${task.id} is claimed by ${task.assignee}`, [
        { assignee: task.assignee },
      ]);
    }
    return found;
  }

  private returnable(input: TaskActionInput) {
    const found = this.tasks.openTask(input.taskId);
    const { task, element } = found;
    if (!task.assignee) throw rejection(TaskRejection.notClaimed, `task ${task.id} is not claimed`);
    if (task.assignee !== input.actor && !supervisesTask(task, input)) {
      throw rejection(
        TaskRejection.notAssignee,
        `task ${task.id} is claimed by ${task.assignee}; only they or a supervisor of ${groupsOf(task)} may give it back`,
      );
    }
    if (!hasCandidates(element)) {
      throw rejection(
        TaskRejection.noCandidates,
        `task ${task.id} has no candidate groups or users: given back, nobody could take it`,
      );
    }
    return found;
  }

  private assignable(input: AssignTaskInput) {
    const found = this.tasks.openTask(input.taskId);
    if (!supervisesTask(found.task, input)) {
      throw rejection(
        TaskRejection.notSupervisor,
        `assigning task ${found.task.id} takes a supervisor of ${groupsOf(found.task)}`,
      );
    }
    return found;
  }

  /** Another action on the task being recorded goes first; the caller checks the task again after. */
  private async settled(taskId: string): Promise<void> {
    if (this.tasks.isBusy(taskId)) await this.tasks.idle(taskId);
  }

  private async change(
    task: OpenTask,
    element: UserTaskElement,
    actor: string,
    decision: TaskAction,
    assignee: string | undefined,
  ): Promise<TaskActionResult> {
    const recorded = await this.tasks.reassign(task, assignee, decision, (instance) =>
      ledger.recordStep({
        ...this.engine.stepIdentity(element, instance),
        actor: userActor(actor),
        decision,
        data: { assignee: assignee ?? null },
      }),
    );
    return { task: { ...task }, ...recorded };
  }
}

function supervisesTask(task: OpenTask, input: TaskActionInput): boolean {
  return task.candidateGroups.some((group) => input.supervises.includes(group));
}

function groupsOf(task: OpenTask): string {
  return task.candidateGroups.join(', ') || 'its groups (it has none)';
}

/** The task as its holder has it: nothing recorded now; the record by which they hold it, if any. */
function held(task: OpenTask): TaskActionResult {
  return {
    task: { ...task },
    txId: task.claimRecord?.txId ?? null,
    recordHash: task.claimRecord?.recordHash ?? null,
  };
}
