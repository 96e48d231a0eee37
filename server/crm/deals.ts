/**
 * Threadline deals as HubSpot deals, and HubSpot's stage moves back: the mapping of pipelines, stages and
 * facts (the admin's CrmDealMapping), the properties to write without clobbering HubSpot edits, and who wins
 * when both sides moved the stage. Pure: deals-sync.ts does the reading and writing.
 *
 * Conflicts: the last writer wins, by time. Threadline's time for a stage is the deal's `stageEnteredAt`;
 * HubSpot's is the time of the dealstage history entry that set its current stage (not hs_lastmodifieddate,
 * which any later edit moves), when its stage differs from the one Threadline last wrote or read (a move made
 * in HubSpot). stageEnteredAt is the rep's device clock, compared as it is with HubSpot's server clock (a
 * skewed device clock can tip a close race). The later one is kept on both sides; an older move never
 * overwrites a newer one. Other fields: HubSpot's value is kept when it is not empty and is not the one Threadline last
 * wrote (someone edited it in HubSpot), unless the mapping lists the field in `threadlineWins`.
 */
import type { Deal, FactValue } from '../../lib/domain/deal';
import { DEFAULT_STAGE_MAP, type CrmDealMapping } from './settings';

/** The custom unique deal property that carries the Threadline deal id (exactly once: upsert by it). */
export const DEAL_ID_PROPERTY = 'threadline_deal_id';

/** HubSpot's default deal pipeline. */
export const DEFAULT_PIPELINE = 'default';

/** A HubSpot deal pipeline as its API lists it (labels only matter for matching stages by name). */
export interface HubSpotPipeline {
  id: string;
  label: string;
  stages: { id: string; label: string }[];
}

/** A playbook's stage as the mapping needs it. */
export interface ThreadlineStage {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
}

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

export function hubspotPipelineOf(mapping: CrmDealMapping, pipelineId: string): string {
  return mapping.pipelines[pipelineId]?.hubspotPipelineId ?? DEFAULT_PIPELINE;
}

/**
 * The HubSpot stage of a Threadline stage: the admin's mapping, else (on the default pipeline) the shipped
 * playbook's default, else the HubSpot stage with the same label. Undefined when none fits.
 */
export function hubspotStageOf(
  mapping: CrmDealMapping,
  pipelineId: string,
  stage: { id: string; name?: string },
  pipelines?: readonly HubSpotPipeline[],
): string | undefined {
  const own = mapping.pipelines[pipelineId];
  const explicit = own?.stages[stage.id];
  if (explicit) return explicit;
  const hsPipeline = own?.hubspotPipelineId ?? DEFAULT_PIPELINE;
  const defaulted = hsPipeline === DEFAULT_PIPELINE ? DEFAULT_STAGE_MAP[stage.id] : undefined;
  if (defaulted) return defaulted;
  const list = pipelines?.find((p) => p.id === hsPipeline)?.stages ?? [];
  const wanted = norm(stage.name ?? stage.id);
  return list.find((s) => norm(s.label) === wanted || s.id === stage.id)?.id;
}

/** The Threadline stage of a HubSpot stage (the inverse of hubspotStageOf over the playbook's stages). */
export function threadlineStageOf(
  mapping: CrmDealMapping,
  pipelineId: string,
  hubspotStage: string,
  stages: readonly ThreadlineStage[],
  pipelines?: readonly HubSpotPipeline[],
): ThreadlineStage | undefined {
  return stages.find((s) => hubspotStageOf(mapping, pipelineId, s, pipelines) === hubspotStage);
}

/** A fact as a HubSpot property value (a contact fact is not written: it names a Threadline record). */
export function factValue(fact: FactValue): string | undefined {
  switch (fact.type) {
    case 'yes_no':
      return fact.value ? 'true' : 'false';
    case 'number':
      return String(fact.value);
    case 'money':
      return String(fact.value.value);
    case 'date':
    case 'text':
    case 'choice':
      return fact.value;
    case 'contact':
      return undefined;
  }
}

/** The close date as HubSpot's datetime: midnight UTC of the day. */
const closeDateOf = (iso: string) => String(Date.parse(`${iso}T00:00:00.000Z`));

/**
 * HubSpot's currency of a deal's amount. It travels with the amount (an amount without it is read in the
 * portal's own currency); HubSpot refuses a code the portal has not set up (400 INVALID_OPTION).
 */
export const CURRENCY_PROPERTY = 'deal_currency_code';

/**
 * The fields Threadline has for a deal (besides pipeline and stage), as HubSpot property values. The amount's
 * currency is the deal's amount's, or the currency of the money fact the mapping writes to `amount`.
 */
export function dealFields(deal: Deal, mapping: CrmDealMapping): Record<string, string> {
  const out: Record<string, string> = { dealname: deal.name };
  if (deal.amount) {
    out.amount = String(deal.amount.value);
    out[CURRENCY_PROPERTY] = deal.amount.currency;
  }
  if (deal.closeDate) out.closedate = closeDateOf(deal.closeDate);
  for (const [key, property] of Object.entries(mapping.facts)) {
    const fact = deal.facts[key];
    const value = fact ? factValue(fact) : undefined;
    if (value === undefined || value === '') continue;
    out[property] = value;
    if (property === 'amount' && fact?.type === 'money') out[CURRENCY_PROPERTY] = fact.value.currency;
  }
  return out;
}

/** Two HubSpot values are the same (datetimes compared as instants, numbers as numbers). */
function same(a: string | null | undefined, b: string): boolean {
  if (a === null || a === undefined) return false;
  if (a === b) return true;
  const [ta, tb] = [Date.parse(a), /^\d+$/.test(b) ? Number(b) : Date.parse(b)];
  if (/^\d{4}-\d\d-\d\d/.test(a) && !Number.isNaN(ta) && ta === tb) return true;
  return a !== '' && !Number.isNaN(Number(a)) && Number(a) === Number(b);
}

/** What HubSpot holds of a deal (its properties) and when it last changed. */
export interface HubSpotDealState {
  id: string;
  properties: Record<string, string | null>;
  /** hs_lastmodifieddate, epoch ms (any edit moves it: the polling cursor only). */
  modifiedAt: number;
  /** When HubSpot set the current dealstage (its history entry), epoch ms. */
  stageAt: number;
}

/** What the bridge remembers of a deal between rounds (crm_deal_links). */
export interface DealLinkState {
  hubspotStage: string | null;
  written: Record<string, string>;
}

export type StageDecision =
  /** Write Threadline's stage to HubSpot. */
  | { kind: 'write'; stage: string }
  /** Both agree. */
  | { kind: 'same' }
  /** HubSpot's move is newer: Threadline takes HubSpot's stage. */
  | { kind: 'take'; stage: string; at: number };

/**
 * Who wins the stage. HubSpot moved it when its stage is not the one Threadline last wrote or read; then the
 * later of that move (the stage's history time) and Threadline's (stageEnteredAt) wins, Threadline on a tie.
 */
export function decideStage(
  ours: { stage: string; at: number },
  hubspot: { stage: string | null; at: number } | undefined,
  link: Pick<DealLinkState, 'hubspotStage'> | undefined,
): StageDecision {
  if (!hubspot?.stage) return { kind: 'write', stage: ours.stage };
  if (hubspot.stage === ours.stage) return { kind: 'same' };
  const movedInHubSpot = link?.hubspotStage != null && hubspot.stage !== link.hubspotStage;
  if (movedInHubSpot && hubspot.at > ours.at) return { kind: 'take', stage: hubspot.stage, at: hubspot.at };
  return { kind: 'write', stage: ours.stage };
}

/**
 * The properties to write for a deal: the fields HubSpot does not hold yet, holds as Threadline last wrote
 * them, or the mapping lets Threadline win; plus pipeline and stage when Threadline's stage wins.
 * A new deal (no HubSpot state) gets every field and the id property.
 */
export function dealWrite(
  deal: Deal,
  mapping: CrmDealMapping,
  hubspot: HubSpotDealState | undefined,
  link: DealLinkState | undefined,
  stage: { pipeline: string; stage: string },
  extra: { ownerId?: string } = {},
): { properties: Record<string, string>; decision: StageDecision } {
  const fields = dealFields(deal, mapping);
  const decision = decideStage(
    { stage: stage.stage, at: deal.stageEnteredAt },
    hubspot ? { stage: hubspot.properties.dealstage ?? null, at: hubspot.stageAt } : undefined,
    link,
  );
  const properties: Record<string, string> = {};
  const wins = new Set(mapping.threadlineWins);
  for (const [name, value] of Object.entries(fields)) {
    if (name === CURRENCY_PROPERTY) continue; // written with the amount, below
    const held = hubspot?.properties[name];
    if (held === undefined || held === null || held === '') properties[name] = value;
    else if (same(held, value)) continue;
    else if (wins.has(name) || same(held, link?.written[name] ?? '\u0000')) properties[name] = value;
  }
  const currency = fields[CURRENCY_PROPERTY];
  if (currency !== undefined) {
    const held = hubspot?.properties[CURRENCY_PROPERTY] ?? '';
    const heldAmount = hubspot?.properties.amount ?? '';
    const written = link?.written[CURRENCY_PROPERTY];
    // The same number in another currency is another amount: HubSpot's pair is kept only when someone set it
    // there (it is neither empty nor what Threadline last wrote) and Threadline does not win the amount.
    const edited =
      held !== '' && held !== written && written !== undefined && !wins.has('amount') && heldAmount !== '';
    if (properties.amount !== undefined || (held !== currency && !edited)) {
      properties[CURRENCY_PROPERTY] = currency;
      if (properties.amount === undefined && fields.amount !== undefined) properties.amount = fields.amount;
    }
  }
  if (!hubspot) {
    properties[DEAL_ID_PROPERTY] = deal.id;
    if (extra.ownerId) properties.hubspot_owner_id = extra.ownerId;
  } else if (extra.ownerId && !hubspot.properties.hubspot_owner_id)
    properties.hubspot_owner_id = extra.ownerId;
  if (decision.kind === 'write') {
    properties.pipeline = stage.pipeline;
    properties.dealstage = decision.stage;
  }
  return { properties, decision };
}

/** HubSpot's datetime property (ISO or epoch ms) as epoch ms; 0 when absent. */
export function epochOf(value: string | null | undefined): number {
  if (!value) return 0;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

/** The deal as Threadline keeps it after HubSpot's stage move won: stage, time in stage, status. */
export function movedDeal(deal: Deal, to: ThreadlineStage, at: number, now: number): Deal {
  const status = to.kind === 'open' ? 'open' : to.kind;
  const { closedAt: _closed, ...rest } = deal;
  return {
    ...rest,
    stageId: to.id,
    stageEnteredAt: at,
    status,
    updatedAt: Math.max(now, deal.updatedAt),
    ...(status === 'open' ? {} : { closedAt: deal.closedAt ?? at }),
  };
}

/** The history row of a stage move read from HubSpot: deterministic, so reading it twice records it once. */
export const hubspotMoveEventId = (dealId: string, hubspotStage: string, at: number): string =>
  `hubspot:${dealId}:${hubspotStage}:${at}`;
