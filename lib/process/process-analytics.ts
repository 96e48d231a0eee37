import { isoDateOfDay, startOfLocalDay } from '../analytics/days';
import type { Deal, DealEvent, DealFlag } from '../domain/deal';

/**
 * Process analytics: where the agreed process is followed and where it drifts, computed from deals, their
 * history and their flag history. The server's `GET /process-analytics` computes the same figures in SQL
 * (server/process/query.ts) and a test holds the two equal on seeded data, so every definition here is
 * also a definition there:
 *
 * - Days are the caller's calendar days, given as their start instants (`dayStarts`, one more than days).
 * - A deal is live on a day when it was created before the day ends and not closed by the day's start.
 *   A live day is compliant unless an error flag of the deal was open during it. Compliance = compliant
 *   deal-days / deal-days (null without any).
 * - Stage stays: the deal enters, at its creation, the stage its first stage change left (its current stage
 *   without one); each stage change (in order of time, then id) enters the next. Time in stage counts the
 *   stays that ended in the range; conversion follows the stays that began in the range to the stage they
 *   moved to before the range ended.
 * - Stalled: open at the range's end, in its current stage for more than `stalledDays`.
 * - Top rules: flags raised in the range, by rule. Skips and overrides: those history rows in the range.
 * - Weekly: seven-day buckets from the range's first day (the last may be shorter).
 */

export interface ProcessAnalyticsInput {
  /** The start of each day of the range, then the end of the last day (so days + 1 instants, increasing). */
  dayStarts: number[];
  /** "YYYY-MM-DD" of each day (same length as days). */
  dates: string[];
  stalledDays: number;
  deals: readonly Deal[];
  events: readonly DealEvent[];
  flags: readonly DealFlag[];
}

export interface ComplianceTally {
  dealDays: number;
  compliantDays: number;
  complianceRate: number | null;
}

export interface ProcessAnalytics {
  totals: ComplianceTally & { deals: number; flagsRaised: number; skips: number; overrides: number };
  byRep: (ComplianceTally & {
    ownerId: string;
    deals: number;
    flagsRaised: number;
    skips: number;
    overrides: number;
  })[];
  byDeal: (ComplianceTally & { dealId: string; ownerId: string; name: string; stageId: string })[];
  timeInStage: { pipelineId: string; stageId: string; stays: number; totalMs: number; averageDays: number }[];
  conversion: {
    pipelineId: string;
    fromStageId: string;
    entered: number;
    toStageId: string;
    moved: number;
    rate: number;
  }[];
  topRules: { ruleId: string; severity: 'error' | 'warning' | 'info'; raised: number; deals: number }[];
  stalled: {
    dealId: string;
    ownerId: string;
    name: string;
    pipelineId: string;
    stageId: string;
    since: number;
    days: number;
  }[];
  skipsAndOverrides: {
    eventId: string;
    dealId: string;
    ownerId: string;
    kind: 'criteria_skipped' | 'override';
    at: number;
    by: string;
    stageId: string;
    toStageId: string;
    criteria: number;
    reason?: string;
  }[];
  weekly: (ComplianceTally & { weekStart: string; flagsRaised: number })[];
}

export const DAY_MS = 86_400_000;
export const DEFAULT_STALLED_DAYS = 21;

export const rateOf = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const tally = (dealDays: number, compliantDays: number): ComplianceTally => ({
  dealDays,
  compliantDays,
  complianceRate: rateOf(compliantDays, dealDays),
});
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One stay of a deal in a stage: [from, until) (until undefined while it lasts). */
export interface Stay {
  dealId: string;
  stageId: string;
  from: number;
  until?: number;
  nextStageId?: string;
}

/** A deal's stays in order (see the definitions above). */
export function staysOf(deal: Deal, changes: readonly DealEvent[]): Stay[] {
  const moves = changes
    .filter((e): e is Extract<DealEvent, { kind: 'stage_changed' }> => e.kind === 'stage_changed')
    .sort((a, b) => a.at - b.at || byText(a.id, b.id));
  const stays: Stay[] = [
    { dealId: deal.id, stageId: moves[0]?.data.fromStageId ?? deal.stageId, from: deal.createdAt },
  ];
  for (const move of moves) {
    const last = stays[stays.length - 1]!;
    last.until = move.at;
    last.nextStageId = move.data.toStageId;
    stays.push({ dealId: deal.id, stageId: move.data.toStageId, from: move.at });
  }
  return stays;
}

/** The ordered sequence of `dayStarts` must be checked by the caller (contract/route); here it is trusted. */
export function computeProcessAnalytics(input: ProcessAnalyticsInput): ProcessAnalytics {
  const { dayStarts, dates, deals } = input;
  const days = dayStarts.length - 1;
  const from = dayStarts[0]!;
  const to = dayStarts[days]!;
  const dealById = new Map(deals.map((d) => [d.id, d]));
  const eventsByDeal = new Map<string, DealEvent[]>();
  for (const e of input.events) {
    if (!dealById.has(e.dealId)) continue;
    const list = eventsByDeal.get(e.dealId) ?? [];
    list.push(e);
    eventsByDeal.set(e.dealId, list);
  }
  const flags = input.flags.filter((f) => dealById.has(f.dealId));
  const errorsByDeal = new Map<string, DealFlag[]>();
  for (const f of flags)
    if (f.severity === 'error') errorsByDeal.set(f.dealId, [...(errorsByDeal.get(f.dealId) ?? []), f]);

  // Deal-days, per deal and per week.
  const weeks = Math.ceil(days / 7);
  const weekly = Array.from({ length: weeks }, () => ({ dealDays: 0, compliantDays: 0, flagsRaised: 0 }));
  const perDeal = new Map<string, { dealDays: number; compliantDays: number }>();
  for (const deal of deals) {
    let dealDays = 0;
    let compliantDays = 0;
    const errors = errorsByDeal.get(deal.id) ?? [];
    for (let d = 0; d < days; d++) {
      const start = dayStarts[d]!;
      const end = dayStarts[d + 1]!;
      if (!(deal.createdAt < end && (deal.closedAt === undefined || deal.closedAt > start))) continue;
      dealDays++;
      weekly[Math.floor(d / 7)]!.dealDays++;
      const flagged = errors.some(
        (f) => f.raisedAt < end && (f.clearedAt === undefined || f.clearedAt > start),
      );
      if (!flagged) {
        compliantDays++;
        weekly[Math.floor(d / 7)]!.compliantDays++;
      }
    }
    perDeal.set(deal.id, { dealDays, compliantDays });
  }

  // Flags raised in the range.
  const raised = flags.filter((f) => f.raisedAt >= from && f.raisedAt < to);
  for (const f of raised) {
    const d = dayStarts.findIndex(
      (start, i) => i < days && f.raisedAt >= start && f.raisedAt < dayStarts[i + 1]!,
    );
    if (d >= 0) weekly[Math.floor(d / 7)]!.flagsRaised++;
  }
  const rules = new Map<string, { severity: DealFlag['severity']; raised: number; deals: Set<string> }>();
  for (const f of raised) {
    const rule = rules.get(f.ruleId) ?? { severity: f.severity, raised: 0, deals: new Set<string>() };
    // The most severe level the rule was raised at in the range.
    if (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[rule.severity]) rule.severity = f.severity;
    rule.raised++;
    rule.deals.add(f.dealId);
    rules.set(f.ruleId, rule);
  }

  // Skips and overrides in the range.
  const marks: ProcessAnalytics['skipsAndOverrides'] = [];
  for (const e of input.events) {
    if (e.kind !== 'criteria_skipped' && e.kind !== 'override') continue;
    const deal = dealById.get(e.dealId);
    if (!deal || e.at < from || e.at >= to) continue;
    marks.push({
      eventId: e.id,
      dealId: e.dealId,
      ownerId: deal.ownerId,
      kind: e.kind,
      at: e.at,
      by: e.by,
      stageId: e.data.stageId,
      toStageId: e.data.toStageId,
      criteria: e.data.criterionIds.length,
      ...(e.kind === 'override' ? { reason: e.data.reason } : {}),
    });
  }
  marks.sort((a, b) => a.at - b.at || byText(a.eventId, b.eventId));

  // Stays: time in stage, conversion, stalled.
  const stageTimes = new Map<
    string,
    { pipelineId: string; stageId: string; stays: number; totalMs: number }
  >();
  const entered = new Map<string, number>();
  const moved = new Map<string, number>();
  const stalled: ProcessAnalytics['stalled'] = [];
  for (const deal of deals) {
    const stays = staysOf(deal, eventsByDeal.get(deal.id) ?? []);
    for (const stay of stays) {
      const key = JSON.stringify([deal.pipelineId, stay.stageId]);
      if (stay.until !== undefined && stay.until >= from && stay.until < to) {
        const t = stageTimes.get(key) ?? {
          pipelineId: deal.pipelineId,
          stageId: stay.stageId,
          stays: 0,
          totalMs: 0,
        };
        t.stays++;
        t.totalMs += stay.until - stay.from;
        stageTimes.set(key, t);
      }
      if (stay.from >= from && stay.from < to) {
        entered.set(key, (entered.get(key) ?? 0) + 1);
        if (stay.until !== undefined && stay.until < to) {
          const k = JSON.stringify([deal.pipelineId, stay.stageId, stay.nextStageId]);
          moved.set(k, (moved.get(k) ?? 0) + 1);
        }
      }
    }
    const current = stays.filter((s) => s.from < to).pop();
    const open = deal.createdAt < to && (deal.closedAt === undefined || deal.closedAt >= to);
    if (current && open && to - current.from > input.stalledDays * DAY_MS)
      stalled.push({
        dealId: deal.id,
        ownerId: deal.ownerId,
        name: deal.name,
        pipelineId: deal.pipelineId,
        stageId: current.stageId,
        since: current.from,
        days: Math.floor((to - current.from) / DAY_MS),
      });
  }
  stalled.sort((a, b) => a.since - b.since || byText(a.dealId, b.dealId));

  // Per rep.
  const reps = new Map<string, ProcessAnalytics['byRep'][number]>();
  const repOf = (ownerId: string) => {
    let rep = reps.get(ownerId);
    if (!rep) {
      rep = { ownerId, ...tally(0, 0), deals: 0, flagsRaised: 0, skips: 0, overrides: 0 };
      reps.set(ownerId, rep);
    }
    return rep;
  };
  for (const deal of deals) {
    const t = perDeal.get(deal.id)!;
    if (t.dealDays === 0) continue;
    const rep = repOf(deal.ownerId);
    rep.deals++;
    rep.dealDays += t.dealDays;
    rep.compliantDays += t.compliantDays;
  }
  for (const f of raised) repOf(dealById.get(f.dealId)!.ownerId).flagsRaised++;
  for (const m of marks) repOf(m.ownerId)[m.kind === 'override' ? 'overrides' : 'skips']++;
  for (const rep of reps.values()) rep.complianceRate = rateOf(rep.compliantDays, rep.dealDays);

  const totalDays = [...perDeal.values()].reduce((s, t) => s + t.dealDays, 0);
  const totalCompliant = [...perDeal.values()].reduce((s, t) => s + t.compliantDays, 0);
  return {
    totals: {
      ...tally(totalDays, totalCompliant),
      deals: [...perDeal.values()].filter((t) => t.dealDays > 0).length,
      flagsRaised: raised.length,
      skips: marks.filter((m) => m.kind === 'criteria_skipped').length,
      overrides: marks.filter((m) => m.kind === 'override').length,
    },
    byRep: [...reps.values()].sort((a, b) => byText(a.ownerId, b.ownerId)),
    byDeal: deals
      .filter((d) => perDeal.get(d.id)!.dealDays > 0)
      .map((d) => {
        const t = perDeal.get(d.id)!;
        return {
          dealId: d.id,
          ownerId: d.ownerId,
          name: d.name,
          stageId: d.stageId,
          ...tally(t.dealDays, t.compliantDays),
        };
      })
      .sort((a, b) => byText(a.dealId, b.dealId)),
    timeInStage: [...stageTimes.values()]
      .map((t) => ({ ...t, averageDays: t.totalMs / t.stays / DAY_MS }))
      .sort((a, b) => byText(a.pipelineId, b.pipelineId) || byText(a.stageId, b.stageId)),
    conversion: [...moved]
      .map(([k, count]) => {
        const [pipelineId, fromStageId, toStageId] = JSON.parse(k) as [string, string, string];
        const n = entered.get(JSON.stringify([pipelineId, fromStageId]))!;
        return { pipelineId, fromStageId, entered: n, toStageId, moved: count, rate: count / n };
      })
      .sort(
        (a, b) =>
          byText(a.pipelineId, b.pipelineId) ||
          byText(a.fromStageId, b.fromStageId) ||
          byText(a.toStageId, b.toStageId),
      ),
    topRules: [...rules]
      .map(([ruleId, r]) => ({ ruleId, severity: r.severity, raised: r.raised, deals: r.deals.size }))
      .sort((a, b) => b.raised - a.raised || byText(a.ruleId, b.ruleId)),
    stalled,
    skipsAndOverrides: marks,
    weekly: weekly.map((w, i) => ({
      weekStart: dates[i * 7]!,
      ...tally(w.dealDays, w.compliantDays),
      flagsRaised: w.flagsRaised,
    })),
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

const dayNumberOfIso = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** The start of each day from `from` to `to` ("YYYY-MM-DD", both included) in the zone, then the end of the last. */
export function dayStartsOf(
  from: string,
  to: string,
  timeZone: string,
): { dayStarts: number[]; dates: string[] } {
  const first = dayNumberOfIso(from);
  const last = dayNumberOfIso(to);
  const dates: string[] = [];
  for (let day = first; day <= last; day++) dates.push(isoDateOfDay(day));
  return {
    dates,
    dayStarts: [...dates, isoDateOfDay(last + 1)].map((date) => startOfLocalDay(date, timeZone)),
  };
}
