// The shapes an application workflow takes in and shows out: input, state, tasks, incidents.
import type { ProcessModel } from '../definitions/model.ts';
import type { ResumeState } from './continue-as-new.ts';
import type { AwaitedEvent } from './waits.ts';

export type ApplicationStatus = 'running' | 'completed' | 'rejected' | 'incident';
export type Variables = Record<string, unknown>;

export interface ApplicationInput {
  applicationId: string;
  /** The compiled model this application is pinned to for its whole life. */
  model: ProcessModel;
  data: Variables;
  submittedBy: string;
  /** Where the application begins when a message or signal start event started it; absent: model.startEventId. */
  startEventId?: string;
  /** Models of the processes its call activities call, resolved when the application started. */
  calledModels?: Record<string, ProcessModel>;
  /** Set by continue-as-new: where the previous run's tokens were parked. */
  resume?: ResumeState;
  /** Continue as new past this many history events (default DEFAULT_HISTORY_LIMIT). */
  historyLimit?: number;
}

/** A human task waiting for a clerk; also what the inbox shows (through the workflow memo). */
export interface OpenTask {
  id: string;
  applicationId: string;
  processKey: string;
  elementId: string;
  elementInstanceId: string;
  name?: string;
  candidateGroups: string[];
  /**
   * The user who holds the task: the model's assignee (an assignee expression is evaluated when the
   * task opens), or whoever claimed it or was assigned it by a supervisor. Nobody else completes it.
   */
  assignee?: string;
  /** When the assignee claimed the task or was assigned it (absent when the model assigned it). */
  claimedAt?: string;
  /** The ledger record by which the assignee holds it (absent when the model assigned it). */
  claimRecord?: { txId: string; recordHash: string };
  decisions: string[];
  formFields: { id: string; type: string; required: boolean; label?: string }[];
  /** Why the approval rule, if any, left this to a clerk. */
  ruleReasons?: string[];
  /** ISO date-time by which the task should be done (`zeebe:taskSchedule dueDate`). */
  dueDate?: string;
  createdAt: string;
}

export interface Incident {
  id: string;
  elementId: string;
  elementInstanceId: string;
  message: string;
  createdAt: string;
}

export interface ApplicationState {
  applicationId: string;
  processKey: string;
  version: number;
  definitionHash: string;
  status: ApplicationStatus;
  openTasks: OpenTask[];
  incidents: Incident[];
  /** Messages, signals and timers tokens wait for (the state query's; not kept in results). */
  awaiting?: AwaitedEvent[];
  variables: Variables;
  submittedBy: string;
  startedAt: string;
  endedAt?: string;
}

export interface CompleteTaskInput {
  taskId: string;
  decision: string;
  comment?: string;
  data?: Variables;
  /** The clerk, as authenticated by the API. */
  actor: string;
  groups: string[];
}

export interface CompleteTaskResult {
  taskId: string;
  decision: string;
  txId: string;
  recordHash: string;
}

/** A claim, unclaim or assignment of an open task, by the clerk the API authenticated. */
export interface TaskActionInput {
  taskId: string;
  actor: string;
  groups: string[];
  /** Groups the clerk supervises: they may assign and unclaim those groups' tasks. */
  supervises: string[];
}

export interface AssignTaskInput extends TaskActionInput {
  /** The user (a plain sub) the task is given to. */
  user: string;
}

/** The task after the action, and its ledger record (null: nothing was recorded, nothing changed). */
export interface TaskActionResult {
  task: OpenTask;
  txId: string | null;
  recordHash: string | null;
}

/** A task a clerk completed, as `GET /tasks/completed` lists it (kept in the memo, newest last). */
export interface CompletedTask {
  taskId: string;
  applicationId: string;
  processKey: string;
  elementId: string;
  elementInstanceId: string;
  name?: string;
  decision: string;
  completedBy: string;
  completedAt: string;
}

/** What a new run (continue-as-new) takes over from HumanTasks besides the open tasks themselves. */
export interface CarriedTasks {
  completed: CompletedTask[];
  /** Claims, unclaims and assignments recorded so far: each record's step identity is numbered. */
  actions: number;
}

/** Decisions of the records that hand a task around (claim, give back, assign), not finish a step. */
export const TASK_ACTIONS = ['claimed', 'unclaimed', 'assigned'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Error types a task completion or claim is rejected with; the API maps each to an HTTP status. */
export const TaskRejection = {
  notFound: 'TaskNotFound',
  alreadyCompleted: 'TaskAlreadyCompleted',
  forbidden: 'NotInCandidateGroup',
  invalid: 'InvalidTaskCompletion',
  closed: 'TaskClosed',
  /** Someone else holds the task. */
  claimed: 'TaskClaimed',
  notClaimed: 'TaskNotClaimed',
  /** Given back, nobody could take it again: it has no candidate groups or users. */
  noCandidates: 'TaskHasNoCandidates',
  notAssignee: 'NotAssigneeOrSupervisor',
  notSupervisor: 'NotSupervisor',
} as const;

export function taskIdOf(applicationId: string, seq: number): string {
  return `${applicationId}.${seq}`;
}

/** Splits a task id into the application (= workflow id) it belongs to. */
export function applicationIdOfTask(taskId: string): string | undefined {
  const dot = taskId.lastIndexOf('.');
  return dot > 0 ? taskId.slice(0, dot) : undefined;
}
