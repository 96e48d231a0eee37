import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildUrl, createHttpClient, MaybeDoneError, parseRetryAfter } from './http';
import { MailError } from './provider';

const NOW = Date.UTC(2024, 6, 2, 9, 0, 0);
type Reply = Response | Error;

/** A fetch that answers from a script, recording each call. */
function scriptedFetch(replies: Reply[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const reply = replies.shift();
    if (!reply) throw new Error('no scripted reply left');
    if (reply instanceof Error) throw reply;
    return reply;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const googleError = (status: number, reason: string, message = reason) =>
  json(status, { error: { code: status, message, errors: [{ domain: 'usageLimits', reason, message }] } });

function client(replies: Reply[], extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) {
  const { fetch, calls } = scriptedFetch(replies);
  const sleeps: number[] = [];
  const http = createHttpClient({
    service: 'Gmail',
    fetch,
    getAccessToken: async () => 'token-123',
    clock: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
  return { http, calls, sleeps };
}

const Profile = z.object({ historyId: z.string() });
const get = {
  method: 'GET',
  url: 'https://api.example/users/me/profile',
  expect: 'json',
  schema: Profile,
} as const;

describe('createHttpClient', () => {
  it('sends the bearer token and returns the validated JSON', async () => {
    const { http, calls } = client([json(200, { historyId: '42', extra: true })]);
    await expect(http.request(get)).resolves.toEqual({ historyId: '42' });
    expect(new Headers(calls[0]?.init?.headers).get('Authorization')).toBe('Bearer token-123');
  });

  it('names the field when a response does not match its schema', async () => {
    const { http } = client([json(200, { historyId: 42 })]);
    const error = await http.request(get).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).kind).toBe('permanent');
    expect((error as MailError).message).toContain('response.historyId');
  });

  it('retries 429 after the Retry-After seconds it was given', async () => {
    const { http, sleeps } = client([json(429, {}, { 'Retry-After': '7' }), json(200, { historyId: '1' })]);
    await expect(http.request(get)).resolves.toEqual({ historyId: '1' });
    expect(sleeps).toEqual([7000]);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(NOW + 12_000).toUTCString();
    const { http, sleeps } = client([json(503, {}, { 'Retry-After': at }), json(200, { historyId: '1' })]);
    await http.request(get);
    expect(sleeps).toEqual([12_000]);
  });

  it('backs off exponentially with full jitter on 5xx and network errors', async () => {
    const { http, sleeps } = client(
      [json(500, {}), new TypeError('fetch failed'), json(502, {}), json(200, { historyId: '1' })],
      { random: () => 0.5, baseDelayMs: 1000 },
    );
    await http.request(get);
    // random() * min(max, base * 2^attempt) for attempts 1, 2, 3.
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it("retries Gmail's rate-limit 403 reasons", async () => {
    const { http, calls } = client([
      googleError(403, 'userRateLimitExceeded'),
      googleError(403, 'rateLimitExceeded'),
      json(200, { historyId: '1' }),
    ]);
    await http.request(get);
    expect(calls).toHaveLength(3);
  });

  it('never retries insufficientPermissions and says what to do', async () => {
    const { http, calls } = client([
      googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.'),
    ]);
    const error = (await http.request(get).catch((e: unknown) => e)) as MailError;
    expect(calls).toHaveLength(1);
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(403);
    expect(error.message).toContain('insufficient authentication scopes');
    expect(error.message).toContain('reconnect');
  });

  it('turns 401 into an auth error without retrying', async () => {
    const { http, calls } = client([json(401, { error: { code: 401, message: 'Invalid Credentials' } })]);
    const error = (await http.request(get).catch((e: unknown) => e)) as MailError;
    expect(calls).toHaveLength(1);
    expect(error.kind).toBe('auth');
  });

  it("surfaces other 4xx as permanent with the API's own message", async () => {
    const { http, calls } = client([
      json(400, {
        error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' },
      }),
    ]);
    const error = (await http.request(get).catch((e: unknown) => e)) as MailError;
    expect(calls).toHaveLength(1);
    expect(error.kind).toBe('permanent');
    expect(error.status).toBe(400);
    expect(error.message).toContain('At least one recipient is not valid.');
  });

  it('gives up after a bounded number of attempts as transient, with a retry delay', async () => {
    const replies = Array.from({ length: 5 }, () => json(429, {}, { 'Retry-After': '3' }));
    const { http, calls } = client(replies, { maxAttempts: 5 });
    const error = (await http.request(get).catch((e: unknown) => e)) as MailError;
    expect(calls).toHaveLength(5);
    expect(error.kind).toBe('transient');
    expect(error.retryAfterMs).toBe(3000);
  });

  it('does not sleep through a very long Retry-After but hands it to the caller', async () => {
    const { http, calls, sleeps } = client([json(429, {}, { 'Retry-After': '3600' })]);
    const error = (await http.request(get).catch((e: unknown) => e)) as MailError;
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(error.retryAfterMs).toBe(3_600_000);
  });

  it('does not repeat a send that may have gone out, but says so', async () => {
    const { http, calls } = client([new TypeError('fetch failed')]);
    const send = { method: 'POST', url: 'https://api.example/send', body: {}, expect: 'none' } as const;
    await expect(http.request(send)).rejects.toBeInstanceOf(MaybeDoneError);
    expect(calls).toHaveLength(1);
  });

  it('still retries a send refused with 429, which did nothing', async () => {
    const { http, calls } = client([json(429, {}), new Response(null, { status: 202 })]);
    await http.request({ method: 'POST', url: 'https://api.example/send', body: {}, expect: 'none' });
    expect(calls).toHaveLength(2);
  });

  it('passes the AbortSignal to fetch and stops when it fires', async () => {
    const controller = new AbortController();
    const { http, calls } = client([json(500, {})], {
      sleep: async () => {
        controller.abort(new Error('worker shutting down'));
        throw controller.signal.reason;
      },
    });
    await expect(http.request({ ...get, signal: controller.signal })).rejects.toThrow('worker shutting down');
    expect(calls[0]?.init?.signal).toBe(controller.signal);
    expect(calls).toHaveLength(1);
  });

  it('never puts the access token in an error', async () => {
    const { http } = client([json(400, { error: { message: 'bad' } })]);
    const error = (await http.request(get).catch((e: unknown) => e)) as MailError;
    expect(`${String(error)} ${JSON.stringify(error)} ${error.stack}`).not.toContain('token-123');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates, and ignores nonsense', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe('buildUrl', () => {
  it('encodes values with %20, repeats arrays and keeps OData names', () => {
    expect(
      buildUrl('https://x/v1/', '/me/messages', { $filter: "a eq 'b c'", ids: ['1', '2'], none: undefined }),
    ).toBe("https://x/v1/me/messages?$filter=a%20eq%20'b%20c'&ids=1&ids=2");
  });
});
