import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { backendCall, BackendError } from './backend-call';

const Cursor = z.object({ cursor: z.number() }).strict();

/** A backend that answers every request with `response`, recording what it was asked. */
function backend(response: () => Response | Promise<Response>) {
  const fn = vi.fn(async (_url: string, _init?: RequestInit) => response());
  return Object.assign(fn as unknown as typeof fetch, { calls: fn.mock.calls });
}

/** The BackendError of `GET {path}?cursor=3` to a backend answering `response`. */
async function failure(response: () => Response | Promise<Response>, path = '/sync/pull') {
  const call = backendCall(backend(response), 'https://tl.example/', 'GET', path, Cursor, {
    query: { cursor: 3 },
  });
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe('a call to the backend', () => {
  it('sends the body as JSON with the bearer token, the query in the address, and returns the checked answer', async () => {
    const fetch = backend(() => Response.json({ cursor: 7 }));
    const answer = await backendCall(fetch, 'https://tl.example/', 'POST', '/sync/push', Cursor, {
      body: { a: 1 },
      query: { cursor: 3, limit: 50 },
      token: async () => 'session-1',
    });
    expect(answer).toEqual({ cursor: 7 });
    const [url, init] = fetch.calls[0]!;
    expect(url).toBe('https://tl.example/sync/push?cursor=3&limit=50');
    expect(init).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer session-1' },
      body: '{"a":1}',
    });
  });

  it('says the backend cannot be reached when the network fails', async () => {
    const error = await failure(() => Promise.reject(new TypeError('fetch failed')));
    expect(error.message).toBe('The backend at https://tl.example cannot be reached (fetch failed)');
    expect(error.status).toBeUndefined();
  });

  it('names the route, the status and the backend’s own message when it refuses, without the query', async () => {
    const error = await failure(() =>
      Response.json(
        { error: { code: 'invalid_token', message: 'the session token is invalid or expired' } },
        { status: 401 },
      ),
    );
    expect(error.message).toBe('GET /sync/pull answered 401: the session token is invalid or expired');
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_token',
      serverMessage: 'the session token is invalid or expired',
    });
  });

  it('says a 5xx came with an HTML page (a proxy’s, not the backend’s) instead of quoting the page', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const error = await failure(
      () =>
        new Response(html, {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'content-type': 'text/html' },
        }),
      '/analytics',
    );
    expect(error.message).toBe(
      'GET /analytics answered 502 Bad Gateway: an HTML page rather than the backend’s JSON',
    );
    expect(error).toMatchObject({ status: 502, code: undefined, serverMessage: undefined });
  });

  it('quotes a short plain-text refusal, and gives the status text when there is no body', async () => {
    const text = await failure(() => new Response('404 Not Found', { status: 404 }), '/nope');
    expect(text.message).toBe('GET /nope answered 404: 404 Not Found');
    const empty = await failure(() => new Response(null, { status: 503, statusText: 'Service Unavailable' }));
    expect(empty.message).toBe('GET /sync/pull answered 503 Service Unavailable');
  });

  it('says a successful answer is malformed JSON, or an HTML page (a captive portal), naming the route', async () => {
    const malformed = await failure(() => new Response('{"cursor": 7', { status: 200 }));
    expect(malformed.message).toMatch(/^GET \/sync\/pull answered 200 with malformed JSON \(.+\)$/);
    const portal = await failure(
      () => new Response('<!doctype html><p>Sign in to the hotel wifi</p>', { status: 200 }),
    );
    expect(portal.message).toBe('GET /sync/pull answered 200: an HTML page rather than the backend’s JSON');
  });

  it('names the first field of an answer of the wrong shape', async () => {
    const error = await failure(() => Response.json({ cursor: 'seven' }));
    expect(error.message).toMatch(/^GET \/sync\/pull answered an unexpected shape: cursor: .*number/);
  });
});
