// Test helpers shared by the provider tests: a routing fake fetch that records every request.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** Routes by "METHOD /path" regular expressions (first match wins); unknown routes answer 599. */
export function routedFetch(routes: [RegExp, Handler][]) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      url,
      headers: new Headers(init?.headers),
      body,
    };
    requests.push(request);
    const key = `${request.method} ${url.pathname}`;
    const route = routes.find(([pattern]) => pattern.test(key));
    return route ? route[1](request) : jsonResponse(599, { error: { message: `no route for ${key}` } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** A published API description kept in tests/fixtures/reference (see its README for sources and licences). */
export function readReference(name: string): string {
  return readFileSync(resolve(process.cwd(), 'tests', 'fixtures', 'reference', name), 'utf8');
}
