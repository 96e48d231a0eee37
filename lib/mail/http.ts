import type { z } from 'zod';
import { describeZodError } from '../domain/common';
import { MailError } from './provider';

/** Sleeps `ms`, or rejects with the signal's reason when it is aborted first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpClientOptions {
  /** "Gmail" or "Microsoft Graph": names the service in every error message. */
  service: string;
  fetch: typeof fetch;
  getAccessToken: () => Promise<string>;
  /** For Retry-After given as an HTTP date. */
  clock: () => number;
  sleep?: Sleep;
  /** In [0, 1): full jitter. */
  random?: () => number;
  /** Total tries of one request, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not slept through: the request fails 'transient' with retryAfterMs at once. */
  maxRetryAfterMs?: number;
  /** Sent with every request (Graph's Prefer: IdType="ImmutableId"). */
  headers?: Record<string, string>;
}

export interface RequestOptions<T> {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /** Serialised as JSON. */
  body?: unknown;
  /** 'json' (validated with `schema`), 'text', or 'none' (202/204 with no body). */
  expect: 'json' | 'text' | 'none';
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * False for a request whose repetition would act twice (sending mail): such a request is still retried
   * when the service says it did nothing (429, rate-limit 403), but a network error or a 5xx, after which the
   * mail may or may not have gone, throws MaybeDoneError so that the caller checks before trying again.
   */
  idempotent?: boolean;
}

/** A non-idempotent request failed in a way that leaves unknown whether the service acted on it. */
export class MaybeDoneError extends MailError {
  override name = 'MaybeDoneError';
  constructor(message: string, status?: number, retryAfterMs?: number) {
    super(message, 'transient', status, retryAfterMs);
  }
}

const GMAIL_RATE_REASONS = new Set(['ratelimitexceeded', 'userratelimitexceeded', 'rate_limit_exceeded']);
const PERMISSION_REASONS = new Set([
  'insufficientpermissions',
  'access_token_scope_insufficient',
  'erroraccessdenied',
]);

interface ApiError {
  message: string;
  reasons: string[];
}

export interface HttpClient {
  request<T>(options: RequestOptions<T> & { expect: 'json'; schema: z.ZodType<T> }): Promise<T>;
  request(options: RequestOptions<never> & { expect: 'text' }): Promise<string>;
  request(options: RequestOptions<never> & { expect: 'none' }): Promise<void>;
}

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** JSON over fetch with bearer auth, zod-validated responses and bounded, jittered retries. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const { service } = options;
  // Called detached: a browser's fetch throws "Illegal invocation" when called as a method of another object.
  const fetchFn = options.fetch;

  const backoff = (attempt: number): number =>
    Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));

  async function request(req: RequestOptions<unknown>): Promise<unknown> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const what = `${req.method} ${describeUrl(req.url)}`;
    let lastError: MailError | undefined;

    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0 && lastError) {
        const delay = lastError.retryAfterMs ?? backoff(attempt);
        if (delay > maxRetryAfterMs) break;
        await sleep(delay, req.signal);
      }
      const token = await options.getAccessToken();
      const headers: Record<string, string> = {
        ...options.headers,
        ...req.headers,
        Authorization: `Bearer ${token}`,
        Accept: req.expect === 'text' ? 'text/plain, message/rfc822, */*' : 'application/json',
      };
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';

      let response: Response;
      try {
        response = await fetchFn(req.url, {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: req.signal,
        });
      } catch (error) {
        if (req.signal?.aborted) throw req.signal.reason;
        const message = `${service}: ${what} failed: ${errorText(error)}`;
        if (!idempotent) throw new MaybeDoneError(message);
        lastError = new MailError(message, 'transient');
        continue;
      }

      if (response.ok) return readBody(response, req, what);

      const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), options.clock());
      const apiError = await readApiError(response);
      const status = response.status;
      const message = `${service}: ${what} answered ${status}${apiError.message ? `: ${apiError.message}` : ''}`;
      const reasons = apiError.reasons.map((r) => r.toLowerCase());

      if (status === 401) {
        throw new MailError(`${message} (sign in to the mailbox again)`, 'auth', status);
      }
      if (status === 403 && reasons.some((r) => PERMISSION_REASONS.has(r))) {
        throw new MailError(
          `${message} (the account did not grant the permission this needs: reconnect it and allow every requested permission)`,
          'auth',
          status,
        );
      }
      const rateLimited =
        status === 429 || (status === 403 && reasons.some((r) => GMAIL_RATE_REASONS.has(r)));
      if (rateLimited) {
        lastError = new MailError(message, 'transient', status, retryAfterMs);
        continue;
      }
      if (status >= 500) {
        if (!idempotent) throw new MaybeDoneError(message, status, retryAfterMs);
        lastError = new MailError(message, 'transient', status, retryAfterMs);
        continue;
      }
      throw new MailError(message, 'permanent', status);
    }

    const last = lastError ?? new MailError(`${service}: ${what} failed`, 'transient');
    throw new MailError(
      `${last.message} (gave up after ${maxAttempts} attempts or a long Retry-After)`,
      'transient',
      last.status,
      last.retryAfterMs ?? backoff(maxAttempts),
    );
  }

  async function readBody(response: Response, req: RequestOptions<unknown>, what: string): Promise<unknown> {
    if (req.expect === 'none') {
      await response.body?.cancel();
      return undefined;
    }
    if (req.expect === 'text') return response.text();
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      throw new MailError(`${service}: ${what} answered with invalid JSON: ${errorText(error)}`, 'permanent');
    }
    if (!req.schema) return json;
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      throw new MailError(
        `${service}: ${what} answered an unexpected shape: ${describeZodError(parsed.error, 'response')}`,
        'permanent',
        response.status,
      );
    }
    return parsed.data;
  }

  return { request } as HttpClient;
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Both shapes: Google's `{error: {message, errors: [{reason}], details: [{reason}]}}`, Graph's `{error: {code, message}}`. */
async function readApiError(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    return { message: '', reasons: [] };
  }
  try {
    const body = JSON.parse(text) as unknown;
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (!error) return { message: text.slice(0, 200), reasons: [] };
    const reasons: string[] = [];
    for (const list of [error.errors, error.details]) {
      if (!Array.isArray(list)) continue;
      for (const item of list)
        if (isRecord(item) && typeof item.reason === 'string') reasons.push(item.reason);
    }
    if (typeof error.code === 'string') reasons.push(error.code);
    if (typeof error.status === 'string') reasons.push(error.status);
    const message = typeof error.message === 'string' ? error.message : '';
    return { message, reasons };
  } catch {
    return { message: text.slice(0, 200), reasons: [] };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** The path of a URL without its query, which may hold search terms (a contact's Message-ID). */
function describeUrl(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

/**
 * `base` + `path` + a query string encoded with encodeURIComponent (spaces as %20, which OData filters need;
 * URLSearchParams would write "+"). Arrays repeat the parameter, as Google's repeated parameters expect.
 * Names are ours and left as they are: OData's "$filter" must not become "%24filter".
 */
export function buildUrl(base: string, path: string, query: Record<string, QueryValue> = {}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    for (const v of values) parts.push(`${key}=${encodeURIComponent(v)}`);
  }
  const url = `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return parts.length ? `${url}?${parts.join('&')}` : url;
}

/** Encodes one path segment (a provider message id may hold "/", "+" or "=" characters). */
export const segment = (value: string): string => encodeURIComponent(value);

/** What both REST providers take. */
export interface RestProviderOptions {
  /** The mailbox's address, as the rep signed in with. */
  mailbox: string;
  baseUrl?: string;
  getAccessToken: () => Promise<string>;
  fetch: typeof fetch;
  /** Epoch milliseconds: the Date header and Retry-After dates. */
  clock: () => number;
  sleep?: Sleep;
  random?: () => number;
  maxAttempts?: number;
  /** Aborts every request of this provider (the service worker shutting down). */
  signal?: AbortSignal;
}
