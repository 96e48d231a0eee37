import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';
import { applyContributions, SLOT_MS } from './contributions';

/**
 * The derivation the analytics rows are built with. Raising it makes every team's rows be rebuilt from its
 * events, in the background when a server starts (builder.ts); teams from before migration 0003 start below it.
 */
export const ANALYTICS_VERSION = 1;

/** An integer from a JSON value, or null (the extraction never fails on odd data a client recorded). */
const intOf = (json: string) =>
  `case when jsonb_typeof(${json}) = 'number' and (${json})::numeric between -2147483648 and 2147483647
     and (${json})::numeric = trunc((${json})::numeric) then (${json})::numeric::int4 end`;

/**
 * The team's stored events (entities of kind 'event') as analytics facts. A hit is an open or a click that
 * names its step (the tracking pixel's and links' events): those are folded per quarter hour. `counted`
 * marks what the funnels read (everything but tasks and unenrollments).
 */
function extracted(team: string, which: RawBuilder<boolean>) {
  return sql`
    select x.*,
      x.type in ('opened', 'clicked') and x.step >= 0 as is_hit,
      x.type not in ('task_created', 'task_completed', 'task_skipped', 'unenrolled') as counted
    from (
      select e.id, e.owner_id,
        e.data->>'type' as type,
        (e.data->>'at')::int8 as at,
        coalesce(${sql.raw(intOf(`e.data->'stepIndex'`))}, -1) as step,
        coalesce(
          e.data->>'enrollmentId',
          case when e.data ? 'contactId'
            then coalesce(e.data->>'sequenceId', '') || '|' || (e.data->>'contactId') end,
          e.id
        ) as contact,
        e.data->>'sequenceId' as sequence_id,
        e.data->>'mailbox' as mailbox,
        e.data->>'enrollmentId' as enrollment_id,
        coalesce(${sql.raw(intOf(`e.data->'data'->'variant'`))}, -1) as variant,
        case e.data->>'type'
          when 'opened' then coalesce(e.data->'data'->'machine' = 'true'::jsonb, false)
          when 'bounced' then coalesce(e.data->'data'->'permanent' = 'true'::jsonb, false)
          else false
        end as flag,
        case when e.data->>'type' in ('task_created', 'task_completed', 'task_skipped') then
          case when jsonb_typeof(e.data->'data'->'taskId') = 'string' then e.data->'data'->>'taskId' else e.id end
        end as task_id,
        case when jsonb_typeof(e.data->'data'->'dueAt') = 'number'
          then floor((e.data->'data'->>'dueAt')::numeric)::int8 end as due_at
      from entities e
      where e.team_id = ${team} and e.kind = 'event' and e.deleted = false and (${which})
    ) x
    where x.type in ('enrolled', 'sent', 'opened', 'clicked', 'bounced', 'replied', 'out_of_office',
                     'meeting_booked', 'unsubscribed', 'task_created', 'task_completed', 'task_skipped',
                     'unenrolled')`;
}

/** Writes the facts of these events: the events, the folded hits, and each contact's scope and span. */
async function insertFacts(db: Db, team: string, which: RawBuilder<boolean>): Promise<void> {
  await sql`
    with x as materialized (${extracted(team, which)}),
    events as (
      insert into analytics_events (team_id, id, contact, type, at, step, variant, flag, owner_id, sequence_id,
                                    mailbox, enrollment_id, task_id, due_at)
      select ${team}, id, contact, type, at, step, variant, flag, owner_id, sequence_id, mailbox, enrollment_id,
        task_id, due_at
      from x where not is_hit
      on conflict (team_id, id) do nothing
    ),
    hits as (
      insert into analytics_hits (team_id, contact, step, kind, slot, min_at, max_at)
      select ${team}, contact, step,
        case when type = 'clicked' then 'c' when flag then 'm' else 'h' end as kind,
        (at / ${SLOT_MS})::int4 as slot, min(at), max(at)
      from x where is_hit group by 2, 3, 4, 5
      on conflict (team_id, contact, step, kind, slot) do update
        set min_at = least(analytics_hits.min_at, excluded.min_at),
            max_at = greatest(analytics_hits.max_at, excluded.max_at)
    )
    insert into analytics_contacts (team_id, contact, owner_id, sequence_id, mailbox, first_at, last_at)
    select ${team}, contact,
      (array_agg(owner_id order by at, id collate "C"))[1],
      coalesce((array_agg(sequence_id order by at, id collate "C") filter (where sequence_id <> ''))[1], ''),
      coalesce((array_agg(mailbox order by at, id collate "C") filter (where mailbox <> ''))[1], ''),
      min(at), max(at)
    from x where counted group by contact
    on conflict (team_id, contact) do update set
      first_at = least(analytics_contacts.first_at, excluded.first_at),
      last_at = greatest(analytics_contacts.last_at, excluded.last_at),
      sequence_id = case when analytics_contacts.sequence_id = '' then excluded.sequence_id
                         else analytics_contacts.sequence_id end,
      mailbox = case when analytics_contacts.mailbox = '' then excluded.mailbox
                     else analytics_contacts.mailbox end
  `.execute(db);
}

/**
 * One row per task from its events, as computeAnalytics reads them in time order (then by id): the first
 * sequence, mailbox, enrollment, step and due time named, the first completion or skip, and when its
 * enrollment ended.
 */
async function refreshTasks(db: Db, team: string, tasks: RawBuilder<boolean>): Promise<void> {
  await sql`
    insert into analytics_tasks (team_id, task_id, owner_id, sequence_id, mailbox, enrollment_id, step, due_at,
                                 done_at, skipped, ended_at)
    select ${team}, t.task_id, t.owner_id, t.sequence_id, t.mailbox, t.enrollment_id, t.step, t.due_at,
      t.done_at, t.skipped,
      (select min(u.at) from analytics_events u
        where u.team_id = ${team} and u.type = 'unenrolled' and u.enrollment_id = t.enrollment_id)
    from (
      select task_id,
        (array_agg(owner_id order by at, id collate "C"))[1] as owner_id,
        (array_agg(sequence_id order by at, id collate "C") filter (where sequence_id is not null))[1]
          as sequence_id,
        (array_agg(mailbox order by at, id collate "C") filter (where mailbox is not null))[1] as mailbox,
        (array_agg(enrollment_id order by at, id collate "C") filter (where enrollment_id is not null))[1]
          as enrollment_id,
        coalesce((array_agg(step order by at, id collate "C") filter (where step >= 0))[1], -1) as step,
        (array_agg(due_at order by at, id collate "C") filter (where due_at is not null))[1] as due_at,
        min(at) filter (where type <> 'task_created') as done_at,
        coalesce((array_agg(type = 'task_skipped' order by at, id collate "C")
          filter (where type <> 'task_created'))[1], false) as skipped
      from analytics_events
      where team_id = ${team} and task_id is not null and (${tasks})
      group by task_id
    ) t
    on conflict (team_id, task_id) do update set
      owner_id = excluded.owner_id, sequence_id = excluded.sequence_id, mailbox = excluded.mailbox,
      enrollment_id = excluded.enrollment_id, step = excluded.step, due_at = excluded.due_at,
      done_at = excluded.done_at, skipped = excluded.skipped, ended_at = excluded.ended_at
  `.execute(db);
}

export async function isBuilt(db: Db, team: string): Promise<boolean> {
  const row = await db
    .selectFrom('analytics_teams')
    .select('version')
    .where('team_id', '=', team)
    .executeTakeFirst();
  return row?.version === ANALYTICS_VERSION;
}

/**
 * Keeps a team's analytics current with events just stored (in the writer's transaction, under the team's
 * lock). What the touched contacts counted is taken away from the rollups, their new facts written, and what
 * they count now added back. An open or click that changes no quarter hour's first time changes no count, so
 * a second open of the same email costs one upsert. A team not built yet is skipped: its build takes in what
 * was written meanwhile.
 */
export async function ingestEvents(db: Db, team: string, ids: readonly string[]): Promise<void> {
  if (!ids.length || !(await isBuilt(db, team))) return;
  const which = sql<boolean>`e.id = any(${[...ids]})`;
  const { rows } = await sql<{ what: 'c' | 't' | 'e'; id: string }>`
    with x as materialized (${extracted(team, which)})
    select distinct 'c' as what, x.contact as id from x
      left join analytics_hits h on x.is_hit and h.team_id = ${team} and h.contact = x.contact
        and h.step = x.step and h.slot = (x.at / ${SLOT_MS})::int4
        and h.kind = case when x.type = 'clicked' then 'c' when x.flag then 'm' else 'h' end
      where x.counted and (not x.is_hit or h.contact is null or x.at < h.min_at)
    union all
    select distinct 't', task_id from x where task_id is not null
    union all
    select distinct 'e', enrollment_id from x where type = 'unenrolled' and enrollment_id is not null
  `.execute(db);
  const list = (what: string) => rows.filter((r) => r.what === what).map((r) => r.id);
  const contacts = list('c');
  const touched = sql<boolean>`c.contact = any(${contacts})`;
  if (contacts.length) await applyContributions(db, team, touched, -1);
  await insertFacts(db, team, which);
  if (contacts.length) await applyContributions(db, team, touched, 1);
  const tasks = list('t');
  const ended = list('e');
  if (tasks.length || ended.length)
    await refreshTasks(
      db,
      team,
      sql<boolean>`(task_id = any(${tasks}) or task_id in (select task_id from analytics_tasks
        where team_id = ${team} and enrollment_id = any(${ended})))`,
    );
}

/** Marks a team's rows current: a new team's (nothing to count yet) or a finished build's. */
export async function markBuilt(db: Db, team: string): Promise<void> {
  await sql`
    insert into analytics_teams (team_id, version) values (${team}, ${ANALYTICS_VERSION})
    on conflict (team_id) do update set version = excluded.version
  `.execute(db);
}

/**
 * Builds a team's analytics from all its stored events, in the caller's transaction (the caller makes sure
 * nobody else builds the team meanwhile: builder.ts). The bulk of the work does not hold the team's lock, so
 * the team's writers are not kept waiting: it counts the events up to the team's change counter as it was at
 * the start (every write up to it has committed: writers take the counter under the team's lock and commit
 * with it). The writers meanwhile skip analytics (the team is not built); at the end, under the team's lock,
 * their events are taken in like any write's and the team is marked built. `signal` stops it between
 * statements (the caller's transaction then rolls back).
 */
export async function rebuildTeam(db: Db, team: string, signal?: AbortSignal): Promise<void> {
  // Between statements, back to the event loop first: PGlite answers on this thread without yielding, so a
  // shutdown signal would otherwise be noticed only once the whole build is done.
  const step = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  };
  const counter = await db.selectFrom('teams').select('version').where('id', '=', team).executeTakeFirst();
  if (!counter) throw new Error(`no team ${team}`);
  for (const table of [
    'analytics_events',
    'analytics_hits',
    'analytics_contacts',
    'analytics_tasks',
    'analytics_funnel',
    'analytics_ab',
    'analytics_daily',
  ]) {
    await step();
    await sql`delete from ${sql.table(table)} where team_id = ${team}`.execute(db);
  }
  await step();
  await insertFacts(db, team, sql<boolean>`e.version <= ${counter.version}`);
  await step();
  await applyContributions(db, team, sql<boolean>`true`, 1);
  await step();
  await refreshTasks(db, team, sql<boolean>`true`);
  await step();
  await db.selectFrom('teams').select('id').where('id', '=', team).forUpdate().execute();
  const later = await db
    .selectFrom('entities')
    .select('id')
    .where('team_id', '=', team)
    .where('kind', '=', 'event')
    .where('deleted', '=', false)
    .where('version', '>', counter.version)
    .execute();
  await markBuilt(db, team);
  await ingestEvents(
    db,
    team,
    later.map((e) => e.id),
  );
}
