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
): Promise<string> {
  const res = await h.request('POST', '/applications', {
    token: await tokens.applicant(),
    json: { processKey, data },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

export interface AppView {
  status: string;
  openTasks: { id: string; elementId: string }[];
  incidents: { id: string; elementId: string; message: string }[];
  variables?: Record<string, unknown>;
}

export async function view(h: Harness, id: string): Promise<AppView> {
  const res = await h.request('GET', `/applications/${id}`, { token: await tokens.auditor() });
  return (await res.json()) as AppView;
}

/** Waits until the application shows `what`; fails with the last view seen. */
export async function waitUntil(
  h: Harness,
  id: string,
  what: string,
  test: (app: AppView) => boolean,
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

/** The element ids of the application's ledger records, in order: the path it took. */
export async function path(h: Harness, id: string): Promise<string[]> {
  const res = await h.request('GET', `/applications/${id}/trail`, { token: await tokens.auditor() });
  const { records } = (await res.json()) as { records: { elementId: string }[] };
  return records.map((r) => r.elementId);
}

export async function publish(
  h: Harness,
  name: string,
  correlationKey: string,
  variables: Record<string, unknown> = {},
  timeToLive?: string,
) {
  const res = await h.request('POST', '/messages', {
    token: await tokens.clerk(['clerks']),
    json: { name, correlationKey, variables, ...(timeToLive ? { timeToLive } : {}) },
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return res.json();
}
