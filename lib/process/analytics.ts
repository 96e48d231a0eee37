import type { Deal, DealEvent, DealFlag } from '../domain/deal';
import { DAY_MS, dayNumber, isoOfDay } from './clock';

/**
 * Process analytics over the flag history and the deals' events: the reference implementation that the
 * server's SQL (GET /process-analytics) must match on the same rows. Every definition is stated here once.
 *
 * Days are UTC calendar days: day(t) = floor(t / 86 400 000). The range is [from, to], both days included;
 * rangeStart = from at 00:00 UTC, rangeEnd = the day after `to` at 00:00 UTC (exclusive).
 *
 * - Deal-days: the days of the range from day(createdAt) to day(closedAt) (both included; no end while open).
 * - Error day: a deal-day on which an error flag of the deal was open: day(raisedAt) <= d <= day(clearedAt)
 *   (no end while not cleared). Compliance = (deal-days that are not error days) / deal-days; null without days.
 * - Stays: each deal's `created` (data.stageId) and `stage_changed` (data.toStageId) events ordered by (at, id);
 *   a stay lasts until the next one starts. Time in stage averages the stays that END in the range, in days.
 * - Conversion from s to t: of the deals with an entry into s in the range (entered), those with a
 *   stage_changed s -> t at or after that entry and before rangeEnd (moved); rate = moved / entered.
 * - Top rules: flags raised in the range, per rule: how many and on how many deals (most raised first, then id).
 * - Stalled: deals open, created before rangeEnd, whose stageEnteredAt is at least `stalledDays` (30) days
 *   before rangeEnd; daysInStage = floor((rangeEnd - stageEnteredAt) / day).
 * - Skips and overrides: criteria_skipped and override events in the range.
 * - Trend: per week starting Monday (UTC), deal-days and compliant days of the range's days in that week.
 */

export interface ProcessRange {
  /** "YYYY-MM-DD", included. */
  from: string;
  /** "YYYY-MM-DD", included. */
  to: string;
}

export type AnalyticsDeal = Pick<
  Deal,
  'id' | 'name' | 'ownerId' | 'stageId' | 'status' | 'createdAt' | 'stageEnteredAt'
> & {
  closedAt?: number;
};

export interface ProcessAnalyticsInput {
  deals: readonly AnalyticsDeal[];
  events: readonly DealEvent[];
  flags: readonly DealFlag[];
  range: ProcessRange;
  stalledDays?: number;
}

export interface ComplianceRow {
  dealDays: number;
  compliantDays: number;
  /** compliantDays / dealDays, or null when there are no deal-days. */
  compliance: number | null;
  skips: number;
  overrides: number;
  flagsRaised: number;
}
export interface RepRow extends ComplianceRow {
  ownerId: string;
  deals: number;
}
export interface DealRow extends ComplianceRow {
  dealId: string;
  name: string;
  ownerId: string;
  stageId: string;
}
export interface StageTimeRow {
  ownerId: string;
  stageId: string;
  stays: number;
  totalDays: number;
  avgDays: number;
}
export interface ConversionRow {
  fromStageId: string;
  toStageId: string;
  entered: number;
  moved: number;
  rate: number;
}
export interface RuleRow {
  ruleId: string;
  raised: number;
  deals: number;
}
export interface StalledRow {
  dealId: string;
  ownerId: string;
  stageId: string;
  daysInStage: number;
}
export interface SkipRow {
  kind: 'criteria_skipped' | 'override';
  dealId: string;
  ownerId: string;
  at: number;
  by: string;
  stageId: string;
  toStageId: string;
  criterionIds: string[];
  reason?: string;
}
export interface TrendRow {
  /** Monday, "YYYY-MM-DD". */
  weekStart: string;
  ownerId?: string;
  dealDays: number;
  compliantDays: number;
  compliance: number | null;
}

export interface ProcessAnalytics {
  range: ProcessRange;
  overall: ComplianceRow;
  perRep: RepRow[];
  perDeal: DealRow[];
  timeInStage: StageTimeRow[];
  stageEntries: { stageId: string; deals: number }[];
  conversion: ConversionRow[];
  topRules: RuleRow[];
  stalled: StalledRow[];
  skips: SkipRow[];
  trend: TrendRow[];
  trendByRep: TrendRow[];
}

const dayOf = (t: number) => Math.floor(t / DAY_MS);
/** Monday of the week of a day number (day 0, 1970-01-01, was a Thursday). */
export const weekOf = (day: number) => day - ((day + 3) % 7);
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const byKey = <T>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const emptyRow = (): ComplianceRow => ({
  dealDays: 0,
  compliantDays: 0,
  compliance: null,
  skips: 0,
  overrides: 0,
  flagsRaised: 0,
});
function add(into: ComplianceRow, from: ComplianceRow): void {
  into.dealDays += from.dealDays;
  into.compliantDays += from.compliantDays;
  into.skips += from.skips;
  into.overrides += from.overrides;
  into.flagsRaised += from.flagsRaised;
  into.compliance = ratio(into.compliantDays, into.dealDays);
}

export function processAnalytics(input: ProcessAnalyticsInput): ProcessAnalytics {
  const { range } = input;
  const firstDay = dayNumber(range.from);
  const lastDay = dayNumber(range.to);
  const rangeStart = firstDay * DAY_MS;
  const rangeEnd = (lastDay + 1) * DAY_MS;
  const inRange = (t: number) => t >= rangeStart && t < rangeEnd;
  const stalledDays = input.stalledDays ?? 30;

  const dealsById = new Map(input.deals.map((d) => [d.id, d]));
  const flagsByDeal = groupBy(input.flags, (f) => f.dealId);
  const eventsByDeal = groupBy(
    input.events.filter((e) => dealsById.has(e.dealId)),
    (e) => e.dealId,
  );

  const perDeal: DealRow[] = [];
  const weekly = new Map<string, TrendRow>();
  const bump = (weekStart: string, ownerId: string | undefined, compliant: boolean) => {
    const key = `${ownerId ?? ''}|${weekStart}`;
    let row = weekly.get(key);
    if (!row) {
      row = {
        weekStart,
        ...(ownerId !== undefined && { ownerId }),
        dealDays: 0,
        compliantDays: 0,
        compliance: null,
      };
      weekly.set(key, row);
    }
    row.dealDays++;
    if (compliant) row.compliantDays++;
  };

  for (const deal of input.deals) {
    const flags = flagsByDeal.get(deal.id) ?? [];
    const events = eventsByDeal.get(deal.id) ?? [];
    const row: DealRow = {
      dealId: deal.id,
      name: deal.name,
      ownerId: deal.ownerId,
      stageId: deal.stageId,
      ...emptyRow(),
    };
    const start = Math.max(firstDay, dayOf(deal.createdAt));
    const end = Math.min(lastDay, deal.closedAt === undefined ? Infinity : dayOf(deal.closedAt));
    const errorSpans = flags
      .filter((f) => f.severity === 'error')
      .map((f) => [dayOf(f.raisedAt), f.clearedAt === undefined ? Infinity : dayOf(f.clearedAt)] as const);
    for (let d = start; d <= end; d++) {
      const compliant = !errorSpans.some(([a, b]) => a <= d && d <= b);
      row.dealDays++;
      if (compliant) row.compliantDays++;
      const week = isoOfDay(weekOf(d));
      bump(week, undefined, compliant);
      bump(week, deal.ownerId, compliant);
    }
    row.flagsRaised = flags.filter((f) => inRange(f.raisedAt)).length;
    for (const e of events) {
      if (!inRange(e.at)) continue;
      if (e.kind === 'criteria_skipped') row.skips++;
      if (e.kind === 'override') row.overrides++;
    }
    row.compliance = ratio(row.compliantDays, row.dealDays);
    perDeal.push(row);
  }
  perDeal.sort((a, b) => byKey(a.dealId, b.dealId));

  const overall = emptyRow();
  const reps = new Map<string, RepRow>();
  for (const row of perDeal) {
    add(overall, row);
    let rep = reps.get(row.ownerId);
    if (!rep) reps.set(row.ownerId, (rep = { ownerId: row.ownerId, deals: 0, ...emptyRow() }));
    rep.deals++;
    add(rep, row);
  }
  const perRep = [...reps.values()].sort((a, b) => byKey(a.ownerId, b.ownerId));

  // Stays, entries and conversion from the stage history.
  const stageTimes = new Map<string, StageTimeRow>();
  const entered = new Map<string, Set<string>>();
  const moved = new Map<string, Set<string>>();
  for (const [dealId, events] of eventsByDeal) {
    const ownerId = dealsById.get(dealId)!.ownerId;
    const stays = events
      .filter((e) => e.kind === 'created' || e.kind === 'stage_changed')
      .sort((a, b) => a.at - b.at || byKey(a.id, b.id))
      .map((e) => ({
        stageId:
          e.kind === 'created'
            ? e.data.stageId
            : (e as Extract<DealEvent, { kind: 'stage_changed' }>).data.toStageId,
        from: e.kind === 'stage_changed' ? e.data.fromStageId : undefined,
        at: e.at,
      }));
    stays.forEach((stay, i) => {
      const next = stays[i + 1];
      if (next && inRange(next.at)) {
        const key = `${ownerId}|${stay.stageId}`;
        const t = stageTimes.get(key) ?? {
          ownerId,
          stageId: stay.stageId,
          stays: 0,
          totalDays: 0,
          avgDays: 0,
        };
        t.stays++;
        t.totalDays += (next.at - stay.at) / DAY_MS;
        stageTimes.set(key, t);
      }
      if (!inRange(stay.at)) return;
      const set = entered.get(stay.stageId) ?? new Set<string>();
      set.add(dealId);
      entered.set(stay.stageId, set);
      // Moves out of this stage at or after this entry, before the range ends.
      for (const later of stays.slice(i + 1)) {
        if (later.from !== stay.stageId || later.at >= rangeEnd) continue;
        const key = `${stay.stageId}|${later.stageId}`;
        const m = moved.get(key) ?? new Set<string>();
        m.add(dealId);
        moved.set(key, m);
      }
    });
  }
  const timeInStage = [...stageTimes.values()]
    .map((t) => ({ ...t, avgDays: t.totalDays / t.stays }))
    .sort((a, b) => byKey(a.ownerId, b.ownerId) || byKey(a.stageId, b.stageId));
  const stageEntries = [...entered]
    .map(([stageId, deals]) => ({ stageId, deals: deals.size }))
    .sort((a, b) => byKey(a.stageId, b.stageId));
  const conversion = [...moved]
    .map(([key, deals]) => {
      const [fromStageId = '', toStageId = ''] = key.split('|');
      const n = entered.get(fromStageId)?.size ?? 0;
      return { fromStageId, toStageId, entered: n, moved: deals.size, rate: n ? deals.size / n : 0 };
    })
    .sort((a, b) => byKey(a.fromStageId, b.fromStageId) || byKey(a.toStageId, b.toStageId));

  const raised = groupBy(
    input.flags.filter((f) => dealsById.has(f.dealId) && inRange(f.raisedAt)),
    (f) => f.ruleId,
  );
  const topRules = [...raised]
    .map(([ruleId, list]) => ({
      ruleId,
      raised: list.length,
      deals: new Set(list.map((f) => f.dealId)).size,
    }))
    .sort((a, b) => b.raised - a.raised || byKey(a.ruleId, b.ruleId));

  const stalled = input.deals
    .filter(
      (d) =>
        d.status === 'open' && d.createdAt < rangeEnd && d.stageEnteredAt <= rangeEnd - stalledDays * DAY_MS,
    )
    .map((d) => ({
      dealId: d.id,
      ownerId: d.ownerId,
      stageId: d.stageId,
      daysInStage: Math.floor((rangeEnd - d.stageEnteredAt) / DAY_MS),
    }))
    .sort((a, b) => b.daysInStage - a.daysInStage || byKey(a.dealId, b.dealId));

  const skips: SkipRow[] = [];
  for (const e of input.events) {
    const deal = dealsById.get(e.dealId);
    if (!deal || !inRange(e.at) || (e.kind !== 'criteria_skipped' && e.kind !== 'override')) continue;
    skips.push({
      kind: e.kind,
      dealId: e.dealId,
      ownerId: deal.ownerId,
      at: e.at,
      by: e.by,
      stageId: e.data.stageId,
      toStageId: e.data.toStageId,
      criterionIds: e.data.criterionIds,
      ...(e.kind === 'override' && { reason: e.data.reason }),
    });
  }
  skips.sort((a, b) => a.at - b.at || byKey(a.dealId, b.dealId) || byKey(a.kind, b.kind));

  const trendRows = [...weekly.values()].map((r) => ({
    ...r,
    compliance: ratio(r.compliantDays, r.dealDays),
  }));
  const trend = trendRows
    .filter((r) => r.ownerId === undefined)
    .sort((a, b) => byKey(a.weekStart, b.weekStart));
  const trendByRep = trendRows
    .filter((r) => r.ownerId !== undefined)
    .sort((a, b) => byKey(a.ownerId, b.ownerId) || byKey(a.weekStart, b.weekStart));

  return {
    range,
    overall,
    perRep,
    perDeal,
    timeInStage,
    stageEntries,
    conversion,
    topRules,
    stalled,
    skips,
    trend,
    trendByRep,
  };
}
