/**
 * `POST /crm/lookup`: the thread panel's CRM read for any member of the team. The team's own connection is
 * used (never another team's), only display fields are answered (no token, no raw CRM record), and each
 * address's answer is kept a minute (lookup.ts) so reopening a thread asks HubSpot nothing.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noQuery, type AppEnv } from '../http';
import { DEFAULT_CRM_CONFIG, type CrmConfig } from './config';
import { loadConnection, openSession } from './connection';
import { createCrmLookup, type CrmLookup } from './lookup';
import { CrmDailyLimitError, CrmError } from './provider';
import { crmDb } from './schema';

export const MAX_LOOKUP_EMAILS = 50;

const Email = z.string().trim().toLowerCase().max(320).email();

export const LookupRequest = z
  .object({ emails: z.array(Email).min(1).max(MAX_LOOKUP_EMAILS) })
  .strict()
  .openapi('CrmLookupRequest');

const Deal = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  pipeline: z.object({ id: z.string(), label: z.string() }),
  stage: z.object({ id: z.string(), label: z.string() }),
  amount: z.string().optional(),
  closeDate: z.number().optional(),
  threadlineDealId: z.string().optional(),
});

const Contact = z.object({
  id: z.string(),
  url: z.string(),
  name: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  owner: z.object({ id: z.string(), name: z.string(), email: z.string() }).optional(),
  lifecycleStage: z.string().optional(),
  lastActivityAt: z.number().optional(),
  company: z.string().optional(),
  jobTitle: z.string().optional(),
  /** IANA zone, when HubSpot has one. */
  timeZone: z.string().optional(),
  deals: z.array(Deal),
});

export const LookupResponse = z
  .object({
    provider: z.literal('hubspot'),
    portalId: z.string(),
    people: z.array(z.object({ email: z.string(), contact: Contact.nullable() })),
    /** Every address came from the minute-long cache: HubSpot was not asked. */
    cached: z.boolean(),
  })
  .openapi('CrmLookupResponse');

const lookupRoute = createRoute({
  method: 'post',
  path: '/crm/lookup',
  summary: 'The team’s CRM contacts and their open deals for these addresses (the thread panel)',
  security: [{ session: [] }],
  request: { query: noQuery, ...jsonBody(LookupRequest) },
  responses: {
    200: json(LookupResponse, 'One entry per address, contact null when the CRM has none'),
    ...errors(400, 401, 404, 429),
  },
});

export function crmLookupRoutes(
  deps: AppDeps & { crm?: CrmConfig },
  signedIn: MiddlewareHandler<AppEnv>,
  lookup: CrmLookup = createCrmLookup({ now: deps.now }),
) {
  const config = deps.crm ?? DEFAULT_CRM_CONFIG;
  const db = crmDb(deps.db);
  const router = createRouter();
  // crmRoutes' /crm/* guard may already have loaded the caller; otherwise this route checks the session.
  router.use('/crm/lookup', (c, next) => (c.get('caller') ? next() : signedIn(c, next)));

  router.openapi(lookupRoute, async (c) => {
    const caller = c.get('caller');
    const { emails } = c.req.valid('json');
    const row = await loadConnection(db, caller.teamId);
    if (!row)
      throw new ApiError(
        404,
        'not_connected',
        'HubSpot is not connected for your team: an admin connects it under Settings → CRM',
      );
    if (!config.tokenKey)
      throw new ApiError(
        503,
        'crm_key_missing',
        'CRM_TOKEN_KEY is not set on the server: the CRM cannot be read',
      );
    if (row.blocked_until !== null && row.blocked_until > deps.now())
      throw new ApiError(
        429,
        'crm_daily_limit',
        `HubSpot's daily API limit is reached; the CRM is read again after ${new Date(row.blocked_until).toISOString()}`,
      );
    try {
      const result = await lookup.lookup(
        { teamId: caller.teamId, portalId: row.portal_id, hubDomain: row.hub_domain },
        emails,
        () => {
          const session = openSession(db, config, deps.log, row, deps.now);
          return { provider: session.provider, done: () => session.record() };
        },
      );
      return c.json({ provider: 'hubspot' as const, portalId: row.portal_id, ...result }, 200);
    } catch (error) {
      if (error instanceof CrmDailyLimitError)
        throw new ApiError(429, 'crm_daily_limit', `HubSpot's daily API limit is reached: ${error.message}`);
      if (error instanceof CrmError) {
        deps.log.warn({ team: caller.teamId, status: error.status }, 'crm: lookup failed');
        if (error.status === 401 || error.status === 403)
          throw new ApiError(
            502,
            'crm_unauthorized',
            `HubSpot refused the team's connection (${error.message}): an admin reconnects it under Settings → CRM`,
          );
        throw new ApiError(502, 'crm_unavailable', `HubSpot did not answer the lookup: ${error.message}`);
      }
      throw error;
    }
  });

  return router;
}
