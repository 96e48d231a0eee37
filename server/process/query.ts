import { sql, type RawBuilder } from 'kysely';
import type { ProcessAnalytics } from '../../lib/contract/process-analytics';
import type { Severity } from '../../lib/domain/deal';
import { DAY_MS, rateOf } from '../../lib/process/process-analytics';
import type { Db } from '../db/database';

export interface ProcessRequest {
  team: string;
  /** Only the deals of these members (a rep's own, or a manager's pick); the whole team without. */
  owners?: string[];
  /** The start of each day of the range, then the end of the last one. */
  dayStarts: number[];
  /** "YYYY-MM-DD" of each day. */
  dates: string[];
  stalledDays: number;
}

/**
 * The process analytics of a team (or some of its members) over whole days, in SQL over the synced rows
 * (kinds deal, deal_event, deal_flag), with the definitions of lib/process/process-analytics.ts (a test holds
 * the two equal on seeded data). The database counts; this function only adds up the grouped rows and sorts.
 * Text is ordered in the "C" collation, as JavaScript compares strings.
 */
export async function queryProcessAnalytics(db: Db, q: ProcessRequest): Promise<ProcessAnalytics> {
  const days = q.dayStarts.length - 1;
  const from = q.dayStarts[0]!;
  const to = q.dayStarts[days]!;
  const scope = q.owners ? sql`and owner_id = any(${q.owners}::text[])` : sql``;
  const base = sql`
    days as (
      select (i - 1)::int4 as d, s as start, lead(s) over (order by i) as stop
      from unnest(${q.dayStarts}::int8[]) with ordinality as u(s, i)
    ),
    deals as (
      select id, data->>'ownerId' as owner, data->>'name' as name, data->>'pipelineId' as pipeline,
        data->>'stageId' as stage, (data->>'createdAt')::int8 as created, (data->>'closedAt')::int8 as closed
      from entities
      where team_id = ${q.team} and kind = 'deal' and not deleted ${scope}
    ),
    flags as (
      select f.id, f.data->>'dealId' as deal, f.data->>'ruleId' as rule, f.data->>'severity' as severity,
        (f.data->>'raisedAt')::int8 as raised, (f.data->>'clearedAt')::int8 as cleared
      from entities f join deals on deals.id = f.data->>'dealId'
      where f.team_id = ${q.team} and f.kind = 'deal_flag' and not f.deleted
    ),
    events as (
      select e.id, e.data->>'dealId' as deal, e.data->>'kind' as kind, (e.data->>'at')::int8 as at,
        e.data->>'by' as by, e.data->'data' as d
      from entities e join deals on deals.id = e.data->>'dealId'
      where e.team_id = ${q.team} and e.kind = 'deal_event' and not e.deleted
    )`;
  const run = <R>(trx: Db, query: RawBuilder<R>) => query.execute(trx).then((r) => r.rows);

  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`set local jit = off`.execute(trx);
      const dealRows = await run(
        trx,
        sql<{
          id: string;
          owner: string;
          name: string;
          stage: string;
          week: number;
          live: number;
          compliant: number;
        }>`
          with ${base}
          select dl.id, dl.owner, dl.name, dl.stage, (days.d / 7)::int4 as week, count(*) as live,
            count(*) filter (where not exists (
              select 1 from flags f
              where f.deal = dl.id and f.severity = 'error' and f.raised < days.stop
                and (f.cleared is null or f.cleared > days.start)
            )) as compliant
          from deals dl join days on days.stop is not null
            and dl.created < days.stop and (dl.closed is null or dl.closed > days.start)
          group by dl.id, dl.owner, dl.name, dl.stage, week`,
      );
      const raisedRows = await run(
        trx,
        sql<{ rule: string; severity: Severity; deal: string; owner: string; week: number; n: number }>`
          with ${base}
          select f.rule, f.severity, f.deal, dl.owner, (days.d / 7)::int4 as week, count(*) as n
          from flags f join deals dl on dl.id = f.deal
            join days on days.stop is not null and f.raised >= days.start and f.raised < days.stop
          group by f.rule, f.severity, f.deal, dl.owner, week`,
      );
      const marks = await run(
        trx,
        sql<{
          id: string;
          deal: string;
          owner: string;
          kind: 'criteria_skipped' | 'override';
          at: number;
          by: string;
          stage: string;
          next: string;
          criteria: number;
          reason: string | null;
        }>`
          with ${base}
          select e.id, e.deal, dl.owner, e.kind, e.at, e.by, e.d->>'stageId' as stage, e.d->>'toStageId' as next,
            jsonb_array_length(e.d->'criterionIds')::int4 as criteria, e.d->>'reason' as reason
          from events e join deals dl on dl.id = e.deal
          where e.kind in ('criteria_skipped', 'override') and e.at >= ${from}::int8 and e.at < ${to}::int8
          order by e.at, e.id collate "C"`,
      );
      // A deal's stays: its first stage from creation, then one per stage change in order (time, then id).
      const stays = sql`
        moves as (
          select id, deal, at, d->>'fromStageId' as left_stage, d->>'toStageId' as entered_stage
          from events where kind = 'stage_changed'
        ),
        entries as (
          select dl.id as deal, dl.created as at, 0 as later, '' as eid,
            coalesce((select m.left_stage from moves m where m.deal = dl.id order by m.at, m.id collate "C" limit 1),
              dl.stage) as stage
          from deals dl
          union all
          select deal, at, 1, id, entered_stage from moves
        ),
        stays as (
          select e.deal, dl.pipeline, dl.owner, dl.name, dl.created, dl.closed, e.stage, e.at as began,
            lead(e.at) over w as ended, lead(e.stage) over w as next,
            row_number() over w as n
          from entries e join deals dl on dl.id = e.deal
          window w as (partition by e.deal order by e.later, e.at, e.eid collate "C")
        )`;
      const stageRows = await run(
        trx,
        sql<{ pipeline: string; stage: string; stays: number; total: number }>`
          with ${base}, ${stays}
          select pipeline, stage, count(*) as stays, sum(ended - began)::int8 as total
          from stays where ended >= ${from}::int8 and ended < ${to}::int8
          group by pipeline, stage`,
      );
      const movedRows = await run(
        trx,
        sql<{ pipeline: string; stage: string; next: string | null; n: number; moved: number }>`
          with ${base}, ${stays}
          select pipeline, stage, next, count(*) as n,
            count(*) filter (where ended is not null and ended < ${to}::int8) as moved
          from stays where began >= ${from}::int8 and began < ${to}::int8
          group by pipeline, stage, next`,
      );
      const stalledRows = await run(
        trx,
        sql<{ deal: string; owner: string; name: string; pipeline: string; stage: string; began: number }>`
          with ${base}, ${stays}
          select distinct on (deal) deal, owner, name, pipeline, stage, began
          from stays
          where began < ${to}::int8 and created < ${to}::int8 and (closed is null or closed >= ${to}::int8)
          order by deal, n desc`,
      );

      return assemble(q, { dealRows, raisedRows, marks, stageRows, movedRows, stalledRows, days, to });
    });
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

interface Rows {
  dealRows: {
    id: string;
    owner: string;
    name: string;
    stage: string;
    week: number;
    live: number;
    compliant: number;
  }[];
  raisedRows: { rule: string; severity: Severity; deal: string; owner: string; week: number; n: number }[];
  marks: {
    id: string;
    deal: string;
    owner: string;
    kind: 'criteria_skipped' | 'override';
    at: number;
    by: string;
    stage: string;
    next: string;
    criteria: number;
    reason: string | null;
  }[];
  stageRows: { pipeline: string; stage: string; stays: number; total: number }[];
  movedRows: { pipeline: string; stage: string; next: string | null; n: number; moved: number }[];
  stalledRows: {
    deal: string;
    owner: string;
    name: string;
    pipeline: string;
    stage: string;
    began: number;
  }[];
  days: number;
  to: number;
}

/** Adds up the grouped rows into the answer (sums, rates and order only: the counting was the database's). */
function assemble(q: ProcessRequest, r: Rows): ProcessAnalytics {
  const weeks = Array.from({ length: Math.ceil(r.days / 7) }, () => ({ live: 0, compliant: 0, raised: 0 }));
  const deals = new Map<
    string,
    { owner: string; name: string; stage: string; live: number; compliant: number }
  >();
  for (const row of r.dealRows) {
    const deal = deals.get(row.id) ?? {
      owner: row.owner,
      name: row.name,
      stage: row.stage,
      live: 0,
      compliant: 0,
    };
    deal.live += row.live;
    deal.compliant += row.compliant;
    deals.set(row.id, deal);
    weeks[row.week]!.live += row.live;
    weeks[row.week]!.compliant += row.compliant;
  }
  type Rep = ProcessAnalytics['byRep'][number];
  const reps = new Map<string, Rep>();
  const repOf = (ownerId: string) => {
    let rep = reps.get(ownerId);
    if (!rep) {
      rep = {
        ownerId,
        dealDays: 0,
        compliantDays: 0,
        complianceRate: null,
        deals: 0,
        flagsRaised: 0,
        skips: 0,
        overrides: 0,
      };
      reps.set(ownerId, rep);
    }
    return rep;
  };
  for (const deal of deals.values()) {
    const rep = repOf(deal.owner);
    rep.deals++;
    rep.dealDays += deal.live;
    rep.compliantDays += deal.compliant;
  }
  const rules = new Map<string, { severity: Severity; raised: number; deals: Set<string> }>();
  let flagsRaised = 0;
  for (const row of r.raisedRows) {
    flagsRaised += row.n;
    weeks[row.week]!.raised += row.n;
    repOf(row.owner).flagsRaised += row.n;
    const rule = rules.get(row.rule) ?? { severity: row.severity, raised: 0, deals: new Set<string>() };
    if (SEVERITY_ORDER[row.severity] < SEVERITY_ORDER[rule.severity]) rule.severity = row.severity;
    rule.raised += row.n;
    rule.deals.add(row.deal);
    rules.set(row.rule, rule);
  }
  for (const m of r.marks) repOf(m.owner)[m.kind === 'override' ? 'overrides' : 'skips']++;
  for (const rep of reps.values()) rep.complianceRate = rateOf(rep.compliantDays, rep.dealDays);

  const entered = new Map<string, number>();
  for (const row of r.movedRows) {
    const key = JSON.stringify([row.pipeline, row.stage]);
    entered.set(key, (entered.get(key) ?? 0) + row.n);
  }
  const dealTotals = [...deals.values()];
  const live = dealTotals.reduce((s, d) => s + d.live, 0);
  const compliant = dealTotals.reduce((s, d) => s + d.compliant, 0);
  return {
    totals: {
      dealDays: live,
      compliantDays: compliant,
      complianceRate: rateOf(compliant, live),
      deals: deals.size,
      flagsRaised,
      skips: r.marks.filter((m) => m.kind === 'criteria_skipped').length,
      overrides: r.marks.filter((m) => m.kind === 'override').length,
    },
    byRep: [...reps.values()].sort((a, b) => byText(a.ownerId, b.ownerId)),
    byDeal: [...deals]
      .map(([dealId, d]) => ({
        dealId,
        ownerId: d.owner,
        name: d.name,
        stageId: d.stage,
        dealDays: d.live,
        compliantDays: d.compliant,
        complianceRate: rateOf(d.compliant, d.live),
      }))
      .sort((a, b) => byText(a.dealId, b.dealId)),
    timeInStage: r.stageRows
      .map((s) => ({
        pipelineId: s.pipeline,
        stageId: s.stage,
        stays: s.stays,
        totalMs: s.total,
        averageDays: s.total / s.stays / DAY_MS,
      }))
      .sort((a, b) => byText(a.pipelineId, b.pipelineId) || byText(a.stageId, b.stageId)),
    conversion: r.movedRows
      .filter((row) => row.moved > 0 && row.next !== null)
      .map((row) => {
        const n = entered.get(JSON.stringify([row.pipeline, row.stage]))!;
        return {
          pipelineId: row.pipeline,
          fromStageId: row.stage,
          entered: n,
          toStageId: row.next!,
          moved: row.moved,
          rate: row.moved / n,
        };
      })
      .sort(
        (a, b) =>
          byText(a.pipelineId, b.pipelineId) ||
          byText(a.fromStageId, b.fromStageId) ||
          byText(a.toStageId, b.toStageId),
      ),
    topRules: [...rules]
      .map(([ruleId, rule]) => ({
        ruleId,
        severity: rule.severity,
        raised: rule.raised,
        deals: rule.deals.size,
      }))
      .sort((a, b) => b.raised - a.raised || byText(a.ruleId, b.ruleId)),
    stalled: r.stalledRows
      .filter((s) => r.to - s.began > q.stalledDays * DAY_MS)
      .map((s) => ({
        dealId: s.deal,
        ownerId: s.owner,
        name: s.name,
        pipelineId: s.pipeline,
        stageId: s.stage,
        since: s.began,
        days: Math.floor((r.to - s.began) / DAY_MS),
      }))
      .sort((a, b) => a.since - b.since || byText(a.dealId, b.dealId)),
    skipsAndOverrides: r.marks.map((m) => ({
      eventId: m.id,
      dealId: m.deal,
      ownerId: m.owner,
      kind: m.kind,
      at: m.at,
      by: m.by,
      stageId: m.stage,
      toStageId: m.next,
      criteria: m.criteria,
      ...(m.kind === 'override' && m.reason !== null ? { reason: m.reason } : {}),
    })),
    weekly: weeks.map((w, i) => ({
      weekStart: q.dates[i * 7]!,
      dealDays: w.live,
      compliantDays: w.compliant,
      complianceRate: rateOf(w.compliant, w.live),
      flagsRaised: w.raised,
    })),
  };
}
