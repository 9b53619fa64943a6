// /tasks: a clerk's inbox (one visibility query over search attributes) and task completion
// (a workflow Update whose validator rejects bad completions before anything is written).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { completeTaskUpdate } from '../../workflows/application.ts';
import { UNASSIGNED } from '../../workflows/human-tasks.ts';
import { applicationIdOfTask, type OpenTask, TaskRejection } from '../../workflows/state.ts';
import { requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';

/** Group names go into a visibility query, so only plain names are accepted. */
const GroupName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'not a group name');

const inboxRoute = createRoute({
  method: 'get',
  path: '/',
  summary: "Open tasks of a group (the clerk's inbox)",
  request: { query: z.object({ group: GroupName }) },
  responses: {
    200: jsonResponse('Open tasks', z.array(z.any())),
    ...problemResponses(403, 422),
  },
});

const completeRoute = createRoute({
  method: 'post',
  path: '/{id}/complete',
  summary: 'Complete a task with a decision',
  request: {
    params: z.object({ id: z.string().min(1).max(100) }),
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
    ...problemResponses(403, 404, 409, 422, 503),
  },
});

const rejectionStatus: Record<string, ContentfulStatusCode> = {
  [TaskRejection.notFound]: 404,
  [TaskRejection.alreadyCompleted]: 409,
  [TaskRejection.forbidden]: 403,
  [TaskRejection.invalid]: 422,
  [TaskRejection.closed]: 409,
};

/** How long a completion waits for the engine (its worker) before telling the clerk to retry. */
const COMPLETE_TIMEOUT_MS = 15_000;

export function taskRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('*', requireRole('clerk'));

  app.openapi(inboxRoute, async (c) => {
    const { group } = c.req.valid('query');
    const user = c.get('user');
    if (group !== UNASSIGNED && !user.groups.includes(group)) {
      return problem(c, 403, 'Forbidden', `you are not in group ${group}`) as never;
    }
    const tasks: OpenTask[] = [];
    const query = `GovTaskGroups = '${group}' AND ExecutionStatus = 'Running'`;
    for await (const execution of services.temporal.workflow.list({ query })) {
      const open = ((execution.memo ?? {}) as { openTasks?: OpenTask[] }).openTasks ?? [];
      tasks.push(
        ...open.filter((t) =>
          group === UNASSIGNED ? t.candidateGroups.length === 0 : t.candidateGroups.includes(group),
        ),
      );
    }
    tasks.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return c.json(tasks, 200);
  });

  app.openapi(completeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const user = c.get('user');
    const applicationId = applicationIdOfTask(id);
    if (!applicationId) return problem(c, 404, 'Not found', `no task ${id}`) as never;
    const handle = services.temporal.workflow.getHandle(applicationId);
    try {
      const result = await services.temporal.withDeadline(Date.now() + COMPLETE_TIMEOUT_MS, () =>
        handle.executeUpdate(completeTaskUpdate, {
          args: [{ taskId: id, ...body, actor: user.sub, groups: user.groups }],
        }),
      );
      c.get('log').info({ applicationId, taskId: id, decision: body.decision }, 'task completed');
      return c.json(result, 200);
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type && rejectionStatus[cause.type]) {
        const errors = cause.details?.[0];
        return problem(
          c,
          rejectionStatus[cause.type],
          cause.type,
          cause.message,
          errors ? { errors } : {},
        ) as never;
      }
      if (
        err instanceof WorkflowNotFoundError ||
        /already completed|not found/i.test((err as Error).message)
      ) {
        return problem(c, 404, 'Not found', `no open task ${id}`) as never;
      }
      if (/deadline|timed? ?out|cancel/i.test((err as Error).message)) {
        return problem(
          c,
          503,
          'Unavailable',
          'the engine did not answer in time; try again shortly',
        ) as never;
      }
      throw err;
    }
  });

  return app;
}
