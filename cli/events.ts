// `govflow events`: follows GET /events (or one application's events) and prints each event as
// one JSON line. A dropped connection is resumed from the last event id, as EventSource does.
import { ApiCallError, apiToken } from './client.ts';
import type { Config } from './config.ts';

export interface FollowOptions {
  application?: string;
  after?: string;
  name?: string;
}

const RECONNECT_MS = 1_000;

export async function followEventStream(config: Config, options: FollowOptions): Promise<void> {
  const token = apiToken('auditor');
  const query = new URLSearchParams();
  if (options.name) query.set('name', options.name);
  const path = options.application
    ? `/applications/${encodeURIComponent(options.application)}/events`
    : '/events';
  let lastId = options.after;
  for (;;) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastId) headers['last-event-id'] = lastId;
    let response: Response;
    try {
      response = await fetch(new URL(`${path}?${query}`, config.apiUrl), { headers });
    } catch (err) {
      console.error(`govflow: cannot reach ${config.apiUrl}: ${(err as Error).message}; retrying`);
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
      continue;
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      throw new ApiCallError(`${response.status}: ${text}`);
    }
    try {
      for await (const message of messages(response.body)) {
        if (message.event === 'error') throw new ApiCallError(message.data ?? 'the event stream failed');
        if (message.id) lastId = message.id;
        if (message.data !== undefined) console.log(message.data);
      }
    } catch (err) {
      if (err instanceof ApiCallError) throw err;
    }
    await new Promise((r) => setTimeout(r, RECONNECT_MS));
  }
}

/** The messages of an SSE body; comment lines (heartbeats) are dropped. */
async function* messages(body: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const message: { id?: string; event?: string; data?: string } = {};
      for (const line of buffer.slice(0, end).split('\n')) {
        const colon = line.indexOf(':');
        if (colon === 0) continue;
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
        else if (field === 'id' || field === 'event') message[field] = value;
      }
      buffer = buffer.slice(end + 2);
      if (message.data !== undefined || message.event !== undefined) yield message;
    }
  }
}
