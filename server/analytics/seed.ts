import { sql } from 'kysely';
import type { Db } from '../db/database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeedOptions {
  teamId: string;
  /** Member ids; enrollment n belongs to owners[n % owners.length] and sends from rep-<that index>@acme.test. */
  owners: string[];
  sequences: number;
  count: number;
  /** The first enrollment's day; enrollments start over 80 days from it. */
  start: number;
}

/**
 * Writes `count` events of a team straight into the database in one INSERT ... SELECT over generate_series,
 * shaped like tools/bench/team-history.ts's teamHistory (for benchmarks and the tests that check the seed):
 * enrollments over 80 days, three emails and a call task each, opens (a fifth of them machine), clicks,
 * replies with meetings, bounces, tasks done, skipped or left open. Deterministic: hashint8 stands in for a
 * random generator. The events are stored as any synced event is; analytics is then rebuilt from them.
 */
export async function seedEvents(db: Db, o: SeedOptions): Promise<number> {
  // About 10.6 events per enrollment: a few more enrollments than needed, then the first `count` events.
  const enrollments = Math.ceil(o.count / 9) + 10;
  const r = (salt: number | string) =>
    sql.raw(`((hashint8(n::int8 * 1009 + ${salt}) & 2147483647)::float8 / 2147483648)`);
  const { rows } = await sql<{ inserted: number }>`
    with enr as (
      select n, ${o.start}::int8 + floor(${r(1)} * ${80 * DAY})::int8 as t0,
        'seq-' || (n % ${o.sequences}) as sequence_id,
        n % ${o.owners.length} as rep,
        -- The step at which the enrollment stops: its first bounce or reply (3 emails: steps 0, 1 and 3).
        coalesce(
          case when ${r(20)} < 0.02 or ${r(90)} < 0.08 then 0 end,
          case when ${r(21)} < 0.02 or ${r(91)} < 0.08 then 1 end,
          case when ${r(23)} < 0.02 or ${r(93)} < 0.08 then 3 end,
          3
        ) as stop
      from generate_series(0, ${enrollments - 1}) n
    ),
    steps as (
      select enr.*, s, t0 + s * ${DAY}::int8 + floor(((hashint8(n::int8 * 1009 + 10 + s) & 2147483647)::float8
        / 2147483648) * ${DAY})::int8 as ts,
        (hashint8(n::int8 * 1009 + 20 + s) & 2147483647)::float8 / 2147483648 as u,
        (hashint8(n::int8 * 1009 + 90 + s) & 2147483647)::float8 / 2147483648 as v
      from enr cross join generate_series(0, 3) s
      where s <= stop
    ),
    ev as (
      select n, 0 as k, 'enrolled' as type, t0 as at, 0 as step, '{}'::jsonb as data from enr
      union all
      -- Emails: sent, then a bounce or opens, a click, a reply (and a meeting).
      select n, s * 100 + 1, 'sent', ts, s,
        case when s = 0 then jsonb_build_object('variant', (n / 50) % 2, 'subject', 'Hello')
             else '{"subject": "Hello"}'::jsonb end
      from steps where s <> 2
      union all
      select n, s * 100 + 2, 'bounced', ts + 60000, s + 1, jsonb_build_object('permanent', u < 0.015)
      from steps where s <> 2 and u < 0.02
      union all
      select n, s * 100 + 10 + j, 'opened',
        ts + (j + 1) * floor(((hashint8(n::int8 * 1009 + 40 + s * 4 + j) & 2147483647)::float8 / 2147483648)
          * ${HOUR})::int8, s,
        case when (hashint8(n::int8 * 1009 + 60 + s * 4 + j) & 2147483647)::float8 / 2147483648 < 0.2
          then '{"machine": true, "flag": "image_proxy"}'::jsonb else '{}'::jsonb end
      from steps cross join generate_series(0, 2) j
      where s <> 2 and u >= 0.02
        and j < floor(((hashint8(n::int8 * 1009 + 30 + s) & 2147483647)::float8 / 2147483648) * 4)
      union all
      select n, s * 100 + 20, 'clicked', ts + ${HOUR / 2}, s, jsonb_build_object('url', 'https://acme.test/')
      from steps
      where s <> 2 and u >= 0.02 and (hashint8(n::int8 * 1009 + 80 + s) & 2147483647)::float8 / 2147483648 < 0.1
      union all
      select n, s * 100 + 30 + x, (array['replied', 'meeting_booked', 'unenrolled'])[x + 1],
        ts + 2 * ${HOUR}, s + 1, '{}'::jsonb
      from steps cross join generate_series(0, 2) x
      where s <> 2 and u >= 0.02 and v < 0.08
        and (x <> 1 or (hashint8(n::int8 * 1009 + 100 + s) & 2147483647)::float8 / 2147483648 < 0.3)
      union all
      -- The call task: created due an hour later; four in five done (nine in ten of those on time or late),
      -- one in ten of those skipped.
      select n, 200 + x, (array['task_created', 'task_completed', 'task_skipped'])[x + 1],
        case when x = 0 then ts else ts + floor(${r(110)} * ${DAY})::int8 end, 2,
        jsonb_build_object('taskId', 'enr-' || n || ':2', 'dueAt', ts + ${HOUR})
      from steps cross join generate_series(0, 2) x
      where s = 2 and (x = 0 or (${r(111)} < 0.8 and (x = 2) = (${r(112)} < 0.1)))
    ),
    firsts as (
      select ev.*, enr.sequence_id, enr.rep from ev join enr using (n)
      order by n, k
      limit ${o.count}
    ),
    inserted as (
      insert into entities (team_id, kind, id, owner_id, shared, version, deleted, data)
      select ${o.teamId}, 'event', type || ':enr-' || n || ':' || k, (${o.owners}::text[])[rep + 1], false,
        t.version + row_number() over (), false,
        jsonb_build_object(
          'id', type || ':enr-' || n || ':' || k, 'at', at, 'type', type, 'enrollmentId', 'enr-' || n,
          'contactId', 'contact-' || n, 'sequenceId', sequence_id, 'mailbox', 'rep-' || rep || '@acme.test',
          'stepIndex', step, 'data', data
        )
      from firsts cross join (select version from teams where id = ${o.teamId}) t
      returning version
    ),
    moved as (
      update teams set version = (select max(version) from inserted) where id = ${o.teamId}
    )
    select count(*)::int4 as inserted from inserted
  `.execute(db);
  return rows[0]!.inserted;
}
