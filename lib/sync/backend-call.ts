import type { z } from 'zod';
import { ErrorBody } from '../contract/errors';

export class BackendError extends Error {
  override name = 'BackendError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * One JSON request to the Threadline backend: the body and the bearer token when given, the answer checked
 * against `schema`. Failures say which: unreachable, refused (status and the backend's own message), or an
 * answer of the wrong shape.
 */
export async function backendCall<T>(
  fetchFn: typeof fetch,
  url: string,
  method: string,
  path: string,
  schema: z.ZodType<T>,
  options: { body?: unknown; token?: string } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(`${url.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    throw new BackendError(`The backend at ${url} cannot be reached (${(error as Error).message})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = ErrorBody.safeParse(json);
    const message = error.success ? error.data.error.message : text.slice(0, 200);
    throw new BackendError(
      `${method} ${path} answered ${res.status}${message ? `: ${message}` : ''}`,
      res.status,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new BackendError(`${method} ${path} answered an unexpected shape`);
  return parsed.data;
}
