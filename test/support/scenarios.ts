// Driving a small model through the real API and engine, and reading back the path it took.
import { expect } from 'vitest';
import { type Harness, tokens, until } from './harness.ts';

export async function deploy(
  h: Harness,
  xml: string,
): Promise<{ key: string; version: number; hash: string }> {
  const res = await h.request('POST', '/definitions', {
    token: await tokens.designer(),
    body: xml,
    headers: { 'content-type': 'application/xml' },
  });
  const body = (await res.json()) as { key: string; version: number; hash: string; diagnostics?: unknown };
  expect([200, 201], JSON.stringify(body.diagnostics ?? body, null, 2)).toContain(res.status);
  return body;
}

export async function start(
  h: Harness,
  processKey: string,
  data: Record<string, unknown> = {},
  applicant = 'zhang.wei',
  idNumber?: string,
): Promise<string> {
  const res = await h.request('POST', '/applications', {
    token: await tokens.applicant(applicant, idNumber),
    json: { processKey, data },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

export interface ApplicationView {
  id: string;
  status: string;
  version: number;
  openTasks: {
    id: string;
    elementId: string;
    candidateGroups: string[];
    assignee?: string;
    ruleReasons?: string[];
  }[];
  incidents: { id: string; elementId: string; message: string }[];
  variables?: Record<string, unknown>;
}

/** The application as the API shows it (to the auditor unless `token` says otherwise). */
export async function view(h: Harness, id: string, token?: string): Promise<ApplicationView> {
  const res = await h.request('GET', `/applications/${id}`, { token: token ?? (await tokens.auditor()) });
  expect(res.status).toBe(200);
  return (await res.json()) as ApplicationView;
}

/** Waits until the application shows `what`; fails with the last view seen. */
export async function waitUntil(
  h: Harness,
  id: string,
  what: string,
  test: (app: ApplicationView) => boolean,
  timeoutMs = 30_000,
) {
  return until(
    `${id} ${what}`,
    async () => {
      const app = await view(h, id);
      return test(app) ? app : undefined;
    },
    timeoutMs,
  );
}

export const ended = (h: Harness, id: string, timeoutMs?: number) =>
  waitUntil(h, id, 'to end', (a) => a.status === 'completed' || a.status === 'rejected', timeoutMs);

/** Waits until the application no longer runs: completed, rejected, or stopped at an incident. */
export const outcome = (h: Harness, id: string, timeoutMs = 60_000) =>
  waitUntil(h, id, 'an outcome', (a) => a.status !== 'running', timeoutMs);

export const taskOpen = (h: Harness, id: string, elementId: string) =>
  waitUntil(h, id, `task ${elementId} open`, (a) => a.openTasks.some((t) => t.elementId === elementId)).then(
    (a) => a.openTasks.find((t) => t.elementId === elementId)!,
  );

export async function complete(
  h: Harness,
  id: string,
  elementId: string,
  decision = 'approve',
  data?: Record<string, unknown>,
  group = 'clerks',
) {
  const task = await taskOpen(h, id, elementId);
  const res = await h.request('POST', `/tasks/${task.id}/complete`, {
    token: await tokens.clerk([group]),
    json: { decision, data },
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The application's ledger records, in order. */
export async function trail(h: Harness, id: string) {
  const res = await h.request('GET', `/applications/${id}/trail`, { token: await tokens.auditor() });
  expect(res.status).toBe(200);
  return (
    (await res.json()) as {
      records: {
        elementId: string;
        elementInstanceId: string;
        decision: string;
        actor: string;
        seq: number;
        txId: string;
        hash: string;
        prevHash: string;
      }[];
    }
  ).records;
}

/** The element ids of the application's ledger records, in order: the path it took. */
export async function path(h: Harness, id: string): Promise<string[]> {
  return (await trail(h, id)).map((r) => r.elementId);
}

export async function verify(h: Harness, id: string) {
  const res = await h.request('GET', `/applications/${id}/verify`, { token: await tokens.auditor() });
  expect(res.status).toBe(200);
  return (await res.json()) as { valid: boolean; records: number; problems: { message: string }[] };
}

/** A trail is sound when its records are numbered 1..n, chained, and no step appears twice. */
export function expectSoundTrail(records: Awaited<ReturnType<typeof trail>>) {
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
  expect(records.map((r) => r.prevHash)).toEqual(records.map((_, i) => (i === 0 ? '' : records[i - 1].hash)));
  expect(new Set(records.map((r) => r.elementInstanceId)).size).toBe(records.length);
}

export async function publish(
  h: Harness,
  name: string,
  correlationKey: string,
  variables: Record<string, unknown> = {},
  timeToLive?: string,
  token?: string,
) {
  const res = await h.request('POST', '/messages', {
    token: token ?? (await tokens.clerk(['clerks'])),
    json: { name, correlationKey, variables, ...(timeToLive ? { timeToLive } : {}) },
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return res.json();
}
