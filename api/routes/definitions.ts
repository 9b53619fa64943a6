// /definitions: designers upload BPMN processes and DMN decision models (XML); anyone signed in
// can read what is deployed.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../auth.ts';
import { type DecisionStore, type DefinitionStore, summary } from '../definition-store.ts';
import { deployDefinition } from '../deploy.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import {
  DefinitionSummarySchema,
  DiagnosticSchema,
  jsonResponse,
  ProblemSchema,
  problemResponses,
} from '../schemas.ts';

/** Models are small; anything bigger is refused before it is read. */
export const MAX_DEFINITION_BYTES = 5 * 1024 * 1024;

const deployRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Deploy a BPMN process or a DMN decision model (XML body)',
  request: { body: { content: { 'application/xml': { schema: z.string() } }, required: true } },
  responses: {
    201: jsonResponse('A new version', DefinitionSummarySchema),
    200: jsonResponse('Same XML as the latest version', DefinitionSummarySchema),
    422: {
      description: 'The model has errors',
      content: {
        'application/problem+json': {
          schema: ProblemSchema.extend({ diagnostics: z.array(DiagnosticSchema) }),
        },
      },
    },
    ...problemResponses(401, 403, 413),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Latest version of every deployed definition',
  responses: {
    200: jsonResponse('Definitions', z.array(DefinitionSummarySchema)),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{key}',
  summary: 'One definition: its versions, and the latest compiled model (a process unless kind says)',
  request: {
    params: z.object({ key: z.string() }),
    query: z.object({
      version: z.coerce.number().int().min(1).optional(),
      kind: z.enum(['process', 'decisions']).optional(),
    }),
  },
  responses: {
    200: jsonResponse('The definition', z.any()),
    ...problemResponses(404),
  },
});

const DefinitionRecordSchema = z
  .object({
    key: z.string(),
    version: z.number(),
    hash: z.string(),
    deployer: z.string(),
    kind: z.enum(['process', 'decisions']).optional(),
    /** A process: the hash of its compiled model, which workers check before running it. */
    modelHash: z.string().optional(),
    /** A process: each step's approval rule by element id, the rules the contract decides by. */
    rules: z.record(z.string(), z.any()).optional(),
    /** A process: the decision each business rule task may call, by element id. */
    decisionCalls: z.record(z.string(), z.string()).optional(),
    registeredBy: z.string(),
    txId: z.string(),
    timestamp: z.string(),
  })
  .openapi('DefinitionRecord');

const ledgerVersionsRoute = createRoute({
  method: 'get',
  path: '/{key}/ledger',
  summary:
    "Every version of a definition as registered on the ledger (match a trail record's definitionHash to its version)",
  request: { params: z.object({ key: z.string() }) },
  responses: {
    200: jsonResponse(
      'Ledger records, oldest first',
      z.object({ key: z.string(), versions: z.array(DefinitionRecordSchema) }),
    ),
    ...problemResponses(404),
  },
});

const ledgerRecordRoute = createRoute({
  method: 'get',
  path: '/{key}/versions/{version}/ledger',
  summary: 'One definition version as registered on the ledger: hash, deployer, transaction',
  request: { params: z.object({ key: z.string(), version: z.coerce.number().int().min(1) }) },
  responses: {
    200: jsonResponse('The ledger record', DefinitionRecordSchema),
    ...problemResponses(404, 422),
  },
});

export function definitionRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();

  app.post(
    '/',
    requireRole('designer'),
    bodyLimit({
      maxSize: MAX_DEFINITION_BYTES,
      onError: (c) => {
        const message = `a BPMN model may be at most ${MAX_DEFINITION_BYTES} bytes`;
        return problem(c, 413, 'Model too large', message, {
          diagnostics: [{ code: 'model-too-large', severity: 'error', message }],
        });
      },
    }),
  );
  app.openapi(deployRoute, async (c) => {
    const xml = new Uint8Array(await c.req.arrayBuffer());
    const deployer = c.get('user').sub;
    const outcome = await deployDefinition(services, xml, deployer);
    if (!outcome.ok) {
      const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
      return problem(
        c,
        422,
        outcome.kind === 'decisions' ? 'Invalid DMN model' : 'Invalid BPMN model',
        errors
          .map((d) => d.message)
          .slice(0, 5)
          .join('; '),
        {
          diagnostics: outcome.diagnostics,
        },
      ) as never;
    }
    const { kind } = outcome;
    c.get('log').info(
      { key: outcome.definition.key, version: outcome.definition.version, kind },
      'definition deployed',
    );
    return c.json({ ...summary(outcome.definition), kind }, outcome.created ? 201 : 200);
  });

  app.openapi(listRoute, (c) =>
    c.json(
      [
        ...services.definitions.latest().map((d) => ({ ...d, kind: 'process' as const })),
        ...services.decisions.latest().map((d) => ({ ...d, kind: 'decisions' as const })),
      ],
      200,
    ),
  );

  app.openapi(getRoute, (c) => {
    const { key } = c.req.valid('param');
    const { version, kind = 'process' } = c.req.valid('query');
    const store: DefinitionStore | DecisionStore =
      kind === 'decisions' ? services.decisions : services.definitions;
    const definition = store.get(key, version);
    if (!definition)
      return problem(
        c,
        404,
        'Not found',
        `no ${kind === 'decisions' ? 'decision model' : 'definition'} ${key}${version ? ` v${version}` : ''}`,
      ) as never;
    return c.json(
      { ...summary(definition), kind, versions: store.versions(key), model: definition.model },
      200,
    );
  });

  // What the ledger holds, not the local store: anyone can check which model ran an application.
  app.openapi(ledgerVersionsRoute, async (c) => {
    const { key } = c.req.valid('param');
    const versions = await services.ledger.definitionVersions(key);
    if (versions.length === 0)
      return problem(c, 404, 'Not found', `no definition ${key} is registered on the ledger`) as never;
    return c.json({ key, versions }, 200);
  });

  app.openapi(ledgerRecordRoute, async (c) => {
    const { key, version } = c.req.valid('param');
    const record = await services.ledger.definitionRecord(key, version);
    if (!record)
      return problem(
        c,
        404,
        'Not found',
        `definition ${key} v${version} is not registered on the ledger`,
      ) as never;
    return c.json(record, 200);
  });

  return app;
}
