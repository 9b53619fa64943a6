// The CLI's HTTP side: calls the API with the token in GOVFLOW_TOKEN and prints what it answers.
import type { Config } from './config.ts';

export class ApiCallError extends Error {}

/** The token in GOVFLOW_TOKEN; without one, says how to get one for `role`. */
export function apiToken(role = 'designer'): string {
  const token = process.env.GOVFLOW_TOKEN;
  if (!token)
    throw new ApiCallError(`set GOVFLOW_TOKEN (e.g. export GOVFLOW_TOKEN=$(govflow token --role ${role}))`);
  return token;
}

export async function callApi(
  config: Config,
  method: string,
  path: string,
  body?: { json?: unknown; xml?: Uint8Array },
): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiToken()}` };
  let payload: BodyInit | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.xml) {
    headers['content-type'] = 'application/xml';
    payload = new Blob([new Uint8Array(body.xml)]);
  }
  let response: Response;
  try {
    response = await fetch(new URL(path, config.apiUrl), { method, headers, body: payload });
  } catch (err) {
    throw new ApiCallError(
      `cannot reach ${config.apiUrl}: ${(err as Error).cause ?? (err as Error).message}`,
    );
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem = parsed as {
      title?: string;
      detail?: string;
      diagnostics?: unknown[];
      errors?: unknown[];
    };
    const extra = problem?.diagnostics ?? problem?.errors;
    throw new ApiCallError(
      `${response.status} ${problem?.title ?? ''}: ${problem?.detail ?? text}${extra ? `\n${JSON.stringify(extra, null, 2)}` : ''}`,
    );
  }
  return parsed;
}
