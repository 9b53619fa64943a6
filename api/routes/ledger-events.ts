// GET /events and GET /applications/:id/events: the ledger's chaincode events as Server-Sent
// Events. Each event's id is a cursor; a client that reconnects sends it back (Last-Event-ID)
// and continues right after it, so following the ledger over a flaky connection misses nothing.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { CheckpointMismatchError, formatCursor, parseCursor } from '../../ledger/checkpointer.ts';
import type { EventCheckpoint, LedgerEvent } from '../../ledger/types.ts';
import { requireRole } from '../auth.ts';
import type { ApiEnv, ApiServices } from '../env.ts';
import { problem } from '../problem.ts';
import { problemResponses } from '../schemas.ts';
import { ApplicationId, describeVisible, notFound } from './applications.ts';

export interface LedgerEventRouteOptions {
  /** Comment lines sent while nothing happens, so proxies keep the connection (default 15 s). */
  heartbeatMs?: number;
}

const Cursor = z.string().max(64).openapi({
  description: 'An event id (`block.tx.event`) or a block number: deliver the events after it',
  example: '15.0.0',
});

const commonQuery = {
  after: Cursor.optional(),
  from: z
    .enum(['start', 'now'])
    .optional()
    .openapi({ description: 'Without a cursor: every event (start, the default) or only new ones' }),
  name: z
    .string()
    .max(1000)
    .optional()
    .openapi({ description: 'Event names to deliver, comma-separated', example: 'StepRecorded' }),
};

const headers = z.object({
  'last-event-id': Cursor.optional().openapi({
    description: 'Sent by a reconnecting EventSource; wins over `after`',
  }),
});

const sseResponse = {
  description:
    'text/event-stream: per event `id` (cursor), `event` (name) and `data` (JSON: name, payload, txId, blockNumber, txIndex, eventIndex, timestamp, cursor); `: keep-alive` comments in between',
  content: {
    'text/event-stream': {
      schema: z.string().openapi({
        example: 'id: 15.0.0\nevent: StepRecorded\ndata: {"name":"StepRecorded","payload":{...}}\n\n',
      }),
    },
  },
};

const allRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Follow the chaincode events of the ledger (Server-Sent Events)',
  request: {
    query: z.object({ ...commonQuery, applicationId: ApplicationId.optional() }),
    headers,
  },
  responses: { 200: sseResponse, ...problemResponses(401, 403, 422) },
});

const applicationRoute = createRoute({
  method: 'get',
  path: '/{id}/events',
  summary: "Follow the chaincode events of one application's steps (Server-Sent Events)",
  request: { params: z.object({ id: ApplicationId }), query: z.object(commonQuery), headers },
  responses: { 200: sseResponse, ...problemResponses(401, 404, 422) },
});

interface StreamFilter {
  after?: EventCheckpoint;
  from?: 'start' | 'now';
  names?: Set<string>;
  applicationId?: string;
}

/** `all` is mounted at /events, `perApplication` beside the other /applications routes. */
export function ledgerEventRoutes(services: ApiServices, options: LedgerEventRouteOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;

  const all = new OpenAPIHono<ApiEnv>();
  all.get('/', requireRole('auditor', 'clerk', 'department'));
  all.openapi(allRoute, (c) => {
    const query = c.req.valid('query');
    const filter = streamFilter(c, query, c.req.valid('header')['last-event-id']);
    if (filter instanceof Response) return filter as never;
    return streamEvents(c, services, { ...filter, applicationId: query.applicationId }, heartbeatMs) as never;
  });

  // Whoever may read the application's trail may follow it (applicants: their own).
  const perApplication = new OpenAPIHono<ApiEnv>();
  perApplication.openapi(applicationRoute, async (c) => {
    const { id } = c.req.valid('param');
    const filter = streamFilter(c, c.req.valid('query'), c.req.valid('header')['last-event-id']);
    if (filter instanceof Response) return filter as never;
    if (!(await describeVisible(c, services, id))) return notFound(c, id) as never;
    return streamEvents(c, services, { ...filter, applicationId: id }, heartbeatMs) as never;
  });

  return { all, perApplication };
}

function streamFilter(
  c: Context<ApiEnv>,
  query: { after?: string; from?: 'start' | 'now'; name?: string },
  lastEventId: string | undefined,
): StreamFilter | Response {
  const [field, text] = lastEventId !== undefined ? ['Last-Event-ID', lastEventId] : ['after', query.after];
  const after = text !== undefined ? parseCursor(text) : undefined;
  if (text !== undefined && !after)
    return problem(c, 422, 'Invalid request', `${field}: "${text}" is not an event cursor (block.tx.event)`);
  const names = query.name
    ?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return { after, from: query.from, names: names?.length ? new Set(names) : undefined };
}

function streamEvents(c: Context<ApiEnv>, services: ApiServices, filter: StreamFilter, heartbeatMs: number) {
  const log = c.get('log');
  return streamSSE(c, async (stream) => {
    const stop = new AbortController();
    stream.onAbort(() => stop.abort());
    c.req.raw.signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), heartbeatMs);
    try {
      // Sent at once, so the client knows the stream is open before the first event.
      await stream.write(': connected\n\n');
      const events = services.ledger.events({ after: filter.after, from: filter.from, signal: stop.signal });
      for await (const event of events) {
        if (!wanted(event, filter)) continue;
        const cursor = formatCursor(event);
        await stream.writeSSE({ id: cursor, event: event.name, data: JSON.stringify({ ...event, cursor }) });
      }
    } catch (err) {
      const mismatch = err instanceof CheckpointMismatchError;
      if (!mismatch) log.error({ err }, 'event stream failed');
      const detail = mismatch ? err.message : 'the event stream failed; reconnect with the last event id';
      await stream.writeSSE({
        event: 'error',
        data: JSON.stringify({ title: 'Event stream ended', detail }),
      });
    } finally {
      clearInterval(heartbeat);
      stop.abort();
    }
  });
}

function wanted(event: LedgerEvent, filter: StreamFilter): boolean {
  if (filter.names && !filter.names.has(event.name)) return false;
  if (filter.applicationId === undefined) return true;
  const payload = event.payload as { applicationId?: unknown } | null;
  return typeof payload === 'object' && payload?.applicationId === filter.applicationId;
}
