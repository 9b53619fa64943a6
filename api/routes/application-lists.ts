// GET /applications: one visibility query over the search attributes every application carries.
// Applicants see only their own; clerks and auditors filter by process, version and status.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { GovApplicant, GovProcessKey, GovStatus } from '../../workflows/search-attributes.ts';
import type { Incident, OpenTask } from '../../workflows/state.ts';
import { requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';

/** Keys and subjects go into a visibility query, so only plain names are accepted. */
const PlainName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'not a plain name');
export const APPLICATION_STATUSES = ['running', 'incident', 'completed', 'rejected'] as const;

/** More than a page shows; a list past it says so (`truncated`). */
const MAX_LIMIT = 500;

export const ApplicationSummarySchema = z
  .object({
    id: z.string(),
    processKey: z.string().optional(),
    version: z.number().optional(),
    status: z.string(),
    submittedBy: z.string().optional(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    openTasks: z.array(z.object({ id: z.string(), elementId: z.string(), name: z.string().optional() })),
    incidents: z.array(z.object({ id: z.string(), elementId: z.string(), message: z.string() })),
  })
  .openapi('ApplicationSummary');
export type ApplicationSummary = z.infer<typeof ApplicationSummarySchema>;

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Applications, newest first (applicants: their own)',
  request: {
    query: z.object({
      processKey: PlainName.optional(),
      version: z.coerce.number().int().min(1).optional(),
      status: z.enum(APPLICATION_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100),
    }),
  },
  responses: {
    200: jsonResponse(
      'Applications',
      z.object({ applications: z.array(ApplicationSummarySchema), truncated: z.boolean() }),
    ),
    ...problemResponses(401, 403, 422),
  },
});

export interface ApplicationFilter {
  processKey?: string;
  version?: number;
  status?: (typeof APPLICATION_STATUSES)[number];
  applicant?: string;
  limit: number;
}

/** The applications matching the filter, from search attributes and memo (no worker needed). */
export async function listApplications(temporal: Client, filter: ApplicationFilter) {
  const clauses = [`${GovProcessKey.name} IS NOT NULL`];
  if (filter.processKey) clauses.push(`${GovProcessKey.name} = '${filter.processKey}'`);
  if (filter.applicant) clauses.push(`${GovApplicant.name} = '${filter.applicant}'`);
  if (filter.status) clauses.push(`${GovStatus.name} = '${filter.status}'`);
  const applications: ApplicationSummary[] = [];
  let truncated = false;
  for await (const execution of temporal.workflow.list({ query: clauses.join(' AND ') })) {
    // A run that continued as new is followed by the run that carries the application on.
    if (execution.status.name === 'CONTINUED_AS_NEW') continue;
    const summary = summarise(execution);
    // The version lives in memo, which a visibility query cannot filter on.
    if (filter.version !== undefined && summary.version !== filter.version) continue;
    if (applications.length === filter.limit) {
      truncated = true;
      break;
    }
    applications.push(summary);
  }
  return { applications, truncated };
}

function summarise(execution: WorkflowExecutionInfo): ApplicationSummary {
  const memo = (execution.memo ?? {}) as {
    processKey?: string;
    version?: number;
    openTasks?: OpenTask[];
    incidents?: Incident[];
  };
  const attributes = execution.typedSearchAttributes;
  // A failed, terminated or timed-out execution needs an operator whatever its last status said.
  const closedBadly = !['RUNNING', 'COMPLETED'].includes(execution.status.name);
  const status = closedBadly ? 'incident' : (attributes.get(GovStatus) ?? 'running');
  const ended = status === 'completed' || status === 'rejected';
  return {
    id: execution.workflowId,
    processKey: memo.processKey ?? attributes.get(GovProcessKey),
    version: memo.version,
    status,
    submittedBy: attributes.get(GovApplicant),
    startedAt: execution.startTime.toISOString(),
    endedAt: execution.closeTime?.toISOString(),
    openTasks: ended
      ? []
      : (memo.openTasks ?? []).map((t) => ({ id: t.id, elementId: t.elementId, name: t.name })),
    incidents: (memo.incidents ?? []).map((i) => ({ id: i.id, elementId: i.elementId, message: i.message })),
  };
}

export function applicationListRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();
  app.get('/', requireRole('applicant', 'clerk', 'auditor', 'designer'));
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const user = c.get('user');
    const applicant = user.role === 'applicant' ? user.sub : undefined;
    if (applicant !== undefined && !PlainName.safeParse(applicant).success)
      return c.json({ applications: [], truncated: false }, 200);
    return c.json(await listApplications(services.temporal, { ...query, applicant }), 200);
  });
  return app;
}
