/**
 * Deals HubSpot no longer has (deleted or archived there). Found three ways: a push round that reads a linked
 * deal by its Threadline id and gets nothing, the thread panel's refresh (404), and a rolling check of the
 * linked deals on each poll (search never returns archived deals, so the poll alone cannot see them). The
 * deal stays in Threadline; its link is kept as `removed` (never written again, so never re-created in
 * HubSpot behind the rep's back) and the deal carries `crm.removedAt`, which the thread panel shows.
 */
import type { Db } from '../db/database';
import { dealsDb } from './deals-schema';
import type { HubSpotDeals } from './deals-hubspot';
import { applyToThreadline, type DealRoundContext } from './deals-store';

/** Linked deals checked per poll (one batch read). */
const SWEEP = 100;

export interface GoneDeal {
  dealId: string;
  hubspotId: string;
}

/** Records deals HubSpot no longer has, in the caller's transaction. */
export async function recordRemoved(trx: Db, teamId: string, gone: GoneDeal[], at: number): Promise<void> {
  if (!gone.length) return;
  const db = dealsDb(trx);
  const removed = new Map<string, { hubspotId: string; at: number }>();
  for (const g of gone) {
    // Only the link still pointing at that HubSpot deal (a reconnect may have replaced it meanwhile).
    const hit = await db
      .updateTable('crm_deal_links')
      .set({ state: 'removed', removed_at: at, last_error: 'removed in HubSpot', updated_at: at })
      .where('team_id', '=', teamId)
      .where('deal_id', '=', g.dealId)
      .where('hubspot_id', '=', g.hubspotId)
      .executeTakeFirst();
    if (Number(hit.numUpdatedRows) > 0) removed.set(g.dealId, { hubspotId: g.hubspotId, at });
  }
  await applyToThreadline(trx, teamId, at, { removed });
}

/**
 * Checks the next linked deals (in deal id order, from where the last check stopped) against HubSpot and
 * records those it no longer has. Returns how many were found gone.
 */
export async function sweepRemoved(
  ctx: DealRoundContext,
  teamId: string,
  hubspot: HubSpotDeals,
  sweptTo: string | null,
): Promise<number> {
  let query = ctx.db
    .selectFrom('crm_deal_links')
    .select(['deal_id', 'hubspot_id'])
    .where('team_id', '=', teamId)
    .where('hubspot_id', 'is not', null)
    .where('state', '!=', 'removed')
    .orderBy('deal_id')
    .limit(SWEEP);
  if (sweptTo !== null) query = query.where('deal_id', '>', sweptTo);
  const links: GoneDeal[] = (await query.execute()).map((l) => ({
    dealId: l.deal_id,
    hubspotId: l.hubspot_id!,
  }));
  // Only what HubSpot says it does not have: a deal it failed to read some other way is checked again later.
  const { missing } = links.length
    ? await hubspot.readByRecordId(links.map((l) => l.hubspotId))
    : { missing: new Set<string>() };
  const gone = links.filter((l) => missing.has(l.hubspotId));
  const at = ctx.now();
  await ctx.raw.transaction().execute(async (trx) => {
    await recordRemoved(trx, teamId, gone, at);
    // A short page means the end: the next check starts over.
    const next = links.length === SWEEP ? links[links.length - 1]!.dealId : null;
    await dealsDb(trx)
      .updateTable('crm_deal_cursor')
      .set({ swept_to: next })
      .where('team_id', '=', teamId)
      .execute();
  });
  return gone.length;
}
