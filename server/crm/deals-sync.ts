/**
 * Deals both ways between Threadline and HubSpot, on the server: a team's round settles its links for the
 * connection (deals-portal.ts), writes its waiting deals out (deals-push.ts), then, when due, reads HubSpot's
 * changes in: the deals HubSpot modified since the last poll (search on hs_lastmodifieddate, deals-pull.ts)
 * and the next linked deals checked for removal (deals-removed.ts). On demand, one deal (the thread panel's
 * refresh). What waits is queued by deals-queue.ts.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import type { CrmConfig } from './config';
import { loadConnection, openSession, settingsOf, type ConnectionRow } from './connection';
import { blockUntilMidnight } from './daily-limit';
import type { HubSpotPipeline } from './deals';
import type { ContactsAhead } from './deals-associate';
import { HubSpotDeals } from './deals-hubspot';
import { settleConnection } from './deals-portal';
import { pullStates } from './deals-pull';
import { pushTeam, type DealRoundResult } from './deals-push';
import { recordRemoved, sweepRemoved } from './deals-removed';
import { dealsDb } from './deals-schema';
import { loadDeals, type DealCrashPoint, type DealRoundContext } from './deals-store';
import { CrmDailyLimitError } from './provider';

export type { DealCrashPoint } from './deals-store';
export type { DealRoundResult } from './deals-push';
export { dealIdsOf, enqueueDeals } from './deals-queue';

/** Re-read this much before the poll cursor: HubSpot's search index lags a few seconds behind writes. */
const POLL_OVERLAP_MS = 2 * 60_000;

export interface DealSyncDeps {
  db: Db;
  log: Logger;
  now: () => number;
  config: CrmConfig;
  /** How often a team's HubSpot deals are polled (default one minute). */
  pollMs?: number;
  crashPoint?: (point: DealCrashPoint) => void;
  /** The contacts (by lower-case email) and companies the worker's round already resolved for the team. */
  contactsAhead?: (teamId: string) => ContactsAhead | undefined;
}

export function createDealSync(deps: DealSyncDeps) {
  const db = dealsDb(deps.db);
  const pollMs = deps.pollMs ?? 60_000;
  const ctx: DealRoundContext = {
    db,
    raw: deps.db,
    log: deps.log,
    now: deps.now,
    crash: deps.crashPoint ?? (() => {}),
  };
  const crmDbOf = () => db as unknown as Parameters<typeof openSession>[0];

  /** Per team, the connection (its connect time) whose deal id property was checked: checked once per connection. */
  const propertyChecked = new Map<string, number>();

  function sessionFor(conn: ConnectionRow) {
    const session = openSession(crmDbOf(), deps.config, deps.log, conn, deps.now);
    const hubspot = new HubSpotDeals(
      session.client,
      propertyChecked.get(conn.team_id) === Number(conn.connected_at),
    );
    let cached: Promise<HubSpotPipeline[]> | undefined;
    return { session, hubspot, pipelines: () => (cached ??= hubspot.pipelines()) };
  }

  /** HubSpot's changes in: the deals modified since the last poll, and the next linked deals' removal check. */
  async function poll(
    conn: ConnectionRow,
    hubspot: HubSpotDeals,
    pipelines: () => Promise<HubSpotPipeline[]>,
  ) {
    const teamId = conn.team_id;
    const now = deps.now();
    const cursor = await db
      .selectFrom('crm_deal_cursor')
      .select(['polled_to', 'swept_to'])
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    const linked = await db
      .selectFrom('crm_deal_links')
      .select('deal_id')
      .where('team_id', '=', teamId)
      .where('hubspot_id', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    if (!linked) {
      // Nothing in HubSpot to read yet: the poll is done until the next one is due.
      await db.updateTable('crm_deal_cursor').set({ polled_at: now }).where('team_id', '=', teamId).execute();
      return 0;
    }
    const since = Math.max(0, Number(cursor?.polled_to ?? 0) - POLL_OVERLAP_MS);
    const states = await hubspot.modifiedSince(since, Object.values(settingsOf(conn).deals.facts));
    const pulled = await pullStates(ctx, conn, states, pipelines, (ids) => hubspot.stageTimes(ids));
    const polledTo = Math.max(Number(cursor?.polled_to ?? 0), ...states.map((s) => s.modifiedAt));
    await db
      .insertInto('crm_deal_cursor')
      .values({ team_id: teamId, polled_to: polledTo, polled_at: now })
      .onConflict((oc) => oc.column('team_id').doUpdateSet({ polled_to: polledTo, polled_at: now }))
      .execute();
    await sweepRemoved(ctx, teamId, hubspot, cursor?.swept_to ?? null);
    return pulled;
  }

  /** One round for a team: its waiting deals out, then (when due, or `poll: 'now'`) HubSpot's changes in. */
  async function runTeam(
    teamId: string,
    opts: { poll?: 'due' | 'now' | 'never' } = {},
  ): Promise<DealRoundResult> {
    const result: DealRoundResult = { written: 0, failed: 0, pulled: 0 };
    const conn = await loadConnection(crmDbOf(), teamId);
    const now = deps.now();
    if (!conn || (conn.blocked_until !== null && conn.blocked_until > now)) return result;
    // A connection whose portal is unknown: the links cannot be told apart from another portal's; no round.
    if (!conn.portal_id) return result;
    // Before anything reads a link: links into another portal must not be used, even with deals turned off.
    await settleConnection(ctx, conn);
    if (!settingsOf(conn).deals.enabled) return result;
    const { session, hubspot, pipelines } = sessionFor(conn);
    try {
      const pushed = await pushTeam(ctx, conn, hubspot, pipelines, deps.contactsAhead?.(teamId));
      // Checked again after any refusal (the property may have been deleted in HubSpot meanwhile).
      if (pushed.failed) propertyChecked.delete(teamId);
      else if (hubspot.isPrepared) propertyChecked.set(teamId, Number(conn.connected_at));
      result.written += pushed.written;
      result.failed += pushed.failed;
      result.pulled += pushed.pulled;
      const when = opts.poll ?? 'due';
      if (when === 'never') return result;
      if (when === 'due') {
        const cursor = await db
          .selectFrom('crm_deal_cursor')
          .select('polled_at')
          .where('team_id', '=', teamId)
          .executeTakeFirst();
        if (cursor && Number(cursor.polled_at) + pollMs > now) return result;
      }
      result.pulled += await poll(conn, hubspot, pipelines);
      return result;
    } catch (error) {
      if (error instanceof CrmDailyLimitError) {
        await blockUntilMidnight(crmDbOf(), teamId, now, error.message);
        return result;
      }
      throw error;
    } finally {
      await session.record();
    }
  }

  /**
   * The thread panel's refresh: HubSpot's state of one deal, now. Returns whether Threadline's stage moved
   * and the stage the deal is in; `linked: false` when the deal has no HubSpot deal (yet, or any more).
   */
  async function refresh(
    teamId: string,
    dealId: string,
  ): Promise<{ linked: boolean; moved: boolean; stageId?: string; hubspotId?: string }> {
    const conn = await loadConnection(crmDbOf(), teamId);
    if (!conn?.portal_id) return { linked: false, moved: false };
    await settleConnection(ctx, conn);
    const link = await db
      .selectFrom('crm_deal_links')
      .select(['hubspot_id', 'state'])
      .where('team_id', '=', teamId)
      .where('deal_id', '=', dealId)
      .executeTakeFirst();
    if (!link?.hubspot_id || link.state === 'removed') return { linked: false, moved: false };
    const hubspotId = link.hubspot_id;
    const { session, hubspot, pipelines } = sessionFor(conn);
    try {
      const state = await hubspot.read(hubspotId, Object.values(settingsOf(conn).deals.facts));
      if (!state) {
        // Deleted or archived in HubSpot: the deal stays, marked removed (the devices get it by the pull).
        const at = deps.now();
        await deps.db.transaction().execute((trx) => recordRemoved(trx, teamId, [{ dealId, hubspotId }], at));
        return { linked: false, moved: false };
      }
      const moved = (await pullStates(ctx, conn, [state], pipelines)) > 0;
      const stored = (await loadDeals(db, teamId, [dealId])).get(dealId);
      return { linked: true, moved, hubspotId, ...(stored ? { stageId: stored.deal.stageId } : {}) };
    } finally {
      await session.record();
    }
  }

  /**
   * The teams with deal work now, read in one query (no connection rows, no tokens): not held by the daily
   * limit, and either links to settle after a (re)connect, or deals on with deals waiting or a poll due.
   */
  async function teamsDue(): Promise<string[]> {
    const now = deps.now();
    const rows = await sql<{ team_id: string }>`
      select c.team_id from crm_connections c
      left join crm_deal_cursor k on k.team_id = c.team_id
      where (c.blocked_until is null or c.blocked_until <= ${now})
        and c.portal_id <> ''
        and (
          k.team_id is null
          or k.connected_at is distinct from c.connected_at
          or (k.portal_id is not null and k.portal_id <> c.portal_id)
          or (
            coalesce(c.settings->'deals'->>'enabled', 'true') <> 'false'
            and (
              k.polled_at + ${pollMs} <= ${now}
              or exists (
                select 1 from crm_deal_links l
                where l.team_id = c.team_id and l.state = 'pending' and l.next_at <= ${now}
              )
            )
          )
        )`.execute(deps.db);
    return rows.rows.map((r) => r.team_id);
  }

  return { runTeam, refresh, teamsDue };
}

export type DealSync = ReturnType<typeof createDealSync>;
