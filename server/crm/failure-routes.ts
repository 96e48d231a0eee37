/**
 * Settings → CRM's failures: the activities and deals HubSpot refused or that were skipped, with HubSpot's own
 * message, listed to managers and admins (they name the team's contacts and carry HubSpot's record data, which
 * a rep does not see of colleagues' contacts), and queued again by an admin. A retry never lifts the block of
 * HubSpot's daily limit: the rows queued again go once the block ends.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CrmFailure } from '../../lib/contract/crm';
import { requireRole } from '../auth/caller';
import { errors, json, jsonBody, noQuery } from '../http';
import { loadConnection } from './connection';
import { security, type CrmContext, type CrmRouter } from './context';
import { dealsDb } from './deals-schema';

/** A failed deal's id in the failures list: this prefix and the Threadline deal id. */
const DEAL_FAILURE_PREFIX = 'deal:';

const failuresRoute = createRoute({
  method: 'get',
  path: '/crm/failures',
  summary: 'Activities HubSpot refused or that were skipped, with HubSpot’s message (managers and admins)',
  security,
  request: { query: noQuery },
  responses: {
    200: json(z.object({ failures: z.array(CrmFailure) }), 'Failures'),
    ...errors(401, 403),
  },
});
const retryRoute = createRoute({
  method: 'post',
  path: '/crm/failures/retry',
  summary: 'Send failed activities again (admins); during HubSpot’s daily-limit block, once it ends',
  security,
  request: {
    query: noQuery,
    ...jsonBody(z.object({ ids: z.array(z.string().max(300)).max(1000).optional() }).strict()),
  },
  responses: {
    200: json(
      z.object({
        retried: z.number(),
        /** HubSpot's daily limit blocks sending until then: the retried rows go after it. */
        blockedUntil: z.number().nullable(),
      }),
      'Queued again',
    ),
    ...errors(400, 401, 403),
  },
});

export function failureRoutes(router: CrmRouter, ctx: CrmContext): void {
  const { db, deps } = ctx;

  router.openapi(failuresRoute, async (c) => {
    const caller = requireRole(c, 'manager', 'admin');
    const rows = await db
      .selectFrom('crm_outbox')
      .select(['id', 'kind', 'state', 'last_error', 'attempts', 'updated_at'])
      .where('team_id', '=', caller.teamId)
      .where('last_error', 'is not', null)
      .where('state', 'in', ['failed', 'skipped', 'pending'])
      .orderBy('updated_at', 'desc')
      .limit(200)
      .execute();
    // Deals HubSpot refused (kind deal; id `deal:` + the deal id, so retry tells them from activities).
    const deals = await dealsDb(deps.db)
      .selectFrom('crm_deal_links')
      .select(['deal_id', 'last_error', 'attempts', 'updated_at'])
      .where('team_id', '=', caller.teamId)
      .where('state', '=', 'failed')
      .where('last_error', 'is not', null)
      .orderBy('updated_at', 'desc')
      .limit(200)
      .execute();
    const failures = [
      ...rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        state: r.state as 'failed' | 'skipped' | 'pending',
        message: r.last_error ?? '',
        attempts: r.attempts,
        updatedAt: r.updated_at,
      })),
      ...deals.map((r) => ({
        id: `${DEAL_FAILURE_PREFIX}${r.deal_id}`,
        kind: 'deal',
        state: 'failed' as const,
        message: r.last_error ?? '',
        attempts: r.attempts,
        updatedAt: Number(r.updated_at),
      })),
    ]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, 200);
    return c.json({ failures }, 200);
  });

  router.openapi(retryRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { ids } = c.req.valid('json');
    const now = deps.now();
    // HubSpot's daily limit is not lifted by asking again: the rows wait for the block's end.
    const block = (await loadConnection(db, caller.teamId))?.blocked_until ?? null;
    const blockedUntil = block !== null && Number(block) > now ? Number(block) : null;
    const nextAt = blockedUntil ?? now;
    const res = await db
      .updateTable('crm_outbox')
      .set({ state: 'pending', attempts: 0, next_at: nextAt, updated_at: now })
      .where('team_id', '=', caller.teamId)
      .where('state', 'in', ['failed', 'skipped'])
      .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length ? ids! : ['']))
      .executeTakeFirst();
    const dealIds = ids
      ?.filter((id) => id.startsWith(DEAL_FAILURE_PREFIX))
      .map((id) => id.slice(DEAL_FAILURE_PREFIX.length));
    const dealRes = await dealsDb(deps.db)
      .updateTable('crm_deal_links')
      .set({ state: 'pending', attempts: 0, last_error: null, next_at: nextAt, updated_at: now })
      .where('team_id', '=', caller.teamId)
      .where('state', '=', 'failed')
      .$if(dealIds !== undefined, (q) => q.where('deal_id', 'in', dealIds!.length ? dealIds! : ['']))
      .executeTakeFirst();
    return c.json(
      { retried: Number(res.numUpdatedRows) + Number(dealRes.numUpdatedRows), blockedUntil },
      200,
    );
  });
}
