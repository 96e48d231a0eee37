/**
 * What every /crm route shares at its edges: the member's session checked once per request (whichever /crm
 * router runs first loads the caller), CRM reads limited per member, and HubSpot's failures answered the same
 * way everywhere: its daily limit 429 `crm_daily_limit`, a refused connection 502 `crm_unauthorized`, anything
 * else HubSpot did 502 `crm_unavailable`, each with HubSpot's message (never a 500).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../log';
import { ApiError, type AppEnv } from '../http';
import { rateLimit } from '../rate-limit';
import type { CrmConfig } from './config';
import { CrmDailyLimitError, CrmError } from './provider';

/** Requires a member's session unless an earlier /crm guard already loaded the caller. */
export function signedInOnce(signedIn: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.get('caller') ? next() : signedIn(c, next));
}

/** Thread panel CRM reads (lookups, deal refreshes) one member may make a minute, each route counted apart. */
export const CRM_READS_PER_MINUTE = 30;

/**
 * Per member of a team: 429 with Retry-After past `perMinute` requests a minute (after the session check).
 * Keyed by the member, never by the session, so signing in again (or many devices) does not add requests.
 */
export function crmReadLimit(now: () => number, perMinute = CRM_READS_PER_MINUTE): MiddlewareHandler<AppEnv> {
  return rateLimit(now, {
    perMinute,
    keyOf: (c: Context) => {
      const caller = (c as Context<AppEnv>).get('caller');
      return caller && `${caller.teamId}\u0000${caller.id}`;
    },
    what: `from you to the CRM (${perMinute} a minute)`,
  });
}

/** 503 when the server has no CRM_TOKEN_KEY: the team's connection cannot be opened. */
export function requireTokenKey(config: CrmConfig): void {
  if (!config.tokenKey)
    throw new ApiError(
      503,
      'crm_key_missing',
      'CRM_TOKEN_KEY is not set on the server: the CRM cannot be read',
    );
}

/** HubSpot's failure as the answer the caller gets; anything else is thrown on as it is. */
export function crmApiError(error: unknown, what: string): unknown {
  if (error instanceof CrmDailyLimitError)
    return new ApiError(429, 'crm_daily_limit', `HubSpot's daily API limit is reached: ${error.message}`);
  if (!(error instanceof CrmError)) return error;
  if (error.status === 401 || error.status === 403)
    return new ApiError(
      502,
      'crm_unauthorized',
      `HubSpot refused the team's connection (${error.message}): an admin reconnects it under Settings → CRM`,
    );
  return new ApiError(502, 'crm_unavailable', `HubSpot did not answer ${what}: ${error.message}`);
}

/** Runs a request to HubSpot for a route: its failures answered as crmApiError says, and logged (no token). */
export async function askCrm<T>(
  what: string,
  work: () => Promise<T>,
  log?: { logger: Logger; teamId: string },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (log && error instanceof CrmError)
      log.logger.warn({ team: log.teamId, status: error.status }, `crm: ${what} failed`);
    throw crmApiError(error, what);
  }
}
