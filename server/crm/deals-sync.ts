/**
 * Deals both ways between Threadline and HubSpot, on the server.
 * - Out: a deal mutation applied by the sync push marks the deal's link row pending (same transaction,
 *   `enqueueDeals`); a round reads those deals' HubSpot state by their Threadline id, writes what Threadline
 *   may write (deals.ts) with a batch upsert keyed by the unique `threadline_deal_id` (a write repeated after
 *   a crash updates the same deal), associates contacts and company, then records the outcome.
 * - In: on a schedule, the deals HubSpot modified since the last poll (search on hs_lastmodifieddate); on
 *   demand, one deal (the thread panel's refresh). A HubSpot stage move newer than Threadline's becomes the
 *   deal's stage, with a `stage_changed` history row by "hubspot", synced down to the devices like any
 *   other change.
 */
import type { Deal, DealEvent } from '../../lib/domain/deal';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { ChangeWriter } from '../sync/changes';
import type { CrmConfig } from './config';
import { loadConnection, openSession, settingsOf, type ConnectionRow } from './connection';
import {
  dealWrite,
  hubspotMoveEventId,
  hubspotPipelineOf,
  hubspotStageOf,
  movedDeal,
  threadlineStageOf,
  type DealLinkState,
  type HubSpotDealState,
  type HubSpotPipeline,
  type ThreadlineStage,
} from './deals';
import { HubSpotDeals } from './deals-hubspot';
import { dealsDb, type DealsDb } from './deals-schema';
import { CrmDailyLimitError, CrmError } from './provider';

const ROUND = 500;
const MAX_ATTEMPTS = 8;
/** Re-read this much before the poll cursor: HubSpot's search index lags a few seconds behind writes. */
const POLL_OVERLAP_MS = 2 * 60_000;
const backoff = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));

export type DealCrashPoint = 'deals:claimed' | 'deals:answered' | 'deals:recording';

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
      oc.columns(['team_id', 'deal_id']).doUpdateSet({
        state: 'pending',
        attempts: 0,
        last_error: null,
        next_at: now,
        updated_at: now,
        // Each change queued moves the version, so a round that read an older one never marks it synced.
        version: sql<number>`crm_deal_links.version + 1`,
      }),
    )
    .execute();
}

interface StoredDeal {
  ownerUserId: string;
  deal: Deal;
}

interface PlaybookStages {
  pipelineId: string;
  stages: ThreadlineStage[];
}

type LinkRow = {
  deal_id: string;
  hubspot_id: string | null;
  hs_stage: string | null;
  written: unknown;
  associated: unknown;
  attempts: number;
  updated_at: number;
  version: number;
};

/** The columns a LinkRow is read with (the push round and the pull read the same). */
const LINK_COLUMNS = [
  'deal_id',
  'hubspot_id',
  'hs_stage',
  'written',
  'associated',
  'attempts',
  'updated_at',
  'version',
] as const;

const jsonOf = <T>(v: unknown, fallback: T): T =>
  v === null || v === undefined ? fallback : ((typeof v === 'string' ? JSON.parse(v) : v) as T);

const linkState = (l: LinkRow): DealLinkState => ({
  hubspotStage: l.hs_stage,
  written: jsonOf<Record<string, string>>(l.written, {}),
});

export interface DealSyncDeps {
  db: Db;
  log: Logger;
  now: () => number;
  config: CrmConfig;
  /** How often a team's HubSpot deals are polled (default one minute). */
  pollMs?: number;
  crashPoint?: (point: DealCrashPoint) => void;
}

export interface DealRoundResult {
  written: number;
  failed: number;
  /** HubSpot stage moves taken into Threadline. */
  pulled: number;
}

/** A HubSpot move Threadline takes: the deal, the stage it goes to, when HubSpot made it. */
interface Take {
  dealId: string;
  to: ThreadlineStage;
  at: number;
  hubspotStage: string;
}

export function createDealSync(deps: DealSyncDeps) {
  const db: DealsDb = dealsDb(deps.db);
  const crash = deps.crashPoint ?? (() => {});

  async function loadDeals(teamId: string, ids: string[]): Promise<Map<string, StoredDeal>> {
    const out = new Map<string, StoredDeal>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db
        .selectFrom('entities')
        .select(['id', 'owner_id', 'data'])
        .where('team_id', '=', teamId)
        .where('kind', '=', 'deal')
        .where('deleted', '=', false)
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) if (r.data) out.set(r.id, { ownerUserId: r.owner_id, deal: r.data as Deal });
    }
    return out;
  }

  async function loadPlaybooks(teamId: string): Promise<Map<string, PlaybookStages>> {
    const rows = await db
      .selectFrom('entities')
      .select('data')
      .where('team_id', '=', teamId)
      .where('kind', '=', 'playbook')
      .where('deleted', '=', false)
      .execute();
    const out = new Map<string, PlaybookStages>();
    for (const { data } of rows) {
      const p = data as { pipelineId?: string; stages?: ThreadlineStage[] } | null;
      if (p?.pipelineId && Array.isArray(p.stages))
        out.set(p.pipelineId, {
          pipelineId: p.pipelineId,
          stages: p.stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind ?? 'open' })),
        });
    }
    return out;
  }

  /** The stages of a pipeline: its playbook's, else the shipped playbook's stage ids (closed ones by id). */
  const stagesOf = (playbooks: Map<string, PlaybookStages>, pipelineId: string): ThreadlineStage[] =>
    playbooks.get(pipelineId)?.stages ??
    ['discovery', 'qualified', 'demo', 'proposal', 'negotiation', 'won', 'lost'].map((id) => ({
      id,
      name: id,
      kind: id === 'won' ? ('won' as const) : id === 'lost' ? ('lost' as const) : ('open' as const),
    }));

  /**
   * Writes what HubSpot answered into Threadline, in one transaction holding the team's sync lock: each
   * deal's HubSpot id (deal.crm) when it lacks it, and each HubSpot stage move that is still newer than the
   * deal's own stage, with its history row. Returns how many moves were taken.
   */
  async function applyToThreadline(
    trx: Db,
    teamId: string,
    crmIds: Map<string, string>,
    takes: Take[],
  ): Promise<number> {
    if (!crmIds.size && !takes.length) return 0;
    const w = await ChangeWriter.open(trx, teamId);
    const now = deps.now();
    let moved = 0;
    const ids = [...new Set([...crmIds.keys(), ...takes.map((t) => t.dealId)])];
    await w.prefetch(ids.map((id) => ({ kind: 'deal' as const, id })));
    for (const dealId of ids) {
      const row = await w.get('deal', dealId);
      if (!row || row.deleted || !row.data) continue;
      let deal = row.data as Deal;
      const before = deal;
      const crmId = crmIds.get(dealId);
      if (crmId && deal.crm?.id !== crmId) deal = { ...deal, crm: { provider: 'hubspot', id: crmId } };
      const take = takes.find((t) => t.dealId === dealId);
      const events: {
        id: string;
        row: { ownerId: string; shared: false; deleted: false; data: DealEvent };
      }[] = [];
      if (take && take.to.id !== deal.stageId && take.at > deal.stageEnteredAt) {
        const event: DealEvent = {
          id: hubspotMoveEventId(dealId, take.hubspotStage, take.at),
          dealId,
          at: take.at,
          by: 'hubspot',
          kind: 'stage_changed',
          data: { fromStageId: deal.stageId, toStageId: take.to.id },
        };
        deal = movedDeal(deal, take.to, take.at, now);
        events.push({
          id: event.id,
          row: { ownerId: row.ownerId, shared: false, deleted: false, data: event },
        });
        moved += 1;
      }
      if (deal !== before)
        await w.put('deal', dealId, { ...row, data: deal as unknown as Record<string, unknown> });
      if (events.length) await w.insertNew('deal_event', events);
    }
    await w.finish();
    return moved;
  }

  /** Writes a team's waiting deals to HubSpot. */
  async function pushTeam(
    conn: ConnectionRow,
    hubspot: HubSpotDeals,
    pipelines: () => Promise<HubSpotPipeline[]>,
  ) {
    const teamId = conn.team_id;
    const mapping = settingsOf(conn).deals;
    const now = deps.now();
    const result = { written: 0, failed: 0, pulled: 0 };
    const links = (await db
      .selectFrom('crm_deal_links')
      .select(LINK_COLUMNS)
      .where('team_id', '=', teamId)
      .where('state', '=', 'pending')
      .where('next_at', '<=', now)
      .orderBy('updated_at')
      .limit(ROUND)
      .execute()) as LinkRow[];
    if (!links.length) return result;
    crash('deals:claimed');
    const deals = await loadDeals(
      teamId,
      links.map((l) => l.deal_id),
    );
    const gone = links.filter((l) => !deals.has(l.deal_id) || !mapping.enabled);
    if (gone.length)
      await db
        .updateTable('crm_deal_links')
        .set({ state: 'synced', updated_at: now })
        .where('team_id', '=', teamId)
        .where(
          'deal_id',
          'in',
          gone.map((l) => l.deal_id),
        )
        .execute();
    const live = links.filter((l) => deals.has(l.deal_id) && mapping.enabled);
    if (!live.length) return result;
    try {
      await hubspot.prepare();
      const playbooks = await loadPlaybooks(teamId);
      const owners = new Map(
        (
          await db
            .selectFrom('crm_owner_map')
            .select(['user_id', 'owner_id'])
            .where('team_id', '=', teamId)
            .execute()
        ).map((o) => [o.user_id, o.owner_id]),
      );
      const factProps = Object.values(mapping.facts);
      const held = await hubspot.readByThreadlineId(
        live.map((l) => l.deal_id),
        factProps,
      );
      let known: HubSpotPipeline[] | undefined;
      const plans: {
        link: LinkRow;
        deal: Deal;
        properties: Record<string, string>;
        hubspotStage: string;
        hubspotAfter: string | null;
      }[] = [];
      const takes: Take[] = [];
      const refused = new Map<string, string>();
      for (const link of live) {
        const { deal, ownerUserId } = deals.get(link.deal_id)!;
        const stages = stagesOf(playbooks, deal.pipelineId);
        const stage = stages.find((s) => s.id === deal.stageId) ?? { id: deal.stageId, name: deal.stageId };
        let hsStage = hubspotStageOf(mapping, deal.pipelineId, stage, known);
        if (!hsStage && !known) {
          known = await pipelines();
          hsStage = hubspotStageOf(mapping, deal.pipelineId, stage, known);
        }
        if (!hsStage) {
          refused.set(
            link.deal_id,
            `stage “${stage.name}” of pipeline ${deal.pipelineId} has no HubSpot stage: map it under Settings → CRM`,
          );
          continue;
        }
        const hs = held.get(link.deal_id);
        const ownerId = owners.get(ownerUserId) ?? undefined;
        const { properties, decision } = dealWrite(
          deal,
          mapping,
          hs,
          linkState(link),
          { pipeline: hubspotPipelineOf(mapping, deal.pipelineId), stage: hsStage },
          ownerId ? { ownerId } : {},
        );
        if (decision.kind === 'take') {
          const to = threadlineStageOf(mapping, deal.pipelineId, decision.stage, stages, known);
          if (to) takes.push({ dealId: link.deal_id, to, at: decision.at, hubspotStage: decision.stage });
        }
        plans.push({
          link,
          deal,
          properties,
          hubspotStage: decision.kind === 'write' ? decision.stage : (hs?.properties.dealstage ?? hsStage),
          hubspotAfter: hs?.id ?? null,
        });
      }
      const toWrite = plans.filter((p) => !p.hubspotAfter || Object.keys(p.properties).length);
      const upserted = toWrite.length
        ? await hubspot.upsert(toWrite.map((p) => ({ dealId: p.deal.id, properties: p.properties })))
        : { ids: new Map<string, string>(), refused: new Map<string, string>() };
      const ids = upserted.ids;
      crash('deals:answered');
      // Deals HubSpot refused: failed with its message, never marked synced.
      for (const [dealId, message] of upserted.refused) refused.set(dealId, message);
      plans.splice(0, plans.length, ...plans.filter((p) => !upserted.refused.has(p.deal.id)));
      // Associations: the deal's contacts HubSpot has, and their company; each made once (remembered).
      const contactIdsOf = new Map<string, string[]>();
      const emails = new Map<string, string>();
      const contactRows = await db
        .selectFrom('entities')
        .select(['id', 'data'])
        .where('team_id', '=', teamId)
        .where('kind', '=', 'contact')
        .where('deleted', '=', false)
        .where('id', 'in', [...new Set(plans.flatMap((p) => p.deal.contacts.map((c) => c.contactId))), ''])
        .execute();
      for (const r of contactRows) {
        const email = (r.data as { email?: string } | null)?.email;
        if (email) emails.set(r.id, email.toLowerCase());
      }
      const hsContacts = await hubspot.contactIds([...emails.values()]);
      for (const p of plans)
        contactIdsOf.set(
          p.deal.id,
          p.deal.contacts
            .map((c) => hsContacts.get(emails.get(c.contactId) ?? ''))
            .filter((id): id is string => !!id),
        );
      const companies = await hubspot.companiesOf([...contactIdsOf.values()].flat());
      const pairs: { dealId: string; to: 'contacts' | 'companies'; toId: string }[] = [];
      const associatedAfter = new Map<string, string[]>();
      for (const p of plans) {
        const hubspotId = ids.get(p.deal.id) ?? p.hubspotAfter;
        if (!hubspotId) continue;
        const done = new Set(jsonOf<string[]>(p.link.associated, []));
        const contacts = contactIdsOf.get(p.deal.id) ?? [];
        const company = contacts.map((c) => companies.get(c)).find((c) => c);
        const wanted = [
          ...contacts.map((c) => ({ dealId: hubspotId, to: 'contacts' as const, toId: c })),
          ...(company ? [{ dealId: hubspotId, to: 'companies' as const, toId: company }] : []),
        ];
        const fresh = wanted.filter((x) => !done.has(`${x.to}:${x.toId}`));
        pairs.push(...fresh);
        associatedAfter.set(p.deal.id, [...done, ...fresh.map((x) => `${x.to}:${x.toId}`)]);
      }
      if (pairs.length) await hubspot.associate(pairs);
      const at = deps.now();
      await deps.db.transaction().execute(async (trx) => {
        const tdb = dealsDb(trx);
        for (const p of plans) {
          crash('deals:recording');
          const hubspotId = ids.get(p.deal.id) ?? p.hubspotAfter;
          const written = { ...linkState(p.link).written, ...p.properties };
          // What HubSpot now holds is recorded either way (so the next round knows its own values)...
          await tdb
            .updateTable('crm_deal_links')
            .set({
              hubspot_id: hubspotId,
              hs_stage: p.hubspotStage,
              hs_modified_at: at,
              written: JSON.stringify(written),
              associated: JSON.stringify(associatedAfter.get(p.deal.id) ?? jsonOf(p.link.associated, [])),
              updated_at: at,
            })
            .where('team_id', '=', teamId)
            .where('deal_id', '=', p.deal.id)
            .execute();
          // ...but a newer change queued meanwhile (a newer version) stays pending.
          await tdb
            .updateTable('crm_deal_links')
            .set({ state: 'synced', attempts: 0, last_error: null })
            .where('team_id', '=', teamId)
            .where('deal_id', '=', p.deal.id)
            .where('version', '=', Number(p.link.version))
            .execute();
          result.written += 1;
        }
        for (const [dealId, message] of refused) {
          result.failed += 1;
          await tdb
            .updateTable('crm_deal_links')
            .set({ state: 'failed', last_error: message, updated_at: at })
            .where('team_id', '=', teamId)
            .where('deal_id', '=', dealId)
            .execute();
        }
        const crmIds = new Map<string, string>();
        for (const p of plans) {
          const hubspotId = ids.get(p.deal.id) ?? p.hubspotAfter;
          if (hubspotId && p.deal.crm?.id !== hubspotId) crmIds.set(p.deal.id, hubspotId);
        }
        result.pulled += await applyToThreadline(trx, teamId, crmIds, takes);
      });
    } catch (error) {
      if (error instanceof CrmDailyLimitError) throw error;
      const e = error instanceof CrmError ? error : new CrmError(String(error), 0, true);
      if (e.status === 0 && !(error instanceof CrmError)) throw error; // a crash or a database error
      const at = deps.now();
      for (const link of live) {
        const attempts = link.attempts + 1;
        const giveUp = !e.retryable || attempts >= MAX_ATTEMPTS;
        if (giveUp) result.failed += 1;
        await db
          .updateTable('crm_deal_links')
          .set({
            state: giveUp ? 'failed' : 'pending',
            attempts,
            last_error: `HubSpot: ${e.message}`.slice(0, 2000),
            next_at: at + backoff(attempts),
            updated_at: at,
          })
          .where('team_id', '=', teamId)
          .where('deal_id', '=', link.deal_id)
          .execute();
      }
    }
    return result;
  }

  /**
   * HubSpot's state of linked deals into Threadline: a stage HubSpot moved (not the one last written or
   * read) is taken when HubSpot's change is newer; when Threadline's is newer, the deal is queued to be
   * written again (Threadline wins).
   */
  async function pullStates(
    conn: ConnectionRow,
    states: HubSpotDealState[],
    pipelines: () => Promise<HubSpotPipeline[]>,
  ): Promise<number> {
    const teamId = conn.team_id;
    const mapping = settingsOf(conn).deals;
    const byDeal = new Map<string, HubSpotDealState>();
    for (const s of states) {
      const id = s.properties.threadline_deal_id;
      if (id) byDeal.set(id, s);
    }
    if (!byDeal.size || !mapping.enabled) return 0;
    const links = (await db
      .selectFrom('crm_deal_links')
      .select(LINK_COLUMNS)
      .where('team_id', '=', teamId)
      .where('deal_id', 'in', [...byDeal.keys()])
      .execute()) as LinkRow[];
    const moved = links.filter((l) => {
      const s = byDeal.get(l.deal_id)!;
      return s.properties.dealstage && s.properties.dealstage !== l.hs_stage;
    });
    if (!moved.length) return 0;
    const deals = await loadDeals(
      teamId,
      moved.map((l) => l.deal_id),
    );
    const playbooks = await loadPlaybooks(teamId);
    let known: HubSpotPipeline[] | undefined;
    const takes: Take[] = [];
    const seen: { dealId: string; stage: string }[] = [];
    const again: string[] = [];
    for (const link of moved) {
      const stored = deals.get(link.deal_id);
      const s = byDeal.get(link.deal_id)!;
      const hsStage = s.properties.dealstage!;
      if (!stored) continue;
      const { deal } = stored;
      const stages = stagesOf(playbooks, deal.pipelineId);
      let to = threadlineStageOf(mapping, deal.pipelineId, hsStage, stages, known);
      if (!to && !known) {
        known = await pipelines();
        to = threadlineStageOf(mapping, deal.pipelineId, hsStage, stages, known);
      }
      if (!to) {
        deps.log.info(
          { team: teamId, deal: deal.id, stage: hsStage },
          'crm: a HubSpot stage with no Threadline stage',
        );
        continue;
      }
      if (to.id === deal.stageId) seen.push({ dealId: deal.id, stage: hsStage });
      else if (s.stageAt > deal.stageEnteredAt)
        takes.push({ dealId: deal.id, to, at: s.stageAt, hubspotStage: hsStage });
      else again.push(deal.id);
    }
    const now = deps.now();
    let pulled = 0;
    await deps.db.transaction().execute(async (trx) => {
      const tdb = dealsDb(trx);
      for (const x of [...seen, ...takes.map((t) => ({ dealId: t.dealId, stage: t.hubspotStage }))])
        await tdb
          .updateTable('crm_deal_links')
          .set({ hs_stage: x.stage, hs_modified_at: byDeal.get(x.dealId)!.modifiedAt, updated_at: now })
          .where('team_id', '=', teamId)
          .where('deal_id', '=', x.dealId)
          .execute();
      if (again.length) await enqueueDeals(trx, teamId, again, now);
      pulled = await applyToThreadline(trx, teamId, new Map(), takes);
    });
    return pulled;
  }

  function sessionFor(conn: ConnectionRow) {
    const session = openSession(crmDbOf(), deps.config, deps.log, conn, deps.now);
    const hubspot = new HubSpotDeals(session.client);
    let cached: Promise<HubSpotPipeline[]> | undefined;
    return { session, hubspot, pipelines: () => (cached ??= hubspot.pipelines()) };
  }
  const crmDbOf = () => db as unknown as Parameters<typeof openSession>[0];

  /** One round for a team: its waiting deals out, then (when due, or `poll: 'now'`) HubSpot's changes in. */
  async function runTeam(
    teamId: string,
    opts: { poll?: 'due' | 'now' | 'never' } = {},
  ): Promise<DealRoundResult> {
    const result: DealRoundResult = { written: 0, failed: 0, pulled: 0 };
    const conn = await loadConnection(crmDbOf(), teamId);
    const now = deps.now();
    if (!conn || (conn.blocked_until !== null && conn.blocked_until > now)) return result;
    if (!settingsOf(conn).deals.enabled) return result;
    const { session, hubspot, pipelines } = sessionFor(conn);
    try {
      const pushed = await pushTeam(conn, hubspot, pipelines);
      result.written += pushed.written;
      result.failed += pushed.failed;
      result.pulled += pushed.pulled;
      const poll = opts.poll ?? 'due';
      if (poll === 'never') return result;
      const cursor = await db
        .selectFrom('crm_deal_cursor')
        .selectAll()
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (poll === 'due' && cursor && cursor.polled_at + (deps.pollMs ?? 60_000) > now) return result;
      const linked = await db
        .selectFrom('crm_deal_links')
        .select('deal_id')
        .where('team_id', '=', teamId)
        .where('hubspot_id', 'is not', null)
        .limit(1)
        .executeTakeFirst();
      if (!linked) return result;
      const since = Math.max(0, (cursor?.polled_to ?? 0) - POLL_OVERLAP_MS);
      const states = await hubspot.modifiedSince(since, Object.values(settingsOf(conn).deals.facts));
      result.pulled += await pullStates(conn, states, pipelines);
      const polledTo = Math.max(cursor?.polled_to ?? 0, ...states.map((s) => s.modifiedAt));
      await db
        .insertInto('crm_deal_cursor')
        .values({ team_id: teamId, polled_to: polledTo, polled_at: now })
        .onConflict((oc) => oc.column('team_id').doUpdateSet({ polled_to: polledTo, polled_at: now }))
        .execute();
      return result;
    } catch (error) {
      if (error instanceof CrmDailyLimitError) {
        await db
          .updateTable('crm_connections')
          .set({
            blocked_until: Math.floor(now / 86_400_000 + 1) * 86_400_000,
            last_error: `HubSpot: ${error.message}`,
          })
          .where('team_id', '=', teamId)
          .execute();
        return result;
      }
      throw error;
    } finally {
      await session.record();
    }
  }

  /**
   * The thread panel's refresh: HubSpot's state of one deal, now. Returns whether Threadline's stage moved
   * and the stage the deal is in; `linked: false` when the deal has no HubSpot deal yet.
   */
  async function refresh(
    teamId: string,
    dealId: string,
  ): Promise<{ linked: boolean; moved: boolean; stageId?: string; hubspotId?: string }> {
    const conn = await loadConnection(crmDbOf(), teamId);
    if (!conn) return { linked: false, moved: false };
    const link = await db
      .selectFrom('crm_deal_links')
      .select(['hubspot_id'])
      .where('team_id', '=', teamId)
      .where('deal_id', '=', dealId)
      .executeTakeFirst();
    if (!link?.hubspot_id) return { linked: false, moved: false };
    const { session, hubspot, pipelines } = sessionFor(conn);
    try {
      const state = await hubspot.read(link.hubspot_id, Object.values(settingsOf(conn).deals.facts));
      if (!state) return { linked: false, moved: false };
      const moved = (await pullStates(conn, [state], pipelines)) > 0;
      const stored = (await loadDeals(teamId, [dealId])).get(dealId);
      return {
        linked: true,
        moved,
        hubspotId: link.hubspot_id,
        ...(stored ? { stageId: stored.deal.stageId } : {}),
      };
    } finally {
      await session.record();
    }
  }

  /** Teams with deals waiting, and (for polling) every connected team. */
  async function teamsDue(): Promise<string[]> {
    const rows = await db.selectFrom('crm_connections').select('team_id').execute();
    return rows.map((r) => r.team_id);
  }

  return { runTeam, refresh, teamsDue };
}

export type DealSync = ReturnType<typeof createDealSync>;

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
