/** Error bodies in each service's own shape, so providers parse sandbox errors exactly as real ones. */
import { randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (Graph `$value`); `body` is JSON otherwise. */
  text?: string;
}

const googleStatus: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's JSON error: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`. */
export function gmailError(
  code: number,
  message: string,
  reason: string,
  domain = 'global',
  extra: Record<string, string> = {},
): Reply {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        errors: [{ message, domain, reason, ...extra }],
        status: googleStatus[code] ?? 'UNKNOWN',
      },
    },
  };
}

export function gmailUnauthorized(): Reply {
  return gmailError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'authError',
    'global',
    { location: 'Authorization', locationType: 'header' },
  );
}

/** Defaults for injected faults, per status: what Gmail really answers. */
export function gmailFaultBody(status: number, reason?: string): Reply {
  if (status === 429)
    return gmailError(
      429,
      'Too many concurrent requests for user.',
      reason ?? 'rateLimitExceeded',
      'usageLimits',
    );
  if (status === 403) {
    const r = reason ?? 'rateLimitExceeded';
    const message =
      r === 'userRateLimitExceeded'
        ? 'User Rate Limit Exceeded'
        : r === 'rateLimitExceeded'
          ? 'Rate Limit Exceeded'
          : 'Request had insufficient authentication scopes.';
    return gmailError(
      403,
      message,
      r,
      r.includes('RateLimit') || r === 'rateLimitExceeded' ? 'usageLimits' : 'global',
    );
  }
  if (status === 401) return gmailUnauthorized();
  if (status >= 500) return gmailError(status, 'Backend Error', reason ?? 'backendError');
  return gmailError(status, 'Injected fault', reason ?? 'failedPrecondition');
}

/** Graph's JSON error: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Reply {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'request-id': requestId, 'client-request-id': requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
  };
}

export function graphUnauthorized(hasToken: boolean): Reply {
  return graphError(
    401,
    'InvalidAuthenticationToken',
    hasToken ? 'IDX14100: JWT is not well formed, there are no dots (.).' : 'Access token is empty.',
    {
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
    },
  );
}

export function graphFaultBody(status: number, reason?: string): Reply {
  if (status === 429) return graphError(429, reason ?? 'TooManyRequests', 'Too many requests.');
  if (status === 503)
    return graphError(503, reason ?? 'ServiceNotAvailable', 'Service temporarily unavailable.');
  if (status === 504) return graphError(504, reason ?? 'GatewayTimeout', 'Gateway timeout.');
  if (status >= 500)
    return graphError(status, reason ?? 'InternalServerError', 'An internal server error occurred.');
  if (status === 401) return graphUnauthorized(true);
  return graphError(status, reason ?? 'ErrorInvalidRequest', 'Injected fault.');
}
