// /registries: the department registries on the ledger. A department writes facts into the
// registry its organisation owns; clerks, auditors and departments read facts and their history.
// Who may write is decided by the contract alone: the API passes the caller's organisation on,
// and app.ts's onError turns the contract's refusals into problems (403, 404, 422).
// A process holds one organisation's key: the main API (GovflowMSP) passes a department's write
// and its private-data read on to that department's own node (api/departments.ts), which serves
// these same routes with the department's identity.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { REGISTRY_OWNERS, registryOwner } from '../../chaincode/src/registries.ts';
import { type Claims, requireRole } from '../auth.ts';
import { type DepartmentDirectory, forwardTo } from '../departments.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';

/**
 * A department token names its organisation (Fabric MSP id, e.g. LandRegistryMSP) in `groups`.
 * The organisations it may act as are those owning a registry; others (the engine's own
 * GovflowMSP, a member of every collection) are never taken from a token.
 */
const DEPARTMENTS = new Set(Object.values(REGISTRY_OWNERS));

const RegistryName = z.string().min(1).max(100);
const FactKey = z.string().min(1).max(512);
const factParams = z.object({ registry: RegistryName, key: FactKey });

const RegistrySchema = z
  .object({
    registry: z.string(),
    owner: z.string().openapi({ description: 'MSP id of the organisation that alone may write it' }),
  })
  .openapi('Registry');

const FactSchema = z.object({ registry: z.string(), key: z.string(), value: z.any() }).openapi('Fact');

const FactVersionSchema = z
  .object({ txId: z.string(), timestamp: z.string(), isDelete: z.boolean(), value: z.any() })
  .openapi('FactVersion');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'The department registries and the organisation that owns each',
  responses: { 200: jsonResponse('Registries', z.array(RegistrySchema)) },
});

const putRoute = createRoute({
  method: 'post',
  path: '/{registry}',
  summary: "Put a fact into a registry of the caller's organisation (department tokens)",
  request: {
    params: z.object({ registry: RegistryName }),
    body: {
      content: {
        'application/json': {
          schema: z.object({
            key: FactKey,
            value: z
              .unknown()
              .refine((v) => v !== undefined && v !== null, 'required: any JSON value but null')
              .openapi({ description: 'Any JSON value but null' }),
            details: z.record(z.string(), z.unknown()).optional().openapi({
              description:
                "The registry's personal fields (names, ID numbers, documents): kept in the owning organisation's private data collection, the value carrying their salted hash",
            }),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: jsonResponse(
      'Committed to the ledger',
      z.object({ registry: z.string(), key: z.string(), txId: z.string(), organisation: z.string() }),
    ),
    ...problemResponses(401, 403, 404, 413, 422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{registry}/{key}',
  summary: 'The current value of a fact (clerks, auditors, departments)',
  request: { params: factParams },
  responses: { 200: jsonResponse('The fact', FactSchema), ...problemResponses(403, 404) },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/{registry}/{key}/history',
  summary: 'Every version of a fact, newest first, with its transaction (clerks, auditors, departments)',
  request: { params: factParams },
  responses: {
    200: jsonResponse(
      'Versions',
      z.object({ registry: z.string(), key: z.string(), versions: z.array(FactVersionSchema) }),
    ),
    ...problemResponses(403, 404),
  },
});

const detailsRoute = createRoute({
  method: 'get',
  path: '/{registry}/{key}/details',
  summary: "A fact's personal details, for departments whose organisation is a member of its collection",
  request: { params: factParams },
  responses: {
    200: jsonResponse(
      'The details',
      z.object({ registry: z.string(), key: z.string(), details: z.record(z.string(), z.unknown()) }),
    ),
    ...problemResponses(403, 404),
  },
});

/**
 * The organisation a department writes as. With several in the token, the one owning the registry
 * if the token names it (else the first: the contract then refuses it).
 */
export function organisationOf(user: Claims, registry: string): string | undefined {
  const organisations = user.groups.filter((g) => DEPARTMENTS.has(g));
  const owner = registryOwner(registry);
  return organisations.find((o) => o === owner) ?? organisations[0];
}

export interface RegistryServices {
  ledger: ApiServices['ledger'];
  /** Set on the main API: department writes go to the departments' own nodes. */
  departments?: DepartmentDirectory;
}

export function registryRoutes(services: RegistryServices) {
  const app = new OpenAPIHono<ApiEnv>();
  const { ledger, departments } = services;

  /** The department's own node answers, or 503 naming the organisation; undefined: answer here. */
  const forwarded = async (c: Context<ApiEnv>, organisation: string) => {
    if (!departments) return undefined;
    let url: string | undefined;
    try {
      url = departments.urlOf(organisation);
    } catch (err) {
      return problem(c, 503, 'Service unavailable', (err as Error).message);
    }
    if (!url)
      return problem(
        c,
        503,
        'Service unavailable',
        `no node of ${organisation} is configured (${departments.source}): only ${organisation}'s own process writes as ${organisation}`,
      );
    const answer = await forwardTo(url, c.req, c.get('requestId'));
    if (answer) c.get('log').info({ organisation, url, status: answer.status }, 'forwarded to department');
    return (
      answer ??
      problem(c, 503, 'Service unavailable', `the node of ${organisation} at ${url} does not answer`)
    );
  };

  app.openapi(listRoute, (c) =>
    c.json(
      Object.entries(REGISTRY_OWNERS).map(([registry, owner]) => ({ registry, owner })),
      200,
    ),
  );

  app.post('/:registry', requireRole('department'));
  app.openapi(putRoute, async (c) => {
    const { registry } = c.req.valid('param');
    const { key, value, details } = c.req.valid('json');
    const user = c.get('user');
    const organisation = organisationOf(user, registry);
    if (!organisation) return noOrganisation(c) as never;
    const answer = await forwarded(c, organisation);
    if (answer) return answer as never;
    const as = { mspId: organisation, id: user.sub };
    const { txId } = await ledger.putFact(registry, key, value, as, details);
    c.get('log').info({ registry, key, txId, organisation }, 'fact put');
    return c.json({ registry, key, txId, organisation }, 200);
  });

  app.get('/:registry/*', requireRole('clerk', 'auditor', 'department'));
  app.openapi(getRoute, async (c) => {
    const { registry, key } = c.req.valid('param');
    const value = await ledger.getFact(registry, key);
    if (value === null) return noFact(c, registry, key) as never;
    return c.json({ registry, key, value }, 200);
  });

  app.get('/:registry/:key/details', requireRole('department'));
  app.openapi(detailsRoute, async (c) => {
    const { registry, key } = c.req.valid('param');
    const user = c.get('user');
    const organisation = organisationOf(user, registry);
    if (!organisation) return noOrganisation(c) as never;
    const answer = await forwarded(c, organisation);
    if (answer) return answer as never;
    const details = await ledger.factDetails(registry, key, { mspId: organisation, id: user.sub });
    if (details === null) return problem(c, 404, 'Not found', `${registry}/${key} has no details`) as never;
    return c.json({ registry, key, details }, 200);
  });

  app.openapi(historyRoute, async (c) => {
    const { registry, key } = c.req.valid('param');
    const versions = await ledger.factHistory(registry, key);
    if (versions.length === 0) return noFact(c, registry, key) as never;
    return c.json({ registry, key, versions }, 200);
  });

  return app;
}

function noOrganisation(c: Context) {
  return problem(
    c,
    403,
    'Forbidden',
    "the token names no department organisation: a department token needs its organisation's MSP id (e.g. LandRegistryMSP) in groups",
  );
}

function noFact(c: Context, registry: string, key: string) {
  return problem(c, 404, 'Not found', `registry ${registry} has no fact ${key}`);
}
