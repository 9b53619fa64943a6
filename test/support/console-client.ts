// A browser's view of the console without a browser: cookies kept between requests, forms posted
// with the CSRF token the page carried. Requests go through app.request like every API test.
import type { Harness } from './harness.ts';

export class ConsoleClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly h: Harness,
    private readonly language = 'en',
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers });
  }

  /** Posts a form; with `csrfFrom`, the `_csrf` field of that page (as the browser would). */
  async post(path: string, fields: Record<string, string | string[]>, csrf?: string): Promise<Response> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields))
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    if (csrf !== undefined) body.set('_csrf', csrf);
    return this.send(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async signIn(token: string): Promise<Response> {
    return this.get(`/console/login?token=${encodeURIComponent(token)}`);
  }

  /** The CSRF token a page of this browser carries. */
  async csrf(path = '/console/'): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = html.match(/name="_csrf" value="([^"]+)"/);
    if (!match) throw new Error(`no CSRF field on ${path}`);
    return match[1];
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept-language', this.language);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await this.h.app.request(path, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}
