// The console reads and writes only through the HTTP API, in process, with the session's token:
// the API's authorisation decides what each page may show or do, as for any other client.
import type { Context } from 'hono';
import type { ConsoleEnv } from './session.ts';

export type ApiFetch = (request: Request) => Response | Promise<Response>;

export interface ApiAnswer<T> {
  status: number;
  ok: boolean;
  body: T;
  /** The API's problem detail when it refused. */
  problem?: { title: string; detail?: string; errors?: { field: string; message: string }[] } & Record<
    string,
    unknown
  >;
}

export class ConsoleApi {
  constructor(
    private readonly fetchApi: ApiFetch,
    private readonly token: string | undefined,
    private readonly requestId?: string,
  ) {}

  static of(c: Context<ConsoleEnv>, fetchApi: ApiFetch): ConsoleApi {
    return new ConsoleApi(fetchApi, c.get('token'), c.req.header('x-request-id'));
  }

  raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    if (this.requestId) headers.set('x-request-id', this.requestId);
    return Promise.resolve(
      this.fetchApi(new Request(`http://console.internal${path}`, { ...init, headers })),
    );
  }

  /** An event stream of the API passed through as it comes; ends when the browser goes. */
  async stream(path: string, signal: AbortSignal): Promise<Response> {
    const upstream = await this.raw(path, { headers: { accept: 'text/event-stream' }, signal });
    return new Response(upstream.body, {
      status: upstream.status,
      headers: {
        'content-type': upstream.headers.get('content-type') ?? 'text/event-stream',
        'cache-control': 'no-cache',
      },
    });
  }

  async get<T>(path: string): Promise<ApiAnswer<T>> {
    return answer<T>(await this.raw(path));
  }

  async send<T>(method: 'POST', path: string, body: unknown, contentType = 'application/json') {
    const payload = contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit);
    return answer<T>(
      await this.raw(path, { method, body: payload, headers: { 'content-type': contentType } }),
    );
  }

  async text(path: string): Promise<ApiAnswer<string>> {
    const response = await this.raw(path);
    const body = await response.text();
    return { status: response.status, ok: response.ok, body };
  }
}

async function answer<T>(response: Response): Promise<ApiAnswer<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  if (response.ok) return { status: response.status, ok: true, body: body as T };
  const problem =
    body && typeof body === 'object'
      ? (body as ApiAnswer<T>['problem'])
      : { title: response.statusText || `HTTP ${response.status}`, detail: String(text) };
  return { status: response.status, ok: false, body: body as T, problem };
}
