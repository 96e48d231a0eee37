/**
 * The deal bridge's reads and its one write into Threadline: the deals, playbook stages and link rows a round
 * works from, and `applyToThreadline`, which puts what HubSpot answered on the synced deals (HubSpot ids, stage
 * moves with their history rows, deals HubSpot removed, links into a portal no longer connected), so the
 * devices receive it by the next pull like any other change.
 */
import type { Deal, DealEvent } from '../../lib/domain/deal';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { ChangeWriter } from '../sync/changes';
import { hubspotMoveEventId, movedDeal, type DealLinkState, type ThreadlineStage } from './deals';
import type { DealsDb } from './deals-schema';

export type DealCrashPoint = 'deals:claimed' | 'deals:answered' | 'deals:recording';

/** What every part of a round works with. */
export interface DealRoundContext {
  /** The database with the deal bridge's tables. */
  db: DealsDb;
  /** The same database for transactions and the sync's ChangeWriter. */
  raw: Db;
  log: Logger;
  now: () => number;
  crash: (point: DealCrashPoint) => void;
}

export interface StoredDeal {
  ownerUserId: string;
  deal: Deal;
}

interface PlaybookStages {
  pipelineId: string;
  stages: ThreadlineStage[];
}

export type LinkRow = {
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
export const LINK_COLUMNS = [
  'deal_id',
  'hubspot_id',
  'hs_stage',
  'written',
  'associated',
  'attempts',
  'updated_at',
  'version',
] as const;

export const jsonOf = <T>(v: unknown, fallback: T): T =>
  v === null || v === undefined ? fallback : ((typeof v === 'string' ? JSON.parse(v) : v) as T);

export const linkState = (l: LinkRow): DealLinkState => ({
  hubspotStage: l.hs_stage,
  written: jsonOf<Record<string, string>>(l.written, {}),
});

/** A HubSpot move Threadline takes: the deal, the stage it goes to, when HubSpot made it. */
export interface Take {
  dealId: string;
  to: ThreadlineStage;
  at: number;
  hubspotStage: string;
}

export async function loadDeals(
  db: DealsDb,
  teamId: string,
  ids: string[],
): Promise<Map<string, StoredDeal>> {
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

export type Playbooks = Map<string, PlaybookStages>;

export async function loadPlaybooks(db: DealsDb, teamId: string): Promise<Playbooks> {
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
export const stagesOf = (playbooks: Playbooks, pipelineId: string): ThreadlineStage[] =>
  playbooks.get(pipelineId)?.stages ??
  ['discovery', 'qualified', 'demo', 'proposal', 'negotiation', 'won', 'lost'].map((id) => ({
    id,
    name: id,
    kind: id === 'won' ? ('won' as const) : id === 'lost' ? ('lost' as const) : ('open' as const),
  }));

/** What a transaction writes onto Threadline's deals. */
export interface ThreadlineChanges {
  /** HubSpot ids to record on deals that lack them. */
  crmIds?: Map<string, string>;
  /** HubSpot moves to take, each still only when newer than the deal's own stage. */
  takes?: Take[];
  /** Deals HubSpot no longer has: their HubSpot id and when that was found. */
  removed?: Map<string, { hubspotId: string; at: number }>;
  /** Deals whose HubSpot link points into a portal no longer connected: the link is taken off. */
  unlinked?: string[];
}

/**
 * Writes what HubSpot answered into Threadline, in one transaction holding the team's sync lock: each deal's
 * HubSpot id (deal.crm) when it lacks it, each HubSpot stage move that is still newer than the deal's own
 * stage (with its history row), a removal mark, or the link taken off. Returns how many moves were taken.
 */
export async function applyToThreadline(
  trx: Db,
  teamId: string,
  now: number,
  changes: ThreadlineChanges,
): Promise<number> {
  const { crmIds = new Map<string, string>(), takes = [], removed = new Map(), unlinked = [] } = changes;
  const ids = [...new Set([...crmIds.keys(), ...takes.map((t) => t.dealId), ...removed.keys(), ...unlinked])];
  if (!ids.length) return 0;
  const w = await ChangeWriter.open(trx, teamId);
  let moved = 0;
  await w.prefetch(ids.map((id) => ({ kind: 'deal' as const, id })));
  for (const dealId of ids) {
    const row = await w.get('deal', dealId);
    if (!row || row.deleted || !row.data) continue;
    let deal = row.data as Deal;
    const before = deal;
    const crmId = crmIds.get(dealId);
    if (crmId && deal.crm?.id !== crmId) deal = { ...deal, crm: { provider: 'hubspot', id: crmId } };
    const gone = removed.get(dealId);
    if (gone && !deal.crm?.removedAt)
      deal = { ...deal, crm: { provider: 'hubspot', id: gone.hubspotId, removedAt: gone.at } };
    if (unlinked.includes(dealId) && deal.crm) {
      const { crm: _old, ...rest } = deal;
      deal = rest;
    }
    const take = takes.find((t) => t.dealId === dealId);
    const events: { id: string; row: { ownerId: string; shared: false; deleted: false; data: DealEvent } }[] =
      [];
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
