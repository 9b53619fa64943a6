// /applications: applicants submit and follow their applications; clerks and auditors read them;
// anyone signed in can read an application's ledger trail and verify it.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type WorkflowExecutionDescription,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Context } from 'hono';
import { retryIncidentUpdate, stateQuery } from '../../workflows/application.ts';
import { GovApplicant, GovStatus } from '../../workflows/search-attributes.ts';
import type { ApplicationState, Incident, OpenTask } from '../../workflows/state.ts';
import { requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses, StepRecordSchema } from '../schemas.ts';
import { checkStart, startApplication } from '../start-application.ts';

// app-<hex>, a child application app-<hex>.c<n>, or app-timer-<key>-<time> from a timer start.
export const ApplicationId = z.string().regex(/^app-[A-Za-z0-9._:-]{1,200}$/, 'not an application id');

const submitRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Submit an application for the latest version of a process',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            processKey: z.string().min(1),
            data: z.record(z.string(), z.unknown()).default({}),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: jsonResponse('Submitted', z.object({ id: z.string(), processKey: z.string(), version: z.number() })),
    ...problemResponses(401, 403, 404, 422),
  },
});

const idParam = z.object({ id: ApplicationId });

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'Where an application stands',
  request: { params: idParam },
  responses: {
    200: jsonResponse('The application', z.any()),
    ...problemResponses(404),
  },
});

const trailRoute = createRoute({
  method: 'get',
  path: '/{id}/trail',
  summary: "The application's ledger records, in order",
  request: { params: idParam },
  responses: {
    200: jsonResponse('Trail', z.object({ applicationId: z.string(), records: z.array(StepRecordSchema) })),
    ...problemResponses(404),
  },
});

const verifyRoute = createRoute({
  method: 'get',
  path: '/{id}/verify',
  summary: "Checks the application's trail against the ledger",
  request: { params: idParam },
  responses: {
    200: jsonResponse(
      'Verification report',
      z.object({
        valid: z.boolean(),
        records: z.number(),
        problems: z.array(z.object({ message: z.string() }).passthrough()),
      }),
    ),
    ...problemResponses(404),
  },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/{id}/incidents/{incidentId}/retry',
  summary: 'Retry the step an incident stopped at',
  request: { params: z.object({ id: ApplicationId, incidentId: z.string() }) },
  responses: { 204: { description: 'Retried' }, ...problemResponses(404) },
});

export function applicationRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();
  const { temporal } = services;

  app.post('/', requireRole('applicant'));
  app.openapi(submitRoute, async (c) => {
    const { processKey, data } = c.req.valid('json');
    const definition = services.definitions.get(processKey);
    if (!definition) return problem(c, 404, 'Not found', `no process "${processKey}" is deployed`) as never;
    const submittedBy = c.get('user').sub;
    const check = checkStart(definition, { data, submittedBy });
    if (!check.ok) {
      const { errors } = check;
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return problem(c, 422, 'Invalid application', detail, { errors }) as never;
    }
    const { idNumber } = c.get('user');
    const { id } = await startApplication(services, definition, { data, submittedBy, idNumber });
    c.get('log').info(
      { applicationId: id, processKey, version: definition.version },
      'application submitted',
    );
    return c.json({ id, processKey, version: definition.version }, 201);
  });

  app.openapi(getRoute, async (c) => {
    const view = await readApplication(c, services, c.req.valid('param').id);
    return view ? c.json(view, 200) : (notFound(c, c.req.valid('param').id) as never);
  });

  app.openapi(trailRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await describeVisible(c, services, id))) return notFound(c, id) as never;
    const entries = await services.ledger.trail(id);
    return c.json(
      { applicationId: id, records: entries.map((e) => ({ ...e.record, blockNumber: e.blockNumber })) },
      200,
    );
  });

  app.openapi(verifyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const report = await services.ledger.verify(id);
    // No records and no execution: an id nobody applied with, not a trail that verifies.
    if (report.records === 0 && !(await describeVisible(c, services, id))) return notFound(c, id) as never;
    return c.json(report, 200);
  });

  app.post('/:id/incidents/:incidentId/retry', requireRole('clerk', 'auditor'));
  app.openapi(retryRoute, async (c) => {
    const { id, incidentId } = c.req.valid('param');
    try {
      await temporal.workflow.getHandle(id).executeUpdate(retryIncidentUpdate, { args: [incidentId] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError) {
        return problem(c, 404, 'Not found', `no open incident ${incidentId} on ${id}`) as never;
      }
      throw err;
    }
    return c.body(null, 204);
  });

  return app;
}

export function notFound(c: Context, id: string) {
  return problem(c, 404, 'Not found', `no application ${id}`);
}

/** The application's execution, if it exists and the caller may see it (applicants: their own). */
export async function describeVisible(c: Context<ApiEnv>, services: ApiServices, id: string) {
  let description: WorkflowExecutionDescription;
  try {
    description = await services.temporal.workflow.getHandle(id).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const user = c.get('user');
  if (user.role === 'applicant' && description.typedSearchAttributes.get(GovApplicant) !== user.sub)
    return undefined;
  return description;
}

/**
 * Status and open tasks come from the execution's search attributes and memo, so this answers even
 * while no worker runs; variables come from the result (closed) or a query (running, best effort).
 * Applicants see only their own applications.
 */
export async function readApplication(c: Context<ApiEnv>, services: ApiServices, id: string) {
  const handle = services.temporal.workflow.getHandle(id);
  const description = await describeVisible(c, services, id);
  if (!description) return undefined;
  const applicant = description.typedSearchAttributes.get(GovApplicant);

  const memo = (description.memo ?? {}) as {
    processKey?: string;
    version?: number;
    definitionHash?: string;
    openTasks?: OpenTask[];
    incidents?: Incident[];
  };
  let state: ApplicationState | undefined;
  let status = description.typedSearchAttributes.get(GovStatus) ?? 'running';
  if (description.status.name === 'COMPLETED') {
    state = (await handle.result()) as ApplicationState;
    status = state.status;
  } else if (description.status.name === 'RUNNING') {
    state = await services.temporal
      .withDeadline(Date.now() + 3000, () => handle.query(stateQuery))
      .catch(() => undefined);
    // The query answers from the workflow itself; the search attribute may lag behind it.
    if (state) status = state.status;
  } else {
    status = 'incident'; // failed, terminated or timed out: needs an operator
  }
  const ended = status === 'completed' || status === 'rejected';
  return {
    id,
    processKey: memo.processKey,
    version: memo.version,
    definitionHash: memo.definitionHash,
    status,
    executionStatus: description.status.name,
    submittedBy: applicant,
    startedAt: description.startTime.toISOString(),
    endedAt: description.closeTime?.toISOString(),
    openTasks: ended ? [] : (state?.openTasks ?? memo.openTasks ?? []),
    incidents: state?.incidents ?? memo.incidents ?? [],
    awaiting: ended ? [] : (state?.awaiting ?? []),
    variables: state?.variables,
  };
}
