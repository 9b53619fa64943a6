// Where each department's own API node is: the main API holds no department's key, so a
// department's write (POST /registries/:registry) and its private-data read go to the node of
// that department's own process, which submits with its own identity. The directory comes from
// GOVFLOW_DEPARTMENT_URLS ("LandRegistryMSP=http://127.0.0.1:8081,TaxBureauMSP=…") or a JSON
// file ({ "LandRegistryMSP": "http://127.0.0.1:8081", … }; `govflow dev` writes
// `<data dir>/departments.json`), read again on every lookup so nodes can be added while running.
import { existsSync, readFileSync } from 'node:fs';

export interface DepartmentDirectory {
  /** The base URL of `mspId`'s node; undefined when none is configured. Throws on a bad directory. */
  urlOf(mspId: string): string | undefined;
  /** Where the directory comes from, for messages. */
  readonly source: string;
}

/** The directory file `govflow dev` writes beside the ledger. */
export const DEPARTMENTS_FILE = 'departments.json';

export function departmentDirectory(opts: { env?: string; file: string }): DepartmentDirectory {
  if (opts.env) {
    const urls = parseUrls(opts.env, 'GOVFLOW_DEPARTMENT_URLS');
    return { source: 'GOVFLOW_DEPARTMENT_URLS', urlOf: (mspId) => urls.get(mspId) };
  }
  return {
    source: opts.file,
    urlOf(mspId) {
      if (!existsSync(opts.file)) return undefined;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(opts.file, 'utf8'));
      } catch (err) {
        throw new Error(`department directory ${opts.file} is not JSON: ${(err as Error).message}`);
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new Error(`department directory ${opts.file} must be an object of MSP id to URL`);
      const entries = Object.entries(raw as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
      return parseUrls(entries.join(','), opts.file).get(mspId);
    },
  };
}

/** `MSP=URL,…`; a bad entry is refused naming it. */
export function parseUrls(text: string, source: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const mspId = entry.slice(0, Math.max(at, 0));
    const url = entry.slice(at + 1);
    if (at <= 0 || !/^[A-Za-z][A-Za-z0-9.-]*$/.test(mspId))
      throw new Error(`${source}: "${entry}" is not <MSP id>=<URL>`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${source}: the URL of ${mspId} ("${url}") is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new Error(`${source}: the URL of ${mspId} ("${url}") is not http or https`);
    urls.set(mspId, url.replace(/\/+$/, ''));
  }
  return urls;
}

/** How long the main API waits for a department's node. */
const FORWARD_TIMEOUT_MS = 30_000;

/**
 * Passes the request on to `url` + the same path (method, body, bearer token, request id) and
 * hands its answer back. Null when the node cannot be reached; the caller answers 503.
 */
export async function forwardTo(
  url: string,
  request: {
    url: string;
    method: string;
    header(name: string): string | undefined;
    arrayBuffer(): Promise<ArrayBuffer>;
  },
  requestId: string,
): Promise<Response | null> {
  const incoming = new URL(request.url);
  const headers: Record<string, string> = { 'x-request-id': requestId };
  for (const name of ['authorization', 'content-type']) {
    const value = request.header(name);
    if (value) headers[name] = value;
  }
  try {
    const answer = await fetch(`${url}${incoming.pathname}${incoming.search}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' ? undefined : await request.arrayBuffer(),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      redirect: 'manual',
    });
    const type = answer.headers.get('content-type');
    return new Response(await answer.arrayBuffer(), {
      status: answer.status,
      headers: type ? { 'content-type': type } : {},
    });
  } catch {
    return null;
  }
}
