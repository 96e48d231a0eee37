/**
 * `POST /crm/lookup`: the thread panel's CRM read for any member of the team. The team's own connection is
 * used (never another team's), only display fields are answered (no token, no raw CRM record), and each
 * address's answer is kept a minute (lookup.ts) so reopening a thread asks HubSpot nothing. A rep sees only the
 * open deals of their own HubSpot owner (Settings → CRM's owner mapping); managers and admins the team's. Each
 * member has CRM_READS_PER_MINUTE lookups a minute, and lookups stop once the day's HubSpot usage passes
 * LOOKUP_DAILY_SHARE of the limit, so activity logging keeps the rest.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import * as zm from 'zod/mini';
import { CrmLookupPerson } from '../../lib/contract/crm-lookup';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noQuery, type AppEnv } from '../http';
import { DEFAULT_CRM_CONFIG, type CrmConfig } from './config';
import { loadConnection, openSession, utcDay } from './connection';
import { askCrm, CRM_READS_PER_MINUTE, crmReadLimit, requireTokenKey, signedInOnce } from './guard';
import {
  createCrmLookup,
  dailyBudgetAllows,
  LOOKUP_DAILY_SHARE,
  type CrmLookup,
  type DealScope,
} from './lookup';
import { crmDb } from './schema';

export { CRM_READS_PER_MINUTE } from './guard';

export const MAX_LOOKUP_EMAILS = 50;

const Email = z.string().trim().toLowerCase().max(320).email();

export const LookupRequest = z
  .object({ emails: z.array(Email).min(1).max(MAX_LOOKUP_EMAILS) })
  .strict()
  .openapi('CrmLookupRequest');

/**
 * The contract's person (zod/mini, lib/contract/crm-lookup.ts) in this API's description: checked with that
 * schema, documented with its JSON Schema (the OpenAPI generator reads classic zod only).
 */
const { $schema: _draft, ...personSchema } = z.toJSONSchema(CrmLookupPerson);
const Person = z
  .custom<CrmLookupPerson>((v) => zm.safeParse(CrmLookupPerson, v).success)
  .openapi('CrmLookupPerson', personSchema as object);

export const LookupResponse = z
  .object({
    provider: z.literal('hubspot'),
    portalId: z.string(),
    people: z.array(Person),
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
  perMinute = CRM_READS_PER_MINUTE,
) {
  const config = deps.crm ?? DEFAULT_CRM_CONFIG;
  const db = crmDb(deps.db);
  const router = createRouter();
  router.use('/crm/lookup', signedInOnce(signedIn));
  router.use('/crm/lookup', crmReadLimit(deps.now, perMinute));

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
    requireTokenKey(config);
    if (row.blocked_until !== null && row.blocked_until > deps.now())
      throw new ApiError(
        429,
        'crm_daily_limit',
        `HubSpot's daily API limit is reached; the CRM is read again after ${new Date(row.blocked_until).toISOString()}`,
      );
    const usage = {
      day: row.daily_day,
      used: Number(row.daily_used),
      limit: row.daily_limit === null ? null : Number(row.daily_limit),
      remaining: row.daily_remaining === null ? null : Number(row.daily_remaining),
    };
    if (!dailyBudgetAllows(usage, utcDay(deps.now()), 'lookup')) {
      c.header(
        'retry-after',
        String(Math.max(1, Math.ceil((86_400_000 - (deps.now() % 86_400_000)) / 1000))),
      );
      throw new ApiError(
        429,
        'crm_lookup_budget',
        `The team has used ${Math.round(LOOKUP_DAILY_SHARE * 100)}% of HubSpot's daily API limit (${usage.limit}); the rest is kept for logging activities, lookups resume tomorrow (UTC)`,
      );
    }
    // A rep sees the open deals of their own HubSpot owner only; managers and admins the team's.
    let scope: DealScope = { all: true };
    if (caller.role === 'rep') {
      const mapped = await db
        .selectFrom('crm_owner_map')
        .select('owner_id')
        .where('team_id', '=', caller.teamId)
        .where('user_id', '=', caller.id)
        .executeTakeFirst();
      scope = { all: false, ownerId: mapped?.owner_id ?? null };
    }
    const result = await askCrm(
      'the lookup',
      () =>
        lookup.lookup(
          { teamId: caller.teamId, portalId: row.portal_id, hubDomain: row.hub_domain },
          emails,
          () => {
            const session = openSession(db, config, deps.log, row, deps.now);
            return { provider: session.provider, done: () => session.record() };
          },
          scope,
        ),
      { logger: deps.log, teamId: caller.teamId },
    );
    return c.json({ provider: 'hubspot' as const, portalId: row.portal_id, ...result }, 200);
  });

  return router;
}
