/**
 * What waits to be written to HubSpot: a deal mutation applied by the sync push marks the deal's link row
 * pending in the same transaction (`enqueueDeals`, from outbox.ts); a connect queues every deal not linked yet
 * (`queueUnlinked`, deals-portal.ts), as does turning deal sync on (settings-routes.ts). A deal HubSpot
 * removed (state `removed`) is never queued again: it is not re-created in HubSpot behind the rep's back.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { dealsDb } from './deals-schema';

/** Marks deals as waiting to be written to HubSpot (in the sync push's transaction). */
export async function enqueueDeals(trx: Db, teamId: string, dealIds: string[], now: number): Promise<void> {
  if (!dealIds.length) return;
  await dealsDb(trx)
    .insertInto('crm_deal_links')
    .values(
      [...new Set(dealIds)].map((deal_id) => ({
        team_id: teamId,
        deal_id,
        hubspot_id: null,
        state: 'pending' as const,
        last_error: null,
        next_at: now,
        hs_stage: null,
        hs_modified_at: null,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'deal_id'])
        .doUpdateSet({
          state: 'pending',
          attempts: 0,
          last_error: null,
          next_at: now,
          updated_at: now,
          // Each change queued moves the version, so a round that read an older one never marks it synced.
          version: sql<number>`crm_deal_links.version + 1`,
        })
        .where('crm_deal_links.state', '!=', 'removed'),
    )
    .execute();
}

/**
 * Queues every deal of the team that has no HubSpot deal yet: no link row, or one a round closed without a
 * HubSpot id (the deal was skipped then). Links waiting, failed (the admin retries those) or removed in
 * HubSpot stay as they are. Returns how many deals were queued.
 */
export async function queueUnlinked(trx: Db, teamId: string, now: number): Promise<number> {
  const db = dealsDb(trx);
  const rows = await db
    .insertInto('crm_deal_links')
    .columns(['team_id', 'deal_id', 'hubspot_id', 'state', 'last_error', 'next_at', 'hs_stage', 'updated_at'])
    .expression(
      db
        .selectFrom('entities')
        .select([
          'team_id',
          'id',
          sql<null>`null`.as('hubspot_id'),
          sql<string>`'pending'`.as('state'),
          sql<null>`null`.as('last_error'),
          sql<number>`${now}::int8`.as('next_at'),
          sql<null>`null`.as('hs_stage'),
          sql<number>`${now}::int8`.as('updated_at'),
        ])
        .where('team_id', '=', teamId)
        .where('kind', '=', 'deal')
        .where('deleted', '=', false),
    )
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'deal_id'])
        .doUpdateSet({
          state: 'pending',
          attempts: 0,
          last_error: null,
          next_at: now,
          updated_at: now,
          version: sql<number>`crm_deal_links.version + 1`,
        })
        .where('crm_deal_links.state', '=', 'synced')
        .where('crm_deal_links.hubspot_id', 'is', null),
    )
    .returning('deal_id')
    .execute();
  return rows.length;
}

/** Deal ids a mutation touches, for the outbox hook. */
export function dealIdsOf(name: string, args: unknown): string[] {
  if (typeof args !== 'object' || args === null) return [];
  const a = args as Record<string, unknown>;
  if (name === 'deal.upsert' && typeof a.id === 'string') return [a.id];
  if (name === 'dealEvents.record' && Array.isArray(a.events))
    return (a.events as { kind?: string; dealId?: unknown }[])
      .filter((e) => e.kind === 'stage_changed' && typeof e.dealId === 'string')
      .map((e) => e.dealId as string);
  return [];
}
