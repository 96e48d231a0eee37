/**
 * Out: a team's waiting deals to HubSpot. A round reads those deals' HubSpot state by their Threadline id,
 * writes what Threadline may write (deals.ts) with a batch upsert keyed by the unique `threadline_deal_id` (a
 * write repeated after a crash updates the same deal), associates contacts and company, then records the
 * outcome. Every outcome is recorded at the version the round read: a change queued meanwhile stays pending,
 * whether the round succeeded, HubSpot refused the deal or HubSpot failed. A round that outlived its connection
 * (the admin reconnected meanwhile, deals-portal.ts) records nothing: its HubSpot ids may be another portal's.
 */
import type { Deal } from '../../lib/domain/deal';
import { settingsOf, type ConnectionRow } from './connection';
import {
  dealWrite,
  hubspotPipelineOf,
  hubspotStageOf,
  threadlineStageOf,
  type HubSpotDealState,
  type HubSpotPipeline,
} from './deals';
import type { HubSpotDeals } from './deals-hubspot';
import { stillSettled } from './deals-portal';
import { recordRemoved, type GoneDeal } from './deals-removed';
import { dealsDb } from './deals-schema';
import {
  applyToThreadline,
  jsonOf,
  LINK_COLUMNS,
  linkState,
  loadDeals,
  loadPlaybooks,
  stagesOf,
  type DealRoundContext,
  type LinkRow,
  type Take,
} from './deals-store';
import { associationsFor, type ContactsAhead } from './deals-associate';
import { CrmDailyLimitError, CrmError } from './provider';
import { ownerIdsByUser } from './schema';

const ROUND = 500;
const MAX_ATTEMPTS = 8;
const backoff = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));

export interface DealRoundResult {
  written: number;
  failed: number;
  /** HubSpot stage moves taken into Threadline. */
  pulled: number;
}

/** One deal's write, planned. */
export interface DealPlan {
  link: LinkRow;
  deal: Deal;
  properties: Record<string, string>;
  hubspotStage: string;
  hubspotAfter: string | null;
}

/** Writes a team's waiting deals to HubSpot. */
export async function pushTeam(
  ctx: DealRoundContext,
  conn: Pick<ConnectionRow, 'team_id' | 'settings' | 'portal_id' | 'connected_at'>,
  hubspot: HubSpotDeals,
  pipelines: () => Promise<HubSpotPipeline[]>,
  /** The contacts and their companies already known this round (not looked up again). */
  contactsAhead?: ContactsAhead,
): Promise<DealRoundResult> {
  const { db } = ctx;
  const teamId = conn.team_id;
  const mapping = settingsOf(conn).deals;
  const now = ctx.now();
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
  ctx.crash('deals:claimed');
  const deals = await loadDeals(
    db,
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
    const playbooks = await loadPlaybooks(db, teamId);
    const owners = await ownerIdsByUser(ctx.raw, teamId);
    const held = await hubspot.readByThreadlineId(
      live.map((l) => l.deal_id),
      Object.values(mapping.facts),
    );
    let known: HubSpotPipeline[] | undefined;
    const plans: DealPlan[] = [];
    const takes: Take[] = [];
    const refused = new Map<string, string>();
    const { removed, unsure } = await confirmUnheld(hubspot, live, held, Object.values(mapping.facts));
    for (const link of live) {
      if (removed.some((r) => r.dealId === link.deal_id) || unsure.has(link.deal_id)) continue;
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
    ctx.crash('deals:answered');
    // Deals HubSpot refused: failed with its message, never marked synced.
    for (const [dealId, message] of upserted.refused) refused.set(dealId, message);
    plans.splice(0, plans.length, ...plans.filter((p) => !upserted.refused.has(p.deal.id)));
    const associatedAfter = await associationsFor(db, teamId, hubspot, plans, ids, contactsAhead);
    const at = ctx.now();
    await ctx.raw.transaction().execute(async (trx) => {
      const tdb = dealsDb(trx);
      if (!(await stillSettled(trx, conn))) {
        ctx.log.info({ team: teamId }, 'crm: reconnected during a deal round: its outcome is not recorded');
        return;
      }
      for (const p of plans) {
        ctx.crash('deals:recording');
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
      const versions = new Map(live.map((l) => [l.deal_id, Number(l.version)]));
      for (const [dealId, message] of refused) {
        result.failed += 1;
        // Refused at the version read: a newer change (which may be the fix) stays pending.
        await tdb
          .updateTable('crm_deal_links')
          .set({ state: 'failed', last_error: message, updated_at: at })
          .where('team_id', '=', teamId)
          .where('deal_id', '=', dealId)
          .where('version', '=', versions.get(dealId)!)
          .execute();
      }
      await recordRemoved(trx, teamId, removed, at);
      for (const dealId of unsure) {
        // HubSpot would not say whether it still has the deal: asked again later, never taken as removed.
        const l = live.find((x) => x.deal_id === dealId)!;
        await tdb
          .updateTable('crm_deal_links')
          .set({
            attempts: l.attempts + 1,
            next_at: at + backoff(l.attempts + 1),
            last_error: 'HubSpot did not answer whether it still has this deal',
            updated_at: at,
          })
          .where('team_id', '=', teamId)
          .where('deal_id', '=', dealId)
          .where('version', '=', Number(l.version))
          .execute();
      }
      const crmIds = new Map<string, string>();
      for (const p of plans) {
        const hubspotId = ids.get(p.deal.id) ?? p.hubspotAfter;
        if (hubspotId && p.deal.crm?.id !== hubspotId) crmIds.set(p.deal.id, hubspotId);
      }
      result.pulled += await applyToThreadline(trx, teamId, at, { crmIds, takes });
    });
  } catch (error) {
    if (error instanceof CrmDailyLimitError) throw error;
    const e = error instanceof CrmError ? error : new CrmError(String(error), 0, true);
    if (e.status === 0 && !(error instanceof CrmError)) throw error; // a crash or a database error
    await recordFailure(ctx, teamId, live, e, result);
  }
  return result;
}

/**
 * Linked deals the read by Threadline id missed, read again by their HubSpot record id (the link is by record
 * id; `threadline_deal_id` is a property anyone can edit in HubSpot): those HubSpot says it does not have are
 * removed there (never written again); those it has get their Threadline id back and are written as usual;
 * those it failed to answer for are unsure (this round leaves them).
 */
async function confirmUnheld(
  hubspot: HubSpotDeals,
  live: LinkRow[],
  held: Map<string, HubSpotDealState>,
  extra: string[],
): Promise<{ removed: GoneDeal[]; unsure: Set<string> }> {
  const unheld = live.filter((l) => l.hubspot_id !== null && !held.has(l.deal_id));
  const removed: GoneDeal[] = [];
  const unsure = new Set<string>();
  if (!unheld.length) return { removed, unsure };
  const { found, missing } = await hubspot.readByRecordId(
    unheld.map((l) => l.hubspot_id!),
    extra,
  );
  const relabel: { hubspotId: string; dealId: string }[] = [];
  for (const l of unheld) {
    const state = found.get(l.hubspot_id!);
    if (state) {
      relabel.push({ hubspotId: l.hubspot_id!, dealId: l.deal_id });
      held.set(l.deal_id, state);
    } else if (missing.has(l.hubspot_id!)) removed.push({ dealId: l.deal_id, hubspotId: l.hubspot_id! });
    else unsure.add(l.deal_id);
  }
  if (relabel.length) await hubspot.relabel(relabel);
  return { removed, unsure };
}

/**
 * HubSpot failed the whole round: each deal waits again (with backoff) or, past its attempts or for an error
 * retrying cannot fix, fails. Only at the version the round read: a change queued meanwhile (a move made while
 * HubSpot was failing) keeps its own state (pending, due now), never overwritten by this older outcome.
 */
async function recordFailure(
  ctx: DealRoundContext,
  teamId: string,
  live: LinkRow[],
  e: CrmError,
  result: DealRoundResult,
): Promise<void> {
  const at = ctx.now();
  for (const link of live) {
    const attempts = link.attempts + 1;
    const giveUp = !e.retryable || attempts >= MAX_ATTEMPTS;
    const hit = await ctx.db
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
      .where('version', '=', Number(link.version))
      .executeTakeFirst();
    if (giveUp && Number(hit.numUpdatedRows) > 0) result.failed += 1;
  }
}
