// What a designer or an operator looks at beside a model: its deployed XML (the diagram), and how
// its applications stand: per version and status, and per element (active, completed, incidents).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { TASK_ACTIONS } from '../../workflows/state.ts';
import { requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';
import { APPLICATION_STATUSES, listApplications } from './application-lists.ts';

const NOT_A_STEP = new Set<string>(TASK_ACTIONS);
/** Trails read for per-element completion counts; past it the counts say `sampled`. */
const MAX_TRAILS = 200;
/** Applications counted per version and status. */
const MAX_APPLICATIONS = 500;

const keyParam = z.object({ key: z.string().min(1).max(200) });
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

const xmlRoute = createRoute({
  method: 'get',
  path: '/{key}/xml',
  summary: 'The deployed BPMN or DMN source of a version (default: the latest)',
  request: {
    params: keyParam,
    query: versionQuery.extend({ kind: z.enum(['process', 'decisions']).optional() }),
  },
  responses: {
    200: { description: 'The XML as deployed', content: { 'application/xml': { schema: z.string() } } },
    ...problemResponses(404),
  },
});

const ElementCounts = z.object({ active: z.number(), completed: z.number(), incidents: z.number() });

const statisticsRoute = createRoute({
  method: 'get',
  path: '/{key}/statistics',
  summary: "How a process's applications stand: per version and status, and per element",
  request: { params: keyParam, query: versionQuery },
  responses: {
    200: jsonResponse(
      'Statistics',
      z.object({
        key: z.string(),
        version: z.number().optional(),
        versions: z.array(z.object({ version: z.number() }).catchall(z.number())),
        elements: z.record(z.string(), ElementCounts),
        applications: z.number(),
        sampled: z.boolean(),
      }),
    ),
    ...problemResponses(403, 404),
  },
});

const noDefinition = (c: Context, key: string, version?: number) =>
  problem(c, 404, 'Not found', `no definition ${key}${version ? ` v${version}` : ''}`);

export function definitionStatisticsRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(xmlRoute, (c) => {
    const { key } = c.req.valid('param');
    const { version, kind } = c.req.valid('query');
    const store = kind === 'decisions' ? services.decisions : services.definitions;
    const definition = store.get(key, version);
    if (!definition) return noDefinition(c, key, version) as never;
    return c.body(definition.xml, 200, { 'content-type': 'application/xml; charset=utf-8' }) as never;
  });

  app.get('/:key/statistics', requireRole('clerk', 'auditor', 'designer'));
  app.openapi(statisticsRoute, async (c) => {
    const { key } = c.req.valid('param');
    const { version } = c.req.valid('query');
    if (!services.definitions.get(key, version)) return noDefinition(c, key, version) as never;
    const { applications, truncated } = await listApplications(services.temporal, {
      processKey: key,
      limit: MAX_APPLICATIONS,
    });
    const perVersion = new Map<number, Record<string, number>>();
    for (const application of applications) {
      const counts =
        perVersion.get(application.version ?? 0) ??
        Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, 0]));
      counts[application.status] = (counts[application.status] ?? 0) + 1;
      perVersion.set(application.version ?? 0, counts);
    }
    const shown = applications.filter((a) => version === undefined || a.version === version);
    const elements: Record<string, z.infer<typeof ElementCounts>> = {};
    const at = (id: string) => (elements[id] ??= { active: 0, completed: 0, incidents: 0 });
    for (const application of shown) {
      for (const task of application.openTasks) at(task.elementId).active += 1;
      for (const incident of application.incidents) at(incident.elementId).incidents += 1;
    }
    for (const application of shown.slice(0, MAX_TRAILS)) {
      for (const { record } of await services.ledger.trail(application.id)) {
        if (!NOT_A_STEP.has(record.decision)) at(record.elementId).completed += 1;
      }
    }
    return c.json(
      {
        key,
        version,
        versions: [...perVersion].sort(([a], [b]) => b - a).map(([v, counts]) => ({ ...counts, version: v })),
        elements,
        applications: shown.length,
        sampled: truncated || shown.length > MAX_TRAILS,
      },
      200,
    );
  });

  return app;
}
