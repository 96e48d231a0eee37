/**
 * In: HubSpot's state of linked deals into Threadline. A stage HubSpot moved (not the one last written or
 * read) is taken when HubSpot's move is newer than Threadline's, as the deal's stage with a `stage_changed`
 * history row by "hubspot" (deals-store.ts), synced to the devices, where the owner's device runs the stage's
 * "enter" automations once (lib/background/deal-hubspot-entries.ts). When Threadline's move is newer, the
 * deal is queued to be written again (Threadline wins).
 */
import type { Deal } from '../../lib/domain/deal';
import { settingsOf, type ConnectionRow } from './connection';
import {
  threadlineStageOf,
  type HubSpotDealState,
  type HubSpotPipeline,
  type ThreadlineStage,
} from './deals';
import { enqueueDeals } from './deals-queue';
import { dealsDb } from './deals-schema';
import {
  applyToThreadline,
  LINK_COLUMNS,
  loadDeals,
  loadPlaybooks,
  stagesOf,
  type DealRoundContext,
  type LinkRow,
  type Take,
} from './deals-store';

/** Takes HubSpot's newer stage moves of these deals; returns how many were taken. */
export async function pullStates(
  ctx: DealRoundContext,
  conn: Pick<ConnectionRow, 'team_id' | 'settings'>,
  states: HubSpotDealState[],
  pipelines: () => Promise<HubSpotPipeline[]>,
  /** When the states came without stage history (a search): reads it for the deals whose stage moved. */
  stageTimes?: (hubspotIds: string[]) => Promise<Map<string, number>>,
): Promise<number> {
  const { db } = ctx;
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
    .where('state', '!=', 'removed')
    .execute()) as LinkRow[];
  const moved = links.filter((l) => {
    const s = byDeal.get(l.deal_id)!;
    return s.properties.dealstage && s.properties.dealstage !== l.hs_stage;
  });
  if (!moved.length) return 0;
  const deals = await loadDeals(
    db,
    teamId,
    moved.map((l) => l.deal_id),
  );
  const playbooks = await loadPlaybooks(db, teamId);
  let known: HubSpotPipeline[] | undefined;
  const takes: Take[] = [];
  const seen: { dealId: string; stage: string }[] = [];
  const again: string[] = [];
  const differ: { deal: Deal; to: ThreadlineStage }[] = [];
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
      ctx.log.info(
        { team: teamId, deal: deal.id, stage: hsStage },
        'crm: a HubSpot stage with no Threadline stage',
      );
      continue;
    }
    if (to.id === deal.stageId) seen.push({ dealId: deal.id, stage: hsStage });
    else differ.push({ deal, to });
  }
  const times =
    stageTimes && differ.length
      ? await stageTimes(differ.map(({ deal }) => byDeal.get(deal.id)!.id))
      : new Map<string, number>();
  for (const { deal, to } of differ) {
    const s = byDeal.get(deal.id)!;
    const stageAt = times.get(s.id) ?? s.stageAt;
    if (stageAt > deal.stageEnteredAt)
      takes.push({ dealId: deal.id, to, at: stageAt, hubspotStage: s.properties.dealstage! });
    else again.push(deal.id);
  }
  const now = ctx.now();
  let pulled = 0;
  await ctx.raw.transaction().execute(async (trx) => {
    const tdb = dealsDb(trx);
    for (const x of [...seen, ...takes.map((t) => ({ dealId: t.dealId, stage: t.hubspotStage }))])
      await tdb
        .updateTable('crm_deal_links')
        .set({ hs_stage: x.stage, hs_modified_at: byDeal.get(x.dealId)!.modifiedAt, updated_at: now })
        .where('team_id', '=', teamId)
        .where('deal_id', '=', x.dealId)
        .execute();
    if (again.length) await enqueueDeals(trx, teamId, again, now);
    pulled = await applyToThreadline(trx, teamId, now, { takes });
  });
  return pulled;
}
