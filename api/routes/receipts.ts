// Receipts and the ledger's anchors over HTTP: an application's receipt (its applicant, clerks,
// auditors), the published keys verifiers pin (public), checkpoints and proofs (public: they
// carry hashes only), and witnesses posting their co-signatures (department tokens).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { LedgerAnchors } from '../../ledger/anchors/types.ts';
import { issueReceipt, NoReceiptError, ReceiptNotReadyError } from '../../ledger/receipts.ts';
import { FABRIC_TRUST_FORMAT } from '../../verifier/fabric-trust.ts';
import { transactionLeafHash } from '../../verifier/merkle.ts';
import { authenticate, requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { jsonResponse, problemResponses } from '../schemas.ts';
import { ApplicationId, describeVisible, notFound } from './applications.ts';

export const LEDGER_KEYS_FORMAT = 'govflow-ledger-keys/1';

const KeySchema = z.object({ publicKey: z.string(), fingerprint: z.string() });
const KeysSchema = z
  .object({
    format: z.literal(LEDGER_KEYS_FORMAT),
    ledger: KeySchema,
    organisations: z.array(KeySchema.extend({ mspId: z.string() })),
  })
  .openapi('LedgerKeys');
const FabricTrustSchema = z
  .object({
    format: z.literal(FABRIC_TRUST_FORMAT),
    channel: z.string(),
    chaincode: z.string(),
    engineMspId: z.string(),
    organisations: z.array(
      z.object({ mspId: z.string(), roots: z.array(z.string()), nodeOUs: z.boolean(), orderer: z.boolean() }),
    ),
    registryOwners: z.record(z.string(), z.string()),
    fingerprint: z.string(),
  })
  .openapi('FabricTrust');
const WitnessSchema = z
  .object({
    mspId: z.string().min(1),
    keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    signature: z.string().min(1),
  })
  .openapi('WitnessSignature');
const CheckpointSchema = z
  .object({
    format: z.string(),
    ledgerKey: z.string(),
    size: z.number(),
    root: z.string(),
    blockNumber: z.number(),
    timestamp: z.string(),
    signature: z.string(),
    witnesses: z.array(WitnessSchema),
  })
  .openapi('SignedCheckpoint');
const TreeSize = z.coerce.number().int().min(0);

const receiptRoute = createRoute({
  method: 'get',
  path: '/applications/{id}/receipt',
  summary: "A self-contained receipt of the application's trail, verifiable offline (govflow receipt verify)",
  request: { params: z.object({ id: ApplicationId }) },
  responses: {
    200: jsonResponse('Receipt (format govflow-receipt/1, see verifier/README.md)', z.any()),
    ...problemResponses(403, 404, 501, 503),
  },
});

const keysRoute = createRoute({
  method: 'get',
  path: '/.well-known/govflow-ledger.json',
  summary:
    "What verifiers pin: the embedded ledger's public key and each organisation's, or a Fabric channel's trust anchors (its organisations' root certificates from the config block)",
  security: [],
  responses: {
    200: jsonResponse('Published keys or channel anchors', z.union([KeysSchema, FabricTrustSchema])),
    ...problemResponses(501),
  },
});

const checkpointRoute = createRoute({
  method: 'get',
  path: '/ledger/checkpoint',
  summary: 'The newest signed checkpoint with its witness co-signatures',
  security: [],
  responses: { 200: jsonResponse('Checkpoint', CheckpointSchema), ...problemResponses(501) },
});

const consistencyRoute = createRoute({
  method: 'get',
  path: '/ledger/consistency',
  summary: 'RFC 6962 consistency proof between two tree sizes',
  security: [],
  request: { query: z.object({ from: TreeSize, to: TreeSize }) },
  responses: {
    200: jsonResponse('Proof', z.object({ from: z.number(), to: z.number(), proof: z.array(z.string()) })),
    ...problemResponses(422, 501),
  },
});

const inclusionRoute = createRoute({
  method: 'get',
  path: '/ledger/inclusion',
  summary: "A transaction's leaf and its RFC 6962 audit path to the tree of `size` leaves (default: newest)",
  security: [],
  request: { query: z.object({ txId: z.string().min(1).max(200), size: TreeSize.optional() }) },
  responses: {
    200: jsonResponse(
      'Inclusion proof',
      z.object({
        txId: z.string(),
        blockNumber: z.number(),
        txIndex: z.number(),
        leafIndex: z.number(),
        treeSize: z.number(),
        leafHash: z.string(),
        proof: z.array(z.string()),
      }),
    ),
    ...problemResponses(404, 422, 501),
  },
});

const witnessRoute = createRoute({
  method: 'post',
  path: '/ledger/checkpoints/{size}/witnesses',
  summary: "A witness organisation's co-signature of the checkpoint of that size (department tokens)",
  request: {
    params: z.object({ size: TreeSize }),
    body: { content: { 'application/json': { schema: WitnessSchema } }, required: true },
  },
  responses: { 204: { description: 'Stored' }, ...problemResponses(401, 403, 404, 422, 501) },
});

export function receiptRoutes(services: ApiServices) {
  const app = new OpenAPIHono<ApiEnv>();
  const { ledger } = services;
  const anchorsOr501 = (c: Context<ApiEnv>): LedgerAnchors | Response =>
    ledger.anchors ??
    problem(c, 501, 'Not implemented', `the ${ledger.kind} ledger issues no signed checkpoints or proofs`);

  app.get('/applications/:id/receipt', requireRole('applicant', 'clerk', 'auditor'));
  app.openapi(receiptRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await describeVisible(c, services, id))) return notFound(c, id) as never;
    try {
      return c.json(await issueReceipt(ledger, id), 200);
    } catch (err) {
      if (err instanceof ReceiptNotReadyError) {
        c.header('retry-after', String(err.retryAfterSeconds));
        return problem(c, 503, 'Unavailable', err.message) as never;
      }
      if (err instanceof NoReceiptError)
        return problem(c, err.reason === 'no-anchors' ? 501 : 404, 'Not found', err.message) as never;
      throw err;
    }
  });

  app.openapi(keysRoute, async (c) => {
    if (ledger.fabricBlocks) return c.json(await ledger.fabricBlocks.trust(), 200);
    const anchors = anchorsOr501(c);
    if (anchors instanceof Response) return anchors as never;
    return c.json({ format: LEDGER_KEYS_FORMAT, ...(await anchors.keys()) } as const, 200);
  });

  app.openapi(checkpointRoute, async (c) => {
    const anchors = anchorsOr501(c);
    if (anchors instanceof Response) return anchors as never;
    return c.json(await anchors.latestCheckpoint(), 200);
  });

  app.openapi(consistencyRoute, async (c) => {
    const anchors = anchorsOr501(c);
    if (anchors instanceof Response) return anchors as never;
    const { from, to } = c.req.valid('query');
    try {
      return c.json({ from, to, proof: await anchors.consistency(from, to) }, 200);
    } catch (err) {
      return problem(c, 422, 'Invalid request', (err as Error).message) as never;
    }
  });

  app.openapi(inclusionRoute, async (c) => {
    const anchors = anchorsOr501(c);
    if (anchors instanceof Response) return anchors as never;
    const { txId, size } = c.req.valid('query');
    const treeSize = size ?? (await anchors.latestCheckpoint()).size;
    let found: Awaited<ReturnType<LedgerAnchors['inclusion']>>;
    try {
      found = await anchors.inclusion(txId, treeSize);
    } catch (err) {
      return problem(c, 422, 'Invalid request', (err as Error).message) as never;
    }
    if (!found)
      return problem(c, 404, 'Not found', `no transaction ${txId} in the tree of ${treeSize}`) as never;
    const { tx, ...position } = found;
    // The transaction itself stays out: it may name people; its leaf hash is all a proof needs.
    return c.json({ ...position, leafHash: transactionLeafHash(found.blockNumber, found.txIndex, tx) }, 200);
  });

  app.use('/ledger/checkpoints/*', authenticate(services.jwtSecret), requireRole('department'));
  app.openapi(witnessRoute, async (c) => {
    const anchors = anchorsOr501(c);
    if (anchors instanceof Response) return anchors as never;
    const { size } = c.req.valid('param');
    const witness = c.req.valid('json');
    if (!c.get('user').groups.includes(witness.mspId))
      return problem(
        c,
        403,
        'Forbidden',
        `the token does not name organisation ${witness.mspId} in its groups`,
      ) as never;
    if (!(await anchors.checkpoint(size)))
      return problem(c, 404, 'Not found', `the ledger issued no checkpoint of size ${size}`) as never;
    try {
      await anchors.addWitnessSignature(size, witness);
    } catch (err) {
      return problem(c, 422, 'Invalid request', (err as Error).message) as never;
    }
    c.get('log').info({ size, mspId: witness.mspId }, 'checkpoint witnessed');
    return c.body(null, 204);
  });

  return app;
}
