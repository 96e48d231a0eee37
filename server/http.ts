import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { ErrorBody } from '../lib/contract/errors';
import { describeZodError } from '../lib/domain/common';
import type { Role } from '../lib/contract/auth';

/** The signed-in caller, loaded from the database on every request (a removed member is out at once). */
export interface Caller {
  id: string;
  teamId: string;
  role: Role;
  email: string;
  /** The provider vouched for `email`: only then does it name the caller's mailbox (analytics, colleagues). */
  emailVerified: boolean;
}

export type AppEnv = { Variables: { caller: Caller } };

/** An error with a stable code; app.onError renders it as ErrorBody. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(status, { message });
  }
}

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** A router whose invalid requests answer 400 with one line per bad field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success)
        return c.json(errorBody('invalid_request', describeZodError(result.error, result.target)), 400);
    },
  });
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } } as const;
}

/**
 * For a route that takes no body: none (the extension sends none) or `{}`. Anything else is refused: malformed
 * JSON and unknown fields with 400, a body of another content type with 415.
 */
export const noBody = {
  body: { required: false, content: { 'application/json': { schema: z.object({}).strict() } } },
} as const;

/** For a route whose JSON body may be left out (none, or the schema's object). */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: false, content: { 'application/json': { schema } } } } as const;
}

/** For a route that takes no query parameters: an unknown one is refused with 400 naming it. */
export const noQuery = z.object({}).strict();

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

const errorDescriptions = {
  400: 'Invalid request: the message names each bad field',
  401: 'Missing, expired or forged session token',
  403: 'The caller’s role does not allow this',
  404: 'Not found in the caller’s team',
  409: 'Conflict',
  413: 'Body too large',
  429: 'Too many requests: wait the seconds of the Retry-After header',
} as const;

/** Documents the error answers a route can give. */
export function errors<S extends keyof typeof errorDescriptions>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, json(ErrorBody, errorDescriptions[s])])) as Record<
    S,
    ReturnType<typeof json<typeof ErrorBody>>
  >;
}
