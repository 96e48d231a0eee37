import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';

export const SLOT_MS = 900_000;
export const DAY_MS = 86_400_000;
/** The end of time as far as analytics can tell (year 30,489); hits' quarter hours stay within int4. */
export const END_OF_TIME = 1_000_000_000 * SLOT_MS;

/** A range of whole quarter hours (the route only asks for days, whose midnights fall on quarter hours). */
export interface Range {
  from: number;
  to: number;
}
export const ALL_TIME: Range = { from: 0, to: END_OF_TIME };

/**
 * What a set of contacts counts in a range, computed from their facts as lib/analytics computeAnalytics
 * counts it (the flags below are funnel.ts's). `lv` has one row per contact and level: level -1 is the
 * contact as a whole, level s what belongs to step s (which is also the whole contact under a filter on s).
 *
 * - sends are deduplicated by (time, step), keeping the variant of the smallest id;
 * - bounces, replies, out-of-office notices, meetings, unsubscribes and opens or clicks without a step belong
 *   to the step of the last email sent at or before them (the later step of two sent together), or to none;
 * - a contact is counted once per level; emails once each.
 */
export function contributionCtes(team: string, contacts: RawBuilder<boolean>, range: Range) {
  const { from, to } = range;
  return sql`
    cs as materialized (
      select c.contact, c.sequence_id, c.mailbox, (c.first_at / ${DAY_MS})::int4 as anchor
      from analytics_contacts c
      where c.team_id = ${team} and (${contacts})
    ),
    ev as materialized (
      select e.contact, e.id, e.type, e.at, e.step, e.variant, e.flag
      from cs join analytics_events e on e.team_id = ${team} and e.contact = cs.contact
      where e.at < ${to}
        and e.type in ('enrolled', 'sent', 'opened', 'clicked', 'bounced', 'replied', 'out_of_office',
                       'meeting_booked', 'unsubscribed')
    ),
    sends as materialized (
      select distinct on (contact, at, step) contact, at, step, variant
      from ev where type = 'sent' and at >= ${from}
      order by contact, at, step, id collate "C"
    ),
    placed as (
      select contact, type, at, flag,
        max(case when type = 'sent' then array[at, step::int8] end)
          over (partition by contact order by at, type <> 'sent' rows unbounded preceding) as last_send
      from ev
      where type = 'sent' or (at >= ${from} and type <> 'enrolled')
    ),
    marks as materialized (
      select contact, step, 1 as f, at from ev where type = 'enrolled' and at >= ${from}
      union all
      select contact, step, 2, at from sends
      union all
      select contact, coalesce(last_send[2]::int4, -1),
        case type
          when 'bounced' then case when flag then 4 else 8 end
          when 'opened' then case when flag then 32 else 48 end
          when 'clicked' then 64
          when 'replied' then 128
          when 'out_of_office' then 256
          when 'meeting_booked' then 512
          else 1024
        end,
        at
      from placed where type <> 'sent'
      union all
      select h.contact, h.step, case h.kind when 'h' then 48 when 'm' then 32 else 64 end, h.min_at
      from cs join analytics_hits h on h.team_id = ${team} and h.contact = cs.contact
      where h.slot >= ${Math.ceil(from / SLOT_MS)} and h.slot < ${Math.ceil(to / SLOT_MS)}
    ),
    lv as materialized (
      select contact, case when grouping(step) = 1 then -1 else step end as level,
        bit_or(f) as flags,
        count(*) filter (where f = 2) as n_sent,
        count(*) filter (where f = 4) as n_hard,
        count(*) filter (where f = 8) as n_soft,
        min(at) filter (where f = 1) as t_enrolled,
        min(at) filter (where f & 16 <> 0) as t_open,
        min(at) filter (where f = 64) as t_click,
        min(at) filter (where f = 128) as t_reply,
        min(at) filter (where f = 512) as t_meet,
        min(at) filter (where f = 1024) as t_unsub
      from marks
      group by grouping sets ((contact), (contact, step))
      having grouping(step) = 1 or step >= 0
    ),
    dsteps as (
      select s.contact, s.step,
        count(*) filter (where s.step < 0 or coalesce(l.flags, 0) & 12 = 0) as n
      from sends s left join lv l on s.step >= 0 and l.contact = s.contact and l.level = s.step
      group by s.contact, s.step
    ),
    dtotal as (select contact, sum(n) as n from dsteps group by contact),
    lvd as materialized (
      select l.*, cs.sequence_id, cs.mailbox, cs.anchor,
        coalesce(case when l.level < 0 then t.n else d.n end, 0) as n_delivered
      from lv l
      join cs on cs.contact = l.contact
      left join dsteps d on l.level >= 0 and d.contact = l.contact and d.step = l.level
      left join dtotal t on l.level < 0 and t.contact = l.contact
    ),
    points as (
      select l.level, p.at, p.k
      from lvd l cross join lateral (values
        (l.t_enrolled, 0), (l.t_open, 3), (l.t_click, 4), (l.t_reply, 5), (l.t_meet, 6), (l.t_unsub, 7)
      ) as p(at, k)
      where p.at is not null
      union all select -1, at, 1 from sends
      union all select step, at, 1 from sends where step >= 0
      union all select -1, at, 2 from marks where f in (4, 8)
      union all select step, at, 2 from marks where f in (4, 8) and step >= 0
    )`;
}

/** The funnel counters of `lvd` rows, in FUNNEL_COLUMNS order (the analytics_funnel columns). */
const FUNNEL_PARTS = [
  'count(*) filter (where flags & 1 <> 0)',
  'count(*) filter (where flags & 2 <> 0)',
  'count(*) filter (where flags & 6 = 2)',
  'sum(n_sent)',
  'sum(n_delivered)',
  'count(*) filter (where flags & 12 <> 0)',
  'sum(n_hard)',
  'sum(n_soft)',
  'count(*) filter (where flags & 16 <> 0)',
  'count(*) filter (where flags & 32 <> 0)',
  'count(*) filter (where flags & 64 <> 0)',
  'count(*) filter (where flags & 128 <> 0)',
  'count(*) filter (where flags & 256 <> 0)',
  'count(*) filter (where flags & 512 <> 0)',
  'count(*) filter (where flags & 1024 <> 0)',
  // Rate numerators: bounced among contacted, then each engagement among reached (sent, no hard bounce).
  'count(*) filter (where flags & 12 <> 0 and flags & 2 <> 0)',
  'count(*) filter (where flags & 16 <> 0 and flags & 6 = 2)',
  'count(*) filter (where flags & 32 <> 0 and flags & 6 = 2)',
  'count(*) filter (where flags & 64 <> 0 and flags & 6 = 2)',
  'count(*) filter (where flags & 128 <> 0 and flags & 6 = 2)',
  'count(*) filter (where flags & 256 <> 0 and flags & 6 = 2)',
  'count(*) filter (where flags & 512 <> 0 and flags & 6 = 2)',
  'count(*) filter (where flags & 1024 <> 0 and flags & 6 = 2)',
];

export const FUNNEL_COLUMNS = [
  'enrolled',
  'contacted',
  'reached',
  'sent',
  'delivered',
  'bounced',
  'bounced_hard',
  'bounced_soft',
  'opened_human',
  'opened_all',
  'clicked',
  'replied',
  'out_of_office',
  'meetings',
  'unsubscribed',
  'n_bounce',
  'n_open',
  'n_open_all',
  'n_click',
  'n_reply',
  'n_ooo',
  'n_meet',
  'n_unsub',
] as const;

/** The daily series' counters, in DAILY_COLUMNS order; `points.k` numbers them. */
export const DAILY_COLUMNS = [
  'enrolled',
  'sent',
  'bounced',
  'opened_human',
  'clicked',
  'replied',
  'meetings',
  'unsubscribed',
] as const;

const funnelArray = sql.raw(`array[${FUNNEL_PARTS.map((p) => `(${p})::int4`).join(', ')}]`);
const dailyArray = sql.raw(
  `array[${DAILY_COLUMNS.map((_, k) => `(count(*) filter (where k = ${k}))::int4`).join(', ')}]`,
);

/** A/B tallies from `sends` and `lv`: reached (no hard bounce at that step), and replied to that step. */
const abSelect = sql`
  select cs.sequence_id, s.step, s.variant, cs.anchor as day,
    count(*)::int4 as reached,
    (count(*) filter (where coalesce(l.flags, 0) & 128 <> 0))::int4 as replied
  from sends s
  join cs on cs.contact = s.contact
  left join lv l on s.step >= 0 and l.contact = s.contact and l.level = s.step
  where s.variant >= 0 and coalesce(l.flags, 0) & 4 = 0
  group by 1, 2, 3, 4`;

const adds = (table: string, names: readonly string[]) =>
  sql.raw(names.map((n) => `${n} = ${table}.${n} + excluded.${n}`).join(', '));
const scaled = (arr: string, names: readonly string[], sign: 1 | -1) =>
  sql.raw(names.map((_, i) => `${sign} * ${arr}[${i + 1}]`).join(', '));

/**
 * Adds (sign 1) or takes away (sign -1) what these contacts count over all time to the team's rollups: the
 * funnel and A/B rows by the day of the contact's first event, the daily series by quarter hour.
 */
export async function applyContributions(
  db: Db,
  team: string,
  contacts: RawBuilder<boolean>,
  sign: 1 | -1,
): Promise<void> {
  await sql`
    with ${contributionCtes(team, contacts, ALL_TIME)},
    funnel as (
      insert into analytics_funnel (team_id, sequence_id, mailbox, level, day, ${sql.raw(FUNNEL_COLUMNS.join(', '))})
      select ${team}, sequence_id, mailbox, level, day, ${scaled('v', FUNNEL_COLUMNS, sign)}
      from (select sequence_id, mailbox, level, anchor as day, ${funnelArray} as v from lvd group by 1, 2, 3, 4) f
      on conflict (team_id, sequence_id, mailbox, level, day)
        do update set ${adds('analytics_funnel', FUNNEL_COLUMNS)}
    ),
    ab as (
      insert into analytics_ab (team_id, sequence_id, step, variant, day, reached, replied)
      select ${team}, sequence_id, step, variant, day, ${sign} * reached, ${sign} * replied from (${abSelect}) a
      on conflict (team_id, sequence_id, step, variant, day)
        do update set ${adds('analytics_ab', ['reached', 'replied'])}
    )
    insert into analytics_daily (team_id, level, slot, ${sql.raw(DAILY_COLUMNS.join(', '))})
    select ${team}, level, slot, ${scaled('v', DAILY_COLUMNS, sign)}
    from (select level, (at / ${SLOT_MS})::int4 as slot, ${dailyArray} as v from points group by 1, 2) d
    on conflict (team_id, level, slot) do update set ${adds('analytics_daily', DAILY_COLUMNS)}
  `.execute(db);
}

/** One row of what contacts count: a funnel row (f), an A/B tally (a) or a day of the series (d). */
export interface ContributionRow {
  part: 'f' | 'a' | 'd';
  sequence_id: string;
  mailbox: string;
  /** f and d: the level (-1 the whole contact, else a step); a: the step. */
  level: number;
  /** a: the variant; d: the day's index in the range. */
  k: number;
  v: number[];
}

/**
 * What these contacts count in `range`, for an answer. With `onlyWithin`, only what the rollups over those
 * covered days hold of them (to take away): funnel and A/B rows of contacts whose first event is on one of
 * those UTC days, and the daily series' counts within the range.
 */
export async function contributionRows(
  db: Db,
  team: string,
  contacts: RawBuilder<boolean>,
  range: Range,
  dayIndex: (at: RawBuilder<number>) => RawBuilder<number>,
  onlyWithin?: { firstDay: number; endDay: number; range: Range },
): Promise<ContributionRow[]> {
  const anchored = onlyWithin
    ? sql`where anchor >= ${onlyWithin.firstDay} and anchor < ${onlyWithin.endDay}`
    : sql``;
  const abAnchored = onlyWithin
    ? sql`where day >= ${onlyWithin.firstDay} and day < ${onlyWithin.endDay}`
    : sql``;
  const timed = onlyWithin
    ? sql`where at >= ${onlyWithin.range.from} and at < ${onlyWithin.range.to}`
    : sql``;
  const { rows } = await sql<ContributionRow>`
    with ${contributionCtes(team, contacts, range)}
    select 'f' as part, sequence_id, mailbox, level, 0 as k, ${funnelArray} as v
    from lvd ${anchored} group by sequence_id, mailbox, level
    union all
    select 'a', sequence_id, '', step, variant, array[sum(reached), sum(replied)]::int4[]
    from (${abSelect}) a ${abAnchored} group by sequence_id, step, variant
    union all
    select 'd', '', '', level, b, ${dailyArray}
    from (select level, ${dayIndex(sql<number>`at`)} as b, k from points ${timed}) p group by level, b
  `.execute(db);
  return rows;
}
