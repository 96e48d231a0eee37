/**
 * The deal links against the connection they were made under. Before a team's first deal round after a
 * connect or reconnect (the connection's `connected_at` is not the one the links were settled for), every deal
 * not linked yet is queued for HubSpot, so deals made before the connect reach it too. When the new connection
 * is to another HubSpot portal, the old links (and the deals' HubSpot ids, which point into the old portal)
 * are dropped first, so every deal is created again in the new portal; Settings → CRM says so
 * (`dealsPortalChange`, read by routes.ts's status).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { ConnectionRow } from './connection';
import { queueUnlinked } from './deals-queue';
import { dealsDb } from './deals-schema';
import { applyToThreadline, type DealRoundContext } from './deals-store';

type Connection = Pick<ConnectionRow, 'team_id' | 'portal_id' | 'connected_at'>;

/** Settles the team's deal links for this connection, when not done yet. Returns whether it did anything. */
export async function settleConnection(ctx: DealRoundContext, conn: Connection): Promise<boolean> {
  const teamId = conn.team_id;
  const cursor = await ctx.db
    .selectFrom('crm_deal_cursor')
    .select(['portal_id', 'connected_at'])
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  const samePortal = !cursor?.portal_id || cursor.portal_id === conn.portal_id;
  if (cursor && samePortal && Number(cursor.connected_at) === Number(conn.connected_at)) return false;
  const now = ctx.now();
  await ctx.raw.transaction().execute(async (trx) => {
    const db = dealsDb(trx);
    if (!samePortal) {
      const linked = await db
        .selectFrom('entities')
        .select('id')
        .where('team_id', '=', teamId)
        .where('kind', '=', 'deal')
        .where('deleted', '=', false)
        .where(sql<boolean>`data->'crm' is not null`)
        .execute();
      await applyToThreadline(trx, teamId, now, { unlinked: linked.map((r) => r.id) });
      await db.deleteFrom('crm_deal_links').where('team_id', '=', teamId).execute();
    }
    const requeued = await queueUnlinked(trx, teamId, now);
    const settled = { portal_id: conn.portal_id, connected_at: conn.connected_at };
    const change = samePortal
      ? {}
      : {
          previous_portal_id: cursor!.portal_id,
          portal_changed_at: now,
          requeued,
          // The old portal's modification times and sweep position mean nothing in the new one.
          polled_to: 0,
          polled_at: 0,
          swept_to: null,
        };
    await db
      .insertInto('crm_deal_cursor')
      .values({ team_id: teamId, polled_to: 0, polled_at: 0, ...settled, ...change })
      .onConflict((oc) => oc.column('team_id').doUpdateSet({ ...settled, ...change }))
      .execute();
  });
  if (!samePortal)
    ctx.log.info(
      { team: teamId, from: cursor!.portal_id, to: conn.portal_id },
      'crm: another HubSpot portal: deal links dropped, deals queued to be created there',
    );
  return true;
}

/** What Settings → CRM says of a change of portal (null when there was none). */
export interface DealsPortalChange {
  /** The portal the deals were linked in before. */
  previousPortalId: string;
  /** When the links were dropped; null: at the next deal round (moments after connecting). */
  at: number | null;
  /** How many deals were queued to be created in the connected portal. */
  requeued: number | null;
}

export async function dealsPortalChange(
  raw: Db,
  teamId: string,
  portalId: string,
): Promise<DealsPortalChange | null> {
  const cursor = await dealsDb(raw)
    .selectFrom('crm_deal_cursor')
    .select(['portal_id', 'previous_portal_id', 'portal_changed_at', 'requeued'])
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  if (!cursor) return null;
  if (cursor.portal_id && cursor.portal_id !== portalId)
    return { previousPortalId: cursor.portal_id, at: null, requeued: null };
  if (!cursor.previous_portal_id) return null;
  return {
    previousPortalId: cursor.previous_portal_id,
    at: cursor.portal_changed_at === null ? null : Number(cursor.portal_changed_at),
    requeued: cursor.requeued,
  };
}
