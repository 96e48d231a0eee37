/**
 * The deal links against the connection they were made under. Before a team's first deal round after a
 * connect or reconnect (the connection's `connected_at` is not the one the links were settled for), every deal
 * not linked yet is queued for HubSpot, so deals made before the connect reach it too. When the new connection
 * is to another HubSpot portal, the old links (and the deals' HubSpot ids, which point into the old portal)
 * are dropped first, so every deal is created again in the new portal; Settings → CRM says so
 * (`dealsPortalChange`, read by status.ts). A connection whose portal is unknown (an empty portal id) changes
 * nothing: the links stay as they are and no deal round runs for the team (deals-sync.ts).
 */
import { sql } from 'kysely';
import type { CrmPortalChange } from '../../lib/contract/crm';
import type { Db } from '../db/database';
import type { ConnectionRow } from './connection';
import { queueUnlinked } from './deals-queue';
import { dealsDb } from './deals-schema';
import { applyToThreadline, type DealRoundContext } from './deals-store';

type Connection = Pick<ConnectionRow, 'team_id' | 'portal_id' | 'connected_at'>;

/** Settles the team's deal links for this connection, when not done yet. Returns whether it did anything. */
export async function settleConnection(ctx: DealRoundContext, conn: Connection): Promise<boolean> {
  const teamId = conn.team_id;
  // An unknown portal is not another portal: nothing is dropped or queued on its account.
  if (!conn.portal_id) return false;
  const peek = await ctx.db
    .selectFrom('crm_deal_cursor')
    .select(['portal_id', 'connected_at'])
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  if (peek && isSettled(peek, conn)) return false;
  const now = ctx.now();
  let from: string | null = null;
  const did = await ctx.raw.transaction().execute(async (trx) => {
    const db = dealsDb(trx);
    // The cursor row locked first: a push round records under the same lock (stillSettled), so it either
    // records before the links are reset or sees that they were.
    const cursor = await db
      .selectFrom('crm_deal_cursor')
      .select(['portal_id', 'connected_at'])
      .where('team_id', '=', teamId)
      .forUpdate()
      .executeTakeFirst();
    if (cursor && isSettled(cursor, conn)) return false;
    const samePortal = !cursor?.portal_id || cursor.portal_id === conn.portal_id;
    let reset = 0;
    if (!samePortal) {
      from = cursor!.portal_id;
      const linked = await db
        .selectFrom('entities')
        .select('id')
        .where('team_id', '=', teamId)
        .where('kind', '=', 'deal')
        .where('deleted', '=', false)
        .where(sql<boolean>`data->'crm' is not null`)
        .execute();
      await applyToThreadline(trx, teamId, now, { unlinked: linked.map((r) => r.id) });
      reset = await resetLinks(trx, teamId, now);
    }
    const requeued = reset + (await queueUnlinked(trx, teamId, now));
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
    return true;
  });
  if (from !== null)
    ctx.log.info(
      { team: teamId, from, to: conn.portal_id },
      'crm: another HubSpot portal: deal links dropped, deals queued to be created there',
    );
  return did;
}

const isSettled = (cursor: { portal_id: string | null; connected_at: number | null }, conn: Connection) =>
  (!cursor.portal_id || cursor.portal_id === conn.portal_id) &&
  Number(cursor.connected_at) === Number(conn.connected_at);

/**
 * The links into the old portal, emptied in place: each live deal's link waits to be created in the new
 * portal, at a version no round of the old connection read (so none of its outcomes lands on it); links of
 * deleted deals go.
 */
async function resetLinks(trx: Db, teamId: string, now: number): Promise<number> {
  const db = dealsDb(trx);
  await db
    .deleteFrom('crm_deal_links')
    .where('team_id', '=', teamId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('entities')
            .select('entities.id')
            .whereRef('entities.id', '=', 'crm_deal_links.deal_id')
            .where('entities.team_id', '=', teamId)
            .where('entities.kind', '=', 'deal')
            .where('entities.deleted', '=', false),
        ),
      ),
    )
    .execute();
  const hit = await db
    .updateTable('crm_deal_links')
    .set({
      hubspot_id: null,
      state: 'pending',
      attempts: 0,
      last_error: null,
      next_at: now,
      hs_stage: null,
      hs_modified_at: null,
      written: JSON.stringify({}),
      associated: JSON.stringify([]),
      removed_at: null,
      updated_at: now,
      version: sql<number>`crm_deal_links.version + 1`,
    })
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return Number(hit.numUpdatedRows);
}

/**
 * In a round's recording transaction: whether the team's links are still settled for the connection the
 * round read (no reconnect meanwhile). Locks the cursor row until the transaction ends, so a reconnect's
 * settling waits for the recording or the recording sees it.
 */
export async function stillSettled(trx: Db, conn: Connection): Promise<boolean> {
  const cursor = await dealsDb(trx)
    .selectFrom('crm_deal_cursor')
    .select(['portal_id', 'connected_at'])
    .where('team_id', '=', conn.team_id)
    .forUpdate()
    .executeTakeFirst();
  return (
    !!cursor &&
    cursor.portal_id === conn.portal_id &&
    Number(cursor.connected_at) === Number(conn.connected_at)
  );
}

/** What Settings → CRM says of a change of portal (null when there was none). */
export async function dealsPortalChange(
  raw: Db,
  teamId: string,
  portalId: string,
): Promise<CrmPortalChange | null> {
  const cursor = await dealsDb(raw)
    .selectFrom('crm_deal_cursor')
    .select(['portal_id', 'previous_portal_id', 'portal_changed_at', 'requeued'])
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  if (!cursor) return null;
  if (portalId && cursor.portal_id && cursor.portal_id !== portalId)
    return { previousPortalId: cursor.portal_id, at: null, requeued: null };
  if (!cursor.previous_portal_id) return null;
  return {
    previousPortalId: cursor.previous_portal_id,
    at: cursor.portal_changed_at === null ? null : Number(cursor.portal_changed_at),
    requeued: cursor.requeued,
  };
}
