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
  // Contacts are numbered (cid) so the sorts and groupings below compare integers, not collated text; their
  // scope joins back at the end. Facts are looked up per contact (lateral, by index).
  return sql`
    cs as materialized (
      select (row_number() over ())::int4 as cid, c.contact, c.sequence_id, c.mailbox,
        (c.first_at / ${DAY_MS})::int4 as anchor
      from analytics_contacts c
      where c.team_id = ${team} and (${contacts})
    ),
    ev as materialized (
      select cs.cid, e.id, e.type, e.at, e.step, e.variant, e.flag
      from cs cross join lateral (
        select e.id, e.type, e.at, e.step, e.variant, e.flag from analytics_events e
        where e.team_id = ${team} and e.contact = cs.contact and e.at < ${to}
          and e.type in ('enrolled', 'sent', 'opened', 'clicked', 'bounced', 'replied', 'out_of_office',
                         'meeting_booked', 'unsubscribed')
        offset 0
      ) e
    ),
    sends as (
      select distinct on (cid, at, step) cid, at, step, variant
      from ev where type = 'sent' and at >= ${from}
      order by cid, at, step, id collate "C"
    ),
    placed as (
      select cid, type, at, flag,
        max(case when type = 'sent' then array[at, step::int8] end)
          over (partition by cid order by at, type <> 'sent' rows unbounded preceding) as last_send
      from ev
      where type = 'sent' or (at >= ${from} and type <> 'enrolled')
    ),
    marks as (
      select cid, step, 1 as f, at, -1 as variant from ev where type = 'enrolled' and at >= ${from}
      union all
      select cid, step, 2, at, variant from sends
      union all
      select cid, coalesce(last_send[2]::int4, -1),
        case type
          when 'bounced' then case when flag then 4 else 8 end
          when 'opened' then case when flag then 32 else 48 end
          when 'clicked' then 64
          when 'replied' then 128
          when 'out_of_office' then 256
          when 'meeting_booked' then 512
          else 1024
        end,
        at, -1
      from placed where type <> 'sent'
      union all
      -- Opens and clicks naming their step: only the first of each kind per step matters.
      select cs.cid, h.step, case h.kind when 'h' then 48 when 'm' then 32 else 64 end, h.at, -1
      from cs cross join lateral (
        select h.step, h.kind, min(h.min_at) as at from analytics_hits h
        where h.team_id = ${team} and h.contact = cs.contact
          and h.slot >= ${Math.ceil(from / SLOT_MS)} and h.slot < ${Math.ceil(to / SLOT_MS)}
        group by h.step, h.kind
      ) h
    ),
    -- sf: everything that befell the mark's step (none for emails of no step), e.g. whether its email bounced.
    marked as materialized (
      select marks.*, case when step >= 0 then bit_or(f) over (partition by cid, step) else 0 end as sf
      from marks
    ),
    lv as materialized (
      select cid, case when grouping(step) = 1 then -1 else step end as level,
        bit_or(f) as flags,
        count(*) filter (where f = 2) as n_sent,
        count(*) filter (where f = 2 and sf & 12 = 0) as n_delivered,
        count(*) filter (where f = 4) as n_hard,
        count(*) filter (where f = 8) as n_soft,
        min(at) filter (where f = 1) as t_enrolled,
        min(at) filter (where f & 16 <> 0) as t_open,
        min(at) filter (where f = 64) as t_click,
        min(at) filter (where f = 128) as t_reply,
        min(at) filter (where f = 512) as t_meet,
        min(at) filter (where f = 1024) as t_unsub
      from marked
      group by grouping sets ((cid), (cid, step))
      having grouping(step) = 1 or step >= 0
    ),
    points as (
      select level, t_enrolled as at, 0 as k from lv where t_enrolled is not null
      union all select level, t_open, 3 from lv where t_open is not null
      union all select level, t_click, 4 from lv where t_click is not null
      union all select level, t_reply, 5 from lv where t_reply is not null
      union all select level, t_meet, 6 from lv where t_meet is not null
      union all select level, t_unsub, 7 from lv where t_unsub is not null
      union all select -1, at, 1 from marked where f = 2
      union all select step, at, 1 from marked where f = 2 and step >= 0
      union all select -1, at, 2 from marked where f in (4, 8)
      union all select step, at, 2 from marked where f in (4, 8) and step >= 0
    ),
    lvs as (select cs.sequence_id, cs.mailbox, cs.anchor, lv.* from lv join cs using (cid))`;
}

/** The funnel counters of `lv` rows, in FUNNEL_COLUMNS order (the analytics_funnel columns). */
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

/** A/B tallies: each email sent with a variant, unless its step bounced hard; replied if its step was replied to. */
const abSelect = sql`
  select cs.sequence_id, m.step, m.variant, cs.anchor as day,
    count(*)::int4 as reached,
    (count(*) filter (where m.sf & 128 <> 0))::int4 as replied
  from marked m join cs using (cid)
  where m.f = 2 and m.variant >= 0 and m.sf & 4 = 0
  group by 1, 2, 3, 4`;

/**
 * Runs a statement of the CTEs above with joins by hash or merge only: the planner misjudges how many rows
 * the CTEs hold, and a nested loop between two of them is quadratic. The lookups by index stay nested loops
 * (they are lateral). Without JIT too: the cost of a disabled plan type would make PostgreSQL compile every
 * such statement, which takes longer than running it. Needs a transaction (the settings end with it).
 */
async function withoutNestedLoops<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute((trx) => withoutNestedLoops(trx, run));
  const { rows } = await sql<{ nestloop: string; jit: string }>`
    select current_setting('enable_nestloop') as nestloop, current_setting('jit') as jit,
      set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`.execute(db);
  const result = await run(db);
  await sql`select set_config('enable_nestloop', ${rows[0]!.nestloop}, true),
    set_config('jit', ${rows[0]!.jit}, true)`.execute(db);
  return result;
}

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
  const statement = sql`
    with ${contributionCtes(team, contacts, ALL_TIME)},
    funnel as (
      insert into analytics_funnel (team_id, sequence_id, mailbox, level, day, ${sql.raw(FUNNEL_COLUMNS.join(', '))})
      select ${team}, sequence_id, mailbox, level, day, ${scaled('v', FUNNEL_COLUMNS, sign)}
      from (select sequence_id, mailbox, level, anchor as day, ${funnelArray} as v from lvs group by 1, 2, 3, 4) f
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
  `;
  await withoutNestedLoops(db, (trx) => statement.execute(trx));
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
 * What these contacts count in `range`, for an answer (in a transaction with nested loops off, see query.ts). With `onlyWithin`, only what the rollups over those
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
  const statement = sql<ContributionRow>`
    with ${contributionCtes(team, contacts, range)}
    select 'f' as part, sequence_id, mailbox, level, 0 as k, ${funnelArray} as v
    from lvs ${anchored} group by sequence_id, mailbox, level
    union all
    select 'a', sequence_id, '', step, variant, array[sum(reached), sum(replied)]::int4[]
    from (${abSelect}) a ${abAnchored} group by sequence_id, step, variant
    union all
    select 'd', '', '', level, b, ${dailyArray}
    from (select level, ${dayIndex(sql<number>`at`)} as b, k from points ${timed}) p group by level, b
  `;
  return (await statement.execute(db)).rows;
}
