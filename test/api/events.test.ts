// GET /events and GET /applications/:id/events: ledger events as Server-Sent Events, read from the
// response body as a browser's EventSource would, including resuming with Last-Event-ID.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth.ts';
import type { ApiEnv } from '../../api/env.ts';
import { ledgerEventRoutes } from '../../api/routes/ledger-events.ts';
import type { EventsOptions, LedgerEvent } from '../../ledger/types.ts';
import * as b from '../support/bpmn-builder.ts';
import { type Harness, JWT_SECRET, startHarness, tokens } from '../support/harness.ts';
import { complete, deploy, ended, start } from '../support/scenarios.ts';

interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads an SSE body: messages as they arrive, comment lines counted apart. */
function sse(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let buffer = '';
  let closed = false;
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else {
            const [field, ...rest] = line.split(': ');
            if (field === 'id' || field === 'event' || field === 'data')
              message[field] = (message[field] ? `${message[field]}\n` : '') + rest.join(': ');
          }
        }
        if (message.data !== undefined || message.event !== undefined) messages.push(message);
      }
    }
    closed = true;
  })();
  const events = () => messages.map((m) => ({ ...m, json: JSON.parse(m.data ?? 'null') }));
  return {
    messages,
    comments,
    isClosed: () => closed,
    events,
    /** Waits for `count` messages (or a condition on them). */
    async until(count: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline || closed)
          throw new Error(`got ${messages.length} of ${count} events: ${JSON.stringify(messages)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return events();
    },
    async cancel() {
      await reader.cancel();
      await pump;
    },
  };
}

let h: Harness;
const streams: { cancel(): Promise<void> }[] = [];
beforeAll(async () => {
  h = await startHarness();
  await deploy(
    h,
    b.bpmn('events-demo', b.start('s'), b.userTask('review'), b.end('e'), ...b.chain('s', 'review', 'e')),
  );
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.cancel()));
  await h?.stop();
});

const open = (path: string, token: string | undefined, headers: Record<string, string> = {}) =>
  h.request('GET', path, { token, headers });

async function stream(path: string, token: string, headers: Record<string, string> = {}) {
  const res = await open(path, token, headers);
  expect(res.status, await (res.status === 200 ? Promise.resolve('') : res.text())).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const s = sse(res);
  streams.push(s);
  return s;
}

const department = () =>
  signToken(JWT_SECRET, { sub: 'payments', role: 'department', groups: ['TaxBureauMSP'] });
const steps = (events: { json: LedgerEvent }[]) => events.map((e) => (e.json.payload as { seq: number }).seq);

/** Keeps the abort signal of every ledger event stream the API opens, to see when it stops one. */
function watchStreamSignals() {
  const ledger = h.services.ledger;
  const original = ledger.events.bind(ledger);
  const signals: AbortSignal[] = [];
  ledger.events = (options?: EventsOptions) => {
    if (options?.signal) signals.push(options.signal);
    return original(options);
  };
  return { signals, restore: () => (ledger.events = original) };
}

describe('GET /events', () => {
  it('streams the ledger events to auditors, clerks and departments; refuses other roles', async () => {
    for (const token of [await tokens.auditor(), await tokens.clerk(), await department()]) {
      const s = await stream('/events', token);
      const [first] = await s.until(1);
      // Block 0 is the ledger's genesis (config) block, which carries no event.
      expect(first).toMatchObject({ id: '1.0.0', event: 'DefinitionRegistered' });
      expect(first.json).toMatchObject({
        name: 'DefinitionRegistered',
        payload: { key: 'events-demo', version: 1 },
        blockNumber: 1,
        txIndex: 0,
        eventIndex: 0,
        cursor: '1.0.0',
      });
      expect(s.comments).toContain('connected');
      await s.cancel();
    }
    for (const token of [await tokens.applicant(), await tokens.designer()])
      expect((await open('/events', token)).status).toBe(403);
    expect((await open('/events', undefined)).status).toBe(401);
    const bad = await open('/events?after=yesterday', await tokens.auditor());
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ detail: expect.stringContaining('after') });
  });

  it('follows an application live, and resumes after Last-Event-ID with nothing missed or repeated', async () => {
    const id = await start(h, 'events-demo');
    const auditor = await tokens.auditor();
    const all = await stream(`/events?applicationId=${id}&name=StepRecorded`, auditor);
    const own = await stream(`/applications/${id}/events`, await tokens.applicant());
    expect(steps(await own.until(1))).toEqual([1]);

    await complete(h, id, 'review');
    await ended(h, id);
    const events = await own.until(3);
    expect(steps(events)).toEqual([1, 2, 3]);
    expect(events.every((e) => e.event === 'StepRecorded' && e.json.payload.applicationId === id)).toBe(true);
    expect((await all.until(3)).map((e) => e.id)).toEqual(events.map((e) => e.id));

    // A reconnect sends the last id it saw; the header wins over the original `after`.
    const resumed = await stream(`/applications/${id}/events?after=0`, auditor, {
      'last-event-id': events[0].id!,
    });
    expect(steps(await resumed.until(2))).toEqual([2, 3]);
    const byQuery = await stream(`/events?after=${events[1].id}&applicationId=${id}`, auditor);
    expect(steps(await byQuery.until(1))).toEqual([3]);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.messages).toHaveLength(2);
    expect(byQuery.messages).toHaveLength(1);

    // Others' applications stay hidden from an applicant; unknown ones are 404 for everyone.
    expect((await open(`/applications/${id}/events`, await tokens.applicant('someone.else'))).status).toBe(
      404,
    );
    expect((await open('/applications/app-0000000000000000/events', auditor)).status).toBe(404);
  });

  it('only new events with from=now; stops reading the ledger when the client goes away', async () => {
    const { signals, restore } = watchStreamSignals();
    try {
      const s = await stream('/events?from=now', await tokens.auditor());
      await new Promise((r) => setTimeout(r, 300));
      expect(s.messages).toEqual([]);
      const id = await start(h, 'events-demo');
      const [event] = await s.until(1);
      expect(event.json.payload).toMatchObject({ applicationId: id, seq: 1 });
      expect(signals).toHaveLength(1);
      expect(signals[0].aborted).toBe(false);
      await s.cancel();
      await new Promise((r) => setTimeout(r, 50));
      expect(signals[0].aborted).toBe(true);
    } finally {
      restore();
    }
  });

  it('is described in the OpenAPI document as text/event-stream', async () => {
    const doc = (await (await h.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content?: object }> } }>;
    };
    for (const path of ['/events', '/applications/{id}/events'])
      expect(Object.keys(doc.paths[path]?.get?.responses['200'].content ?? {}), path).toEqual([
        'text/event-stream',
      ]);
  });

  it('govflow events prints one JSON line per event over HTTP; the server stops when it exits', async () => {
    const { signals, restore } = watchStreamSignals();
    const server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    try {
      const id = await start(h, 'events-demo');
      const cli = spawn(
        process.execPath,
        [fileURLToPath(new URL('../../bin/govflow.js', import.meta.url)), 'events', '--application', id],
        {
          env: {
            ...process.env,
            GOVFLOW_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            GOVFLOW_TOKEN: await tokens.auditor(),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      cli.stdout.on('data', (d) => (output += d));
      cli.stderr.on('data', (d) => (output += d));
      const exited = new Promise((r) => cli.once('exit', r));
      await complete(h, id, 'review');
      const deadline = Date.now() + 20_000;
      while (output.split('\n').filter(Boolean).length < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const lines = output
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.name, l.payload.applicationId, l.payload.seq])).toEqual([
        ['StepRecorded', id, 1],
        ['StepRecorded', id, 2],
        ['StepRecorded', id, 3],
      ]);
      expect(signals.at(-1)?.aborted).toBe(false);
      cli.kill();
      await exited;
      const until = Date.now() + 2_000;
      while (!signals.at(-1)?.aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(signals.at(-1)?.aborted).toBe(true);
    } finally {
      restore();
      await new Promise((r) => server.close(r));
    }
  });

  it('sends heartbeat comments while nothing happens', async () => {
    const app = new OpenAPIHono<ApiEnv>();
    app.use('*', async (c, next) => {
      c.set('user', { sub: 'audrey', role: 'auditor', groups: [] });
      c.set('log', pino({ level: 'silent' }));
      await next();
    });
    app.route('/events', ledgerEventRoutes(h.services, { heartbeatMs: 50 }).all);
    const res = await app.request('/events?from=now');
    const s = sse(res);
    streams.push(s);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.comments.filter((c) => c === 'keep-alive').length).toBeGreaterThanOrEqual(3);
    expect(s.messages).toEqual([]);
    await s.cancel();
  });
});
