// /tasks: a clerk's task lists (visibility queries over search attributes, see task-lists.ts), and
// completing, claiming, giving back and assigning a task: workflow Updates whose validators reject
// before anything is written.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  ApplicationFailure,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  assignTaskUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  unclaimTaskUpdate,
} from '../../workflows/application.ts';
import { UNASSIGNED } from '../../workflows/human-tasks.ts';
import {
  applicationIdOfTask,
  type TaskActionInput,
  type TaskActionResult,
  TaskRejection,
} from '../../workflows/state.ts';
import { GROUP_NAME, requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';
import { listCompletedTasks, listOpenTasks, UnsearchableValue } from '../task-lists.ts';

/** Group names and process keys go into a visibility query, so only plain names are accepted. */
const GroupName = z.string().regex(GROUP_NAME, 'not a group name');
const ProcessKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9._-]{0,127}$/, 'not a process key');

const OpenTaskSchema = z
  .object({
    id: z.string(),
    applicationId: z.string(),
    processKey: z.string(),
    elementId: z.string(),
    elementInstanceId: z.string(),
    name: z.string().optional(),
    candidateGroups: z.array(z.string()),
    assignee: z.string().optional(),
    claimedAt: z.string().optional(),
    claimRecord: z.object({ txId: z.string(), recordHash: z.string() }).optional(),
    decisions: z.array(z.string()),
    formFields: z.array(
      z.object({ id: z.string(), type: z.string(), required: z.boolean(), label: z.string().optional() }),
    ),
    ruleReasons: z.array(z.string()).optional(),
    dueDate: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi('OpenTask');

const CompletedTaskSchema = z
  .object({
    taskId: z.string(),
    applicationId: z.string(),
    processKey: z.string(),
    elementId: z.string(),
    elementInstanceId: z.string(),
    name: z.string().optional(),
    decision: z.string(),
    completedBy: z.string(),
    completedAt: z.string(),
  })
  .openapi('CompletedTask');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: "Open tasks: a group's inbox, the caller's own (assignee=me), or a group's unclaimed ones",
  request: {
    query: z.object({
      group: GroupName.optional(),
      assignee: z.literal('me').optional(),
      unassigned: z.enum(['true', 'false']).optional(),
      processKey: ProcessKey.optional(),
    }),
  },
  responses: {
    200: jsonResponse('Open tasks, oldest first', z.array(OpenTaskSchema)),
    ...problemResponses(403, 422),
  },
});

const completedRoute = createRoute({
  method: 'get',
  path: '/completed',
  summary: 'Tasks the caller completed, newest first',
  request: {
    query: z.object({
      processKey: ProcessKey.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonResponse('Completed tasks', z.array(CompletedTaskSchema)),
    ...problemResponses(422),
  },
});

const TaskId = z.object({ id: z.string().min(1).max(100) });
const responses = problemResponses(403, 404, 409, 422, 503);

const completeRoute = createRoute({
  method: 'post',
  path: '/{id}/complete',
  summary: 'Complete a task with a decision',
  request: {
    params: TaskId,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            decision: z.string().min(1),
            comment: z.string().max(4000).optional(),
            data: z.record(z.string(), z.unknown()).optional(),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: jsonResponse(
      'Completed and recorded on the ledger',
      z.object({
        taskId: z.string(),
        decision: z.string(),
        txId: z.string(),
        recordHash: z.string(),
      }),
    ),
    ...responses,
  },
});

const TaskActionSchema = z
  .object({
    task: OpenTaskSchema,
    /** The ledger record of the action; null when nothing changed (and the model assigned the task). */
    txId: z.string().nullable(),
    recordHash: z.string().nullable(),
  })
  .openapi('TaskAction');

const claimRoute = createRoute({
  method: 'post',
  path: '/{id}/claim',
  summary: 'Claim a task: the caller holds it, nobody else completes it',
  request: { params: TaskId },
  responses: { 200: jsonResponse('Claimed (or held already)', TaskActionSchema), ...responses },
});

const unclaimRoute = createRoute({
  method: 'post',
  path: '/{id}/unclaim',
  summary: 'Give a claimed task back to its candidates (its assignee, or a supervisor of its groups)',
  request: { params: TaskId },
  responses: { 200: jsonResponse('Given back', TaskActionSchema), ...responses },
});

const assignRoute = createRoute({
  method: 'post',
  path: '/{id}/assign',
  summary: "Assign a task to a user (a supervisor of one of the task's candidate groups)",
  request: {
    params: TaskId,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            user: z
              .string()
              .min(1)
              .max(256)
              .regex(/^[^:\s]+$/, 'must be a plain user id (a sub: no ":" and no spaces)'),
          }),
        },
      },
      required: true,
    },
  },
  responses: { 200: jsonResponse('Assigned', TaskActionSchema), ...responses },
});

const rejectionStatus: Record<string, ContentfulStatusCode> = {
  [TaskRejection.notFound]: 404,
  [TaskRejection.alreadyCompleted]: 409,
  [TaskRejection.forbidden]: 403,
  [TaskRejection.invalid]: 422,
  [TaskRejection.closed]: 409,
  [TaskRejection.claimed]: 409,
  [TaskRejection.notClaimed]: 409,
  [TaskRejection.noCandidates]: 409,
  [TaskRejection.notAssignee]: 403,
  [TaskRejection.notSupervisor]: 403,
};

/** How long a task's Update waits for the engine (its worker) before telling the clerk to retry. */
const UPDATE_TIMEOUT_MS = 15_000;

export function taskRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('*', requireRole('clerk'));

  app.openapi(listRoute, async (c) => {
    const { group, assignee, unassigned, processKey } = c.req.valid('query');
    const user = c.get('user');
    if (!group && !assignee) {
      return problem(c, 422, 'Invalid request', 'give group=<group> or assignee=me') as never;
    }
    if (unassigned === 'true' && (!group || assignee)) {
      return problem(
        c,
        422,
        'Invalid request',
        'unassigned=true lists the tasks of a group nobody holds: give group=<group>, not assignee=me',
      ) as never;
    }
    // A supervisor sees the inbox of a group it supervises, to assign its tasks.
    if (group && group !== UNASSIGNED && !user.groups.includes(group) && !user.supervises?.includes(group)) {
      return problem(c, 403, 'Forbidden', `you are not in group ${group}`) as never;
    }
    const filter = {
      group,
      assignee: assignee ? user.sub : undefined,
      unassigned: unassigned === 'true',
      processKey,
    };
    return searched(c, async () => c.json(await listOpenTasks(services.temporal, filter), 200));
  });

  app.openapi(completedRoute, async (c) => {
    const { processKey, limit } = c.req.valid('query');
    const { sub } = c.get('user');
    return searched(c, async () =>
      c.json(await listCompletedTasks(services.temporal, sub, { processKey, limit }), 200),
    );
  });

  app.openapi(completeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const user = c.get('user');
    return taskUpdate(c, services, id, async (handle) => {
      const result = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: id, ...body, actor: user.sub, groups: user.groups }],
      });
      c.get('log').info({ taskId: id, decision: body.decision }, 'task completed');
      return c.json(result, 200);
    });
  });

  app.openapi(claimRoute, async (c) =>
    taskAction(c, services, c.req.valid('param').id, claimTaskUpdate, {}, 'task claimed'),
  );
  app.openapi(unclaimRoute, async (c) =>
    taskAction(c, services, c.req.valid('param').id, unclaimTaskUpdate, {}, 'task given back'),
  );
  app.openapi(assignRoute, async (c) =>
    taskAction(c, services, c.req.valid('param').id, assignTaskUpdate, c.req.valid('json'), 'task assigned'),
  );

  return app;
}

/** Claims, gives back or assigns a task as the caller; `extra`: the Update's own fields. */
function taskAction<I extends TaskActionInput>(
  c: Context<ApiEnv>,
  services: ApiServices,
  taskId: string,
  update: UpdateDefinition<TaskActionResult, [I]>,
  extra: Omit<I, keyof TaskActionInput>,
  what: string,
): Promise<never> {
  const user = c.get('user');
  const input = {
    taskId,
    actor: user.sub,
    groups: user.groups,
    supervises: user.supervises ?? [],
    ...extra,
  } as I;
  return taskUpdate(c, services, taskId, async (handle) => {
    const result = await handle.executeUpdate(update, { args: [input] });
    c.get('log').info({ taskId, assignee: result.task.assignee ?? null, recorded: !!result.txId }, what);
    return c.json(result, 200);
  });
}

/** A list whose query could not be built from the caller's sub is the caller's problem, not a 500. */
async function searched(c: Context<ApiEnv>, list: () => Promise<Response>): Promise<never> {
  try {
    return (await list()) as never;
  } catch (err) {
    if (err instanceof UnsearchableValue) return problem(c, 422, 'Invalid request', err.message) as never;
    throw err;
  }
}

/**
 * Runs one of a task's Updates on its application's workflow; a refusal by the validator (or by
 * the handler, when the task changed meanwhile) becomes its problem+json status.
 */
async function taskUpdate(
  c: Context<ApiEnv>,
  services: ApiServices,
  taskId: string,
  run: (handle: WorkflowHandle) => Promise<Response>,
): Promise<never> {
  const applicationId = applicationIdOfTask(taskId);
  if (!applicationId) return problem(c, 404, 'Not found', `no task ${taskId}`) as never;
  const handle = services.temporal.workflow.getHandle(applicationId);
  try {
    return (await services.temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () => run(handle))) as never;
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && rejectionStatus[cause.type]) {
      const details = cause.details?.[0];
      // A completion's field errors, or who holds the task.
      const extensions: Record<string, unknown> = Array.isArray(details)
        ? { errors: details }
        : ((details as Record<string, unknown> | undefined) ?? {});
      return problem(c, rejectionStatus[cause.type], cause.type, cause.message, extensions) as never;
    }
    if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test((err as Error).message)) {
      return problem(c, 404, 'Not found', `no open task ${taskId}`) as never;
    }
    if (/deadline|timed? ?out|cancel/i.test((err as Error).message)) {
      return problem(c, 503, 'Unavailable', 'the engine did not answer in time; try again shortly') as never;
    }
    throw err;
  }
}
