import { sql } from 'kysely';
import type { Event } from '../../lib/domain/event';
import { applyContributions, SLOT_MS } from '../analytics/contributions';
import { ingestEvents, isBuilt } from '../analytics/facts';
import type { Db } from '../db/database';

/** One open or click event about to be stored, as the batcher classified it. */
export interface HitEvent {
  id: string;
  ownerId: string;
  event: Event;
}

/** The largest step analytics folds as a hit (an int4 column); a larger one is ingested as any event. */
const MAX_STEP = 2_147_483_647;

/** Orders like PostgreSQL's `order by at, id collate "C"` (bytes, not UTF-16 units). */
const firstOf = (a: HitEvent, b: HitEvent) =>
  a.event.at - b.event.at || Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));

/**
 * Stores a batch of opens and clicks as the team's events, and takes them into analytics, in the caller's
 * transaction: what ChangeWriter.insertNew plus analytics' ingestEvents would do, at a fraction of the
 * cost per event (the batch is most of what the server writes under a mail client's opens):
 *
 * - the rows go in as one JSON parameter, not nine parameters each; they take the team's next versions under
 *   the team row's lock, as every writer does (a pull never misses a row that commits later);
 * - the analytics facts are folded in memory (per contact, step, kind and quarter hour: the first and last
 *   time; per contact: its first owner, sequence and mailbox, first and last time) and written as a few
 *   rows, instead of reading the stored events back and folding them in SQL; the rollups are recomputed only
 *   for contacts whose counts can change (a quarter hour's first hit), as ingestEvents does.
 *
 * The hits of a step too large for analytics' int4 (none that a token we signed carries today) are ingested
 * the general way. Returns the ids stored (those already present are left alone).
 */
export async function insertHits(trx: Db, teamId: string, events: HitEvent[]): Promise<Set<string>> {
  const team = await trx
    .selectFrom('teams')
    .select('version')
    .where('id', '=', teamId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const rows = events.map((e, i) => ({
    id: e.id,
    version: team.version + i + 1,
    owner_id: e.ownerId,
    data: e.event,
  }));
  const { rows: inserted } = await sql<{ id: string }>`
    insert into entities (team_id, kind, id, version, owner_id, shared, deleted, data)
    select ${teamId}, 'event', r.id, r.version, r.owner_id, false, false, r.data
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, version int8, owner_id text, data jsonb)
    on conflict (team_id, kind, id) do nothing
    returning id
  `.execute(trx);
  await trx
    .updateTable('teams')
    .set({ version: team.version + rows.length })
    .where('id', '=', teamId)
    .execute();
  const stored = new Set(inserted.map((r) => r.id));
  if (!stored.size || !(await isBuilt(trx, teamId))) return stored;
  const fresh = events.filter((e) => stored.has(e.id));
  const folded = fresh.filter(
    (e) =>
      typeof e.event.enrollmentId === 'string' &&
      Number.isInteger(e.event.stepIndex) &&
      e.event.stepIndex! >= 0 &&
      e.event.stepIndex! <= MAX_STEP &&
      Number.isSafeInteger(e.event.at),
  );
  const others = fresh.filter((e) => !folded.includes(e));
  if (others.length)
    await ingestEvents(
      trx,
      teamId,
      others.map((e) => e.id),
    );
  if (folded.length) await foldHits(trx, teamId, folded);
  return stored;
}

/** ingestEvents' work for opens and clicks naming their step (facts.ts: `is_hit`), folded in memory. */
async function foldHits(trx: Db, teamId: string, events: HitEvent[]): Promise<void> {
  const slots = new Map<
    string,
    { contact: string; step: number; kind: string; slot: number; min: number; max: number }
  >();
  const contacts = new Map<
    string,
    { first: HitEvent; sequence?: HitEvent; mailbox?: HitEvent; min: number; max: number }
  >();
  for (const e of events) {
    const { event } = e;
    // facts.ts: the contact is the enrollment; an open flagged `machine` counts apart ('m'), a click as 'c'.
    const contact = event.enrollmentId!;
    const kind =
      event.type === 'clicked'
        ? 'c'
        : (event.data as { machine?: unknown } | undefined)?.machine === true
          ? 'm'
          : 'h';
    const slot = Math.floor(event.at / SLOT_MS);
    const key = `${slot}\u0000${event.stepIndex}\u0000${kind}\u0000${contact}`;
    const s = slots.get(key);
    if (s) {
      s.min = Math.min(s.min, event.at);
      s.max = Math.max(s.max, event.at);
    } else slots.set(key, { contact, step: event.stepIndex!, kind, slot, min: event.at, max: event.at });
    const c = contacts.get(contact);
    const named = (k: 'sequenceId' | 'mailbox') => typeof event[k] === 'string' && event[k] !== '';
    if (!c)
      contacts.set(contact, {
        first: e,
        ...(named('sequenceId') ? { sequence: e } : {}),
        ...(named('mailbox') ? { mailbox: e } : {}),
        min: event.at,
        max: event.at,
      });
    else {
      if (firstOf(e, c.first) < 0) c.first = e;
      if (named('sequenceId') && (!c.sequence || firstOf(e, c.sequence) < 0)) c.sequence = e;
      if (named('mailbox') && (!c.mailbox || firstOf(e, c.mailbox) < 0)) c.mailbox = e;
      c.min = Math.min(c.min, event.at);
      c.max = Math.max(c.max, event.at);
    }
  }
  const slotRows = JSON.stringify([...slots.values()]);
  // A contact's counts change only where a quarter hour gets its first hit of a kind, or an earlier one.
  const { rows: changed } = await sql<{ contact: string }>`
    select distinct s.contact
    from jsonb_to_recordset(${slotRows}::jsonb) as s(contact text, step int4, kind text, slot int4, min int8, max int8)
    left join analytics_hits h on h.team_id = ${teamId} and h.contact = s.contact and h.step = s.step
      and h.kind = s.kind and h.slot = s.slot
    where h.contact is null or s.min < h.min_at
  `.execute(trx);
  const touched = sql<boolean>`c.contact = any(${changed.map((r) => r.contact)})`;
  if (changed.length) await applyContributions(trx, teamId, touched, -1);
  const contactRows = JSON.stringify(
    [...contacts].map(([contact, c]) => ({
      contact,
      owner_id: c.first.ownerId,
      sequence_id: c.sequence?.event.sequenceId ?? '',
      mailbox: c.mailbox?.event.mailbox ?? '',
      first_at: c.min,
      last_at: c.max,
    })),
  );
  await sql`
    with hits as (
      insert into analytics_hits (team_id, contact, step, kind, slot, min_at, max_at)
      select ${teamId}, s.contact, s.step, s.kind, s.slot, s.min, s.max
      from jsonb_to_recordset(${slotRows}::jsonb) as s(contact text, step int4, kind text, slot int4, min int8, max int8)
      on conflict (team_id, contact, step, kind, slot) do update
        set min_at = least(analytics_hits.min_at, excluded.min_at),
            max_at = greatest(analytics_hits.max_at, excluded.max_at)
    )
    insert into analytics_contacts (team_id, contact, owner_id, sequence_id, mailbox, first_at, last_at)
    select ${teamId}, c.contact, c.owner_id, c.sequence_id, c.mailbox, c.first_at, c.last_at
    from jsonb_to_recordset(${contactRows}::jsonb)
      as c(contact text, owner_id text, sequence_id text, mailbox text, first_at int8, last_at int8)
    on conflict (team_id, contact) do update set
      first_at = least(analytics_contacts.first_at, excluded.first_at),
      last_at = greatest(analytics_contacts.last_at, excluded.last_at),
      sequence_id = case when analytics_contacts.sequence_id = '' then excluded.sequence_id
                         else analytics_contacts.sequence_id end,
      mailbox = case when analytics_contacts.mailbox = '' then excluded.mailbox
                     else analytics_contacts.mailbox end
  `.execute(trx);
  if (changed.length) await applyContributions(trx, teamId, touched, 1);
}
