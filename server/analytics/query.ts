import { sql, type RawBuilder } from 'kysely';
import { localDays, offsetSpans } from '../../lib/analytics/days';
import {
  analyticsOf,
  emptyDays,
  type Analytics,
  type AnalyticsTallies,
  type Tally,
} from '../../lib/analytics/funnel';
import type { Db } from '../db/database';
import {
  ALL_TIME,
  contributionRows,
  DAILY_COLUMNS,
  DAY_MS,
  FUNNEL_COLUMNS,
  SLOT_MS,
  type ContributionRow,
  type Range,
} from './contributions';

export interface AnalyticsRequest extends Range {
  team: string;
  timeZone: string;
  /** Only these members' enrollments (a rep's own numbers, or a manager's pick). */
  owners?: string[];
  sequenceId?: string;
  stepIndex?: number;
}

/** Why a range cannot be counted exactly: a zone whose offsets are not whole quarter hours then. */
export class UnalignedZone extends Error {
  override name = 'UnalignedZone';
}

/**
 * The analytics of a team (or of some of its members, a sequence, a step) over whole days, as
 * computeAnalytics would compute them from the team's events. The team-wide answer sums the rollups over
 * the UTC days the range covers and corrects for the contacts that reach past them ("edge" contacts, counted
 * from their facts); a narrower one counts its contacts from their facts directly. The team's rows must be
 * built (facts.ts isBuilt; the route answers 503 until they are).
 */
export async function queryAnalytics(db: Db, q: AnalyticsRequest, readers?: Db): Promise<Analytics> {
  const spans = offsetSpans(q.timeZone, q.from, q.to);
  if (
    [q.from, q.to, ...spans.map((s) => s.start)].some((t) => t % SLOT_MS !== 0) ||
    spans.some((s) => s.offset % SLOT_MS !== 0)
  )
    throw new UnalignedZone(`${q.timeZone} is not on whole quarter hours of UTC during the range`);

  const dayOf = localDays(q.timeZone);
  const firstDay = dayOf(q.from);
  const daily = emptyDays(q.from, q.to, dayOf);
  const offsetAt = (at: RawBuilder<number>) =>
    spans.length <= 1
      ? sql`${spans[0]?.offset ?? 0}::int8`
      : sql`case ${sql.join(
          spans.slice(1).map((s, i) => sql`when ${at} < ${s.start}::int8 then ${spans[i]!.offset}::int8`),
          sql` `,
        )} else ${spans[spans.length - 1]!.offset}::int8 end`;
  const localDay = (at: RawBuilder<number>) => sql<number>`((${at} + ${offsetAt(at)}) / ${DAY_MS})`;
  // As computeAnalytics does, an instant dated outside the range (a clock turned back across midnight)
  // counts on the nearest day of it.
  const dayIndex = (at: RawBuilder<number>) =>
    sql<number>`least(greatest(${localDay(at)} - ${firstDay}, 0), ${daily.length - 1})::int4`;
  const level = q.stepIndex ?? -1;

  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql.raw(ANSWER_SETTINGS).execute(trx);
      const on = await sideBySide(trx, readers);
      const [parts, tasks] = await Promise.all([
        q.owners || q.sequenceId ? scoped(on, q, dayIndex) : teamWide(on, q, dayIndex),
        on((t) => taskRows(t, q, localDay, dayOf(q.to))),
      ]);
      return analyticsOf(talliesOf(parts, level, daily, tasks));
    });
}

/**
 * How an answer's statements are planned: no JIT (compiling costs more than these statements take) and no
 * nested loops (contributions.ts: the planner misjudges its CTEs; its lookups by index are lateral).
 */
const ANSWER_SETTINGS = 'set local jit = off; set local enable_nestloop = off';

/** Runs a piece of an answer: on its own connection when there are readers, else on the request's one. */
type On = <R>(work: (trx: Db) => Promise<R>) => Promise<R>;

/**
 * With readers (a PostgreSQL server), the answer's statements run side by side, each in a transaction that
 * imports the request transaction's snapshot, so together they read one state of the database. Without
 * (embedded PGlite, one connection), they queue on the request's transaction.
 */
async function sideBySide(trx: Db, readers: Db | undefined): Promise<On> {
  if (!readers) {
    // One after the other: a piece may change a setting of the transaction while it runs.
    let previous: Promise<unknown> = Promise.resolve();
    return (work) => {
      const next = previous.then(() => work(trx));
      previous = next.catch(() => undefined);
      return next;
    };
  }
  const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(trx);
  const snapshot = rows[0]!.snapshot;
  return (work) =>
    readers
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (reader) => {
        await sql.raw(`set transaction snapshot '${snapshot}'; ${ANSWER_SETTINGS}`).execute(reader);
        return work(reader);
      });
}

type Signed = ContributionRow & { sign: 1 | -1 };

function scoped(on: On, q: AnalyticsRequest, dayIndex: (at: RawBuilder<number>) => RawBuilder<number>) {
  const contacts = sql<boolean>`c.first_at < ${q.to} and c.last_at >= ${q.from}
    ${q.owners ? sql`and c.owner_id = any(${q.owners})` : sql``}
    ${q.sequenceId !== undefined ? sql`and c.sequence_id = ${q.sequenceId}` : sql``}`;
  return on((trx) => contributionRows(trx, q.team, contacts, q, dayIndex)).then((rows) =>
    rows.map((r): Signed => ({ ...r, sign: 1 })),
  );
}

async function teamWide(
  on: On,
  q: AnalyticsRequest,
  dayIndex: (at: RawBuilder<number>) => RawBuilder<number>,
): Promise<Signed[]> {
  const { team, from, to } = q;
  const level = q.stepIndex ?? -1;
  // The UTC days wholly inside the range: the funnel and A/B rollups are by the day of a contact's first event.
  const firstDay = Math.ceil(from / DAY_MS);
  const endDay = Math.max(firstDay, Math.floor(to / DAY_MS));
  const levels = level >= 0 ? sql`and level = ${level}` : sql``;
  const sum = (names: readonly string[]) =>
    sql.raw(`array[${names.map((n) => `sum(${n})::int4`).join(', ')}]`);
  // One statement for the three rollups (one round trip, one connection).
  const rollups = sql<ContributionRow>`
    select 'f' as part, sequence_id, mailbox, level, 0 as k, ${sum(FUNNEL_COLUMNS)} as v
    from analytics_funnel
    where team_id = ${team} and day >= ${firstDay} and day < ${endDay} ${levels}
    group by sequence_id, mailbox, level
    union all
    select 'a' as part, sequence_id, '' as mailbox, step as level, variant as k,
      ${sum(['reached', 'replied'])} as v
    from analytics_ab
    where team_id = ${team} and day >= ${firstDay} and day < ${endDay}
      ${level >= 0 ? sql`and step = ${level}` : sql``}
    group by sequence_id, step, variant
    union all
    select 'd' as part, '' as sequence_id, '' as mailbox, ${level}::int4 as level, b as k, v from (
      select ${dayIndex(sql`slot::int8 * ${SLOT_MS}`)} as b, ${sum(DAILY_COLUMNS)} as v
      from analytics_daily
      where team_id = ${team} and level = ${level} and slot >= ${from / SLOT_MS} and slot < ${to / SLOT_MS}
      group by 1
    ) d`;
  // Contacts in the range whose events reach outside those days: the rollups hold what they count over all
  // time (if their first event is on a covered day), which is taken away, and what they count in the range
  // is added instead.
  const edge = sql<boolean>`c.first_at < ${to} and c.last_at >= ${from}
    and (c.first_at < ${firstDay * DAY_MS} or c.last_at >= ${endDay * DAY_MS})`;
  const [summed, inRange, held] = await Promise.all([
    on(async (trx) => (await rollups.execute(trx)).rows),
    on((trx) => contributionRows(trx, team, edge, q, dayIndex)),
    on((trx) => contributionRows(trx, team, edge, ALL_TIME, dayIndex, { firstDay, endDay, range: q })),
  ]);
  return [
    ...[...summed, ...inRange].map((r): Signed => ({ ...r, sign: 1 })),
    ...held.map((r): Signed => ({ ...r, sign: -1 })),
  ];
}

interface TaskRow {
  mailbox: string;
  due: number;
  onTime: number;
  late: number;
  skipped: number;
  overdue: number;
  pending: number;
  cancelled: number;
}

/** Tasks due in the range, by what became of them (lib/analytics/definitions.ts, RULES.tasks). */
async function taskRows(
  trx: Db,
  q: AnalyticsRequest,
  localDay: (at: RawBuilder<number>) => RawBuilder<number>,
  lastDay: number,
): Promise<TaskRow[]> {
  // The category is worked out once per task (offset 0 keeps the planner from copying it into each count).
  const { rows } = await sql<TaskRow>`
    select mailbox, count(*)::int4 as due,
      (count(*) filter (where c = 'o'))::int4 as "onTime",
      (count(*) filter (where c = 'l'))::int4 as late,
      (count(*) filter (where c = 's'))::int4 as skipped,
      (count(*) filter (where c = 'v'))::int4 as overdue,
      (count(*) filter (where c = 'p'))::int4 as pending,
      (count(*) filter (where c = 'x'))::int4 as cancelled
    from (
      select coalesce(mailbox, '') as mailbox,
        case
          when done_at < ${q.to} and (ended_at is null or done_at <= ended_at) then
            case when skipped then 's'
                 when ${localDay(sql`done_at`)} <= ${localDay(sql`due_at`)} then 'o'
                 else 'l' end
          when ended_at < ${q.to} then 'x'
          when ${lastDay} > ${localDay(sql`due_at`)} then 'v'
          else 'p'
        end as c
      from analytics_tasks
      where team_id = ${q.team} and due_at >= ${q.from} and due_at < ${q.to}
        ${q.owners ? sql`and owner_id = any(${q.owners})` : sql``}
        ${q.sequenceId !== undefined ? sql`and coalesce(sequence_id, '') = ${q.sequenceId}` : sql``}
        ${q.stepIndex !== undefined ? sql`and step = ${q.stepIndex}` : sql``}
      offset 0
    ) t
    group by mailbox`.execute(trx);
  return rows;
}

const ZERO_TALLY = (): number[] => new Array<number>(FUNNEL_COLUMNS.length).fill(0);

function tallyOf(v: number[]): Tally {
  const [enrolled, contacted, reached, sent, delivered, bounced, bouncedHard, bouncedSoft, ...rest] = v;
  const [openedHuman, openedAll, clicked, replied, outOfOffice, meetings, unsubscribed, ...n] = rest;
  return {
    counts: {
      enrolled: enrolled!,
      contacted: contacted!,
      reached: reached!,
      sent: sent!,
      delivered: delivered!,
      bounced: bounced!,
      bouncedHard: bouncedHard!,
      bouncedSoft: bouncedSoft!,
      openedHuman: openedHuman!,
      openedAll: openedAll!,
      clicked: clicked!,
      replied: replied!,
      outOfOffice: outOfOffice!,
      meetings: meetings!,
      unsubscribed: unsubscribed!,
    },
    numerators: {
      bounceRate: n[0]!,
      openRate: n[1]!,
      openRateAll: n[2]!,
      clickRate: n[3]!,
      replyRate: n[4]!,
      outOfOfficeRate: n[5]!,
      meetingRate: n[6]!,
      unsubscribeRate: n[7]!,
    },
  };
}

/** Sums the signed rows into the tallies of the answer: level -1 (or the filtered step) is the contacts. */
function talliesOf(parts: Signed[], level: number, daily: AnalyticsTallies['daily'], tasks: TaskRow[]) {
  const add = (map: Map<string, number[]>, key: string, r: Signed, size: number) => {
    let acc = map.get(key);
    if (!acc) map.set(key, (acc = new Array<number>(size).fill(0)));
    r.v.forEach((x, i) => (acc[i]! += r.sign * x));
  };
  const totals = ZERO_TALLY();
  const sequences = new Map<string, number[]>();
  const reps = new Map<string, number[]>();
  const steps = new Map<string, number[]>();
  const variants = new Map<string, number[]>();
  const days = new Map<string, number[]>();
  for (const r of parts) {
    if (r.part === 'f') {
      if (r.level === level) {
        r.v.forEach((x, i) => (totals[i]! += r.sign * x));
        add(sequences, r.sequence_id, r, FUNNEL_COLUMNS.length);
        add(reps, r.mailbox, r, FUNNEL_COLUMNS.length);
      }
      if (r.level >= 0 && (level < 0 || r.level === level))
        add(steps, JSON.stringify([r.sequence_id, r.level]), r, FUNNEL_COLUMNS.length);
    } else if (r.part === 'a') {
      if (level < 0 || r.level === level) add(variants, JSON.stringify([r.sequence_id, r.level, r.k]), r, 2);
    } else if (r.level === level) add(days, String(r.k), r, DAILY_COLUMNS.length);
  }
  for (const [k, v] of days) {
    const day = daily[Number(k)]!;
    [
      day.enrolled,
      day.sent,
      day.bounced,
      day.openedHuman,
      day.clicked,
      day.replied,
      day.meetings,
      day.unsubscribed,
    ] = v as [number, number, number, number, number, number, number, number];
  }
  return {
    totals: tallyOf(totals),
    bySequence: [...sequences].map(([sequenceId, v]) => ({ sequenceId, tally: tallyOf(v) })),
    byRep: [...reps].map(([mailbox, v]) => ({ mailbox, tally: tallyOf(v) })),
    byStep: [...steps].map(([key, v]) => {
      const [sequenceId, stepIndex] = JSON.parse(key) as [string, number];
      return { sequenceId, stepIndex, tally: tallyOf(v) };
    }),
    daily,
    variants: [...variants]
      .map(([key, [reached, replied]]) => {
        const [sequenceId, stepIndex, variant] = JSON.parse(key) as [string, number, number];
        return { sequenceId, stepIndex, variant, reached: reached!, replied: replied! };
      })
      .filter((v) => v.reached > 0),
    tasks,
  } satisfies AnalyticsTallies;
}
