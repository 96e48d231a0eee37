import type { z } from 'zod';
import { ErrorBody } from '../contract/errors';
import { describeZodError } from '../domain/common';

export class BackendError extends Error {
  override name = 'BackendError';
  /** The HTTP status when the backend answered (absent when it could not be reached). */
  readonly status?: number;
  /** The contract's error code and message (ErrorBody) when the backend itself refused. */
  readonly code?: string;
  readonly serverMessage?: string;
  constructor(message: string, details: { status?: number; code?: string; serverMessage?: string } = {}) {
    super(message);
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
  }
}

export interface BackendCallOptions {
  body?: unknown;
  /** Added to the address, kept out of error messages (a cursor or a filter is not the route). */
  query?: Record<string, string | number>;
  /** The session token, or where to get it (asked right before the request, so a renewed one is used). */
  token?: string | (() => string | Promise<string>);
}

const HTML = 'an HTML page rather than the backend’s JSON';
const looksLikeHtml = (text: string) => /^\s*</.test(text);

/**
 * One JSON request to the Threadline backend: the body and the bearer token when given, the answer checked
 * against `schema`. Failures are a BackendError naming the route and which: unreachable, refused (status and
 * the backend's own message, or what came instead, such as a proxy's HTML page), or an answer that is not the
 * expected JSON.
 */
export async function backendCall<T>(
  fetchFn: typeof fetch,
  url: string,
  method: string,
  path: string,
  schema: z.ZodType<T>,
  options: BackendCallOptions = {},
): Promise<T> {
  const base = url.replace(/\/+$/, '');
  const query = options.query
    ? `?${new URLSearchParams(Object.entries(options.query).map(([k, v]) => [k, String(v)]))}`
    : '';
  const token = typeof options.token === 'function' ? await options.token() : options.token;
  let res: Response;
  try {
    res = await fetchFn(`${base}${path}${query}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    throw new BackendError(`The backend at ${base} cannot be reached (${(error as Error).message})`);
  }
  const route = `${method} ${path}`;
  const text = await res.text();
  let json: unknown;
  let syntaxError: string | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch (error) {
    syntaxError = (error as Error).message;
  }
  if (!res.ok) {
    const refused = ErrorBody.safeParse(json);
    if (refused.success) {
      const { code, message } = refused.data.error;
      throw new BackendError(`${route} answered ${res.status}: ${message}`, {
        status: res.status,
        code,
        serverMessage: message,
      });
    }
    // A proxy's error page or an empty body says nothing of ours: the status text is all there is.
    const html = looksLikeHtml(text);
    const detail = html ? HTML : text.trim().slice(0, 200);
    const statusLine =
      html || !detail ? `${res.status}${res.statusText ? ` ${res.statusText}` : ''}` : res.status;
    throw new BackendError(`${route} answered ${statusLine}${detail ? `: ${detail}` : ''}`, {
      status: res.status,
    });
  }
  if (syntaxError !== undefined)
    throw new BackendError(
      looksLikeHtml(text)
        ? `${route} answered ${res.status}: ${HTML}`
        : `${route} answered ${res.status} with malformed JSON (${syntaxError})`,
      { status: res.status },
    );
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const [first, ...more] = describeZodError(parsed.error).split('\n');
    throw new BackendError(
      `${route} answered an unexpected shape: ${first}${more.length ? ` (and ${more.length} more)` : ''}`,
      { status: res.status },
    );
  }
  return parsed.data;
}
