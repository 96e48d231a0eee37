/** HubSpot's error bodies, so the client parses sandbox errors exactly as real ones. */
import { randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** An HTML page (the authorize screen). */
  html?: string;
}

export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
  subCategory?: string;
}

/** `{status: "error", message, correlationId, category, errors?, context?, links?}`. */
export function hubspotError(
  status: number,
  category: string,
  message: string,
  extra: { errors?: ErrorDetail[]; context?: Record<string, string[]>; links?: Record<string, string> } = {},
  headers?: Record<string, string>,
): Reply {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  };
}

/** The 400 of a write whose property values were refused, one entry per property. */
export function propertyErrors(failures: { name: string; code: string; message: string }[]): Reply {
  const list = failures.map((f) => ({
    isValid: false,
    message: f.message,
    error: f.code,
    name: f.name,
  }));
  return hubspotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(list)}`, {
    errors: failures.map((f) => ({
      message: f.message,
      code: f.code,
      context: { propertyName: [f.name] },
    })),
  });
}

export const notFound = (what: string): Reply =>
  hubspotError(404, 'OBJECT_NOT_FOUND', `${what} was not found`);

export const validation = (message: string): Reply => hubspotError(400, 'VALIDATION_ERROR', message);

export function unauthorized(expired: boolean): Reply {
  return expired
    ? hubspotError(
        401,
        'EXPIRED_AUTHENTICATION',
        'The OAuth token used to make this call expired. Refresh it with the refresh token.',
      )
    : hubspotError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found or not valid for this request.',
      );
}

export function missingScopes(required: string[]): Reply {
  return hubspotError(
    403,
    'MISSING_SCOPES',
    'This app has not been granted all required scopes to make this call.',
    {
      errors: [
        {
          message: `One or more of the following scopes are required: ${required.join(', ')}`,
          context: { requiredGranularScopes: required },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

/** The body of a 429 (`policyName` DAILY or TEN_SECONDLY_ROLLING; none for search's secondly limit). */
export function rateLimited(
  policy: 'DAILY' | 'TEN_SECONDLY_ROLLING' | 'SECONDLY',
  headers: Record<string, string>,
): Reply {
  const message =
    policy === 'DAILY'
      ? 'You have reached your daily limit.'
      : policy === 'TEN_SECONDLY_ROLLING'
        ? 'You have reached your ten_secondly_rolling limit.'
        : 'You have reached your secondly limit.';
  return {
    status: 429,
    headers,
    body: {
      status: 'error',
      message,
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      ...(policy === 'SECONDLY' ? {} : { policyName: policy }),
      requestId: randomUUID(),
    },
  };
}

/** Defaults for injected faults, per status. */
export function faultBody(status: number): Reply {
  if (status === 429) return rateLimited('TEN_SECONDLY_ROLLING', {});
  if (status === 401) return unauthorized(false);
  if (status === 423)
    return hubspotError(423, 'LOCKED', 'The record is locked while a sync runs; try again in a few seconds.');
  if (status >= 500)
    return hubspotError(status, 'INTERNAL_ERROR', 'An internal error occurred; try again shortly.');
  return hubspotError(status, 'VALIDATION_ERROR', 'Injected fault.');
}

/** OAuth endpoints answer RFC 6749 errors plus HubSpot's legacy fields. */
export function oauthError(status: number, error: string, description: string, legacy: string): Reply {
  return {
    status,
    body: { error, error_description: description, status: legacy, message: description },
  };
}
