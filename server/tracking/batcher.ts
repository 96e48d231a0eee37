import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { flagOf, OWN_VIEW_LEAD_MS } from './classify';
import { insertHits, type HitEvent } from './hit-writes';

/** An open or a click as the pixel or a tracked link saw it; it becomes an event when written. */
export interface Hit {
  teamId: string;
  ownerId: string;
  type: 'opened' | 'clicked';
  enrollmentId: string;
  stepIndex: number;
  at: number;
  /** When the link was made (about when the email left). */
  sentAt: number;
  userAgent: string | undefined;
  url?: string;
  /** The event id (random: every hit is its own happening). */
  id: string;
  /** The link it came through (routes.ts, linkKeyOf): the key of the per-link cap all processes share. */
  linkKey?: string;
}

export interface BatcherOptions {
  maxDelayMs?: number;
  maxBatch?: number;
  /**
   * How long a hit waits before it is classified and written, so that the rep's own view of the thread,
   * reported by the extension a moment after their mail client loaded the pixel, still marks it `own_view`.
   */
  holdMs?: number;
  /**
   * Hits written per link and minute, counted in PostgreSQL (`link_hits`) so the cap holds across every
   * server process on the database; 0 for none. The rest are dropped (the pixel was answered anyway).
   */
  perLinkPerMinute?: number;
  /**
   * While hits arrive at least this fast (per second), the pixel is busy answering: the writes then take at
   * most `busyDuty` of the time (one batch, then a pause), so that the database's work does not take the CPU
   * the answers need, and they catch up when the burst is over.
   */
  busyPerSecond?: number;
  busyDuty?: number;
  /**
   * The most hits waiting in memory (held or queued): past it, the writes run at full speed whatever the
   * load, so the queue stops growing as fast as the answers; an answered hit is never dropped for it.
   */
  maxQueued?: number;
}

/**
 * A queued hit is about 1.3 KB of memory (measured with hits shaped as record() makes them, distinct tokens):
 * 100,000 are about 130 MB, about ten seconds of the bench's burst on this 2-core machine.
 */
export const MAX_QUEUED_HITS = 100_000;

/**
 * Opens and clicks are written in batches (one transaction per team, `maxBatch` at most), after a short hold,
 * so the pixel answers without waiting for the database. Each is classified when written (classify.ts: too
 * soon, the rep's own view, proxies, scanners) and carries its enrollment's sequence, contact and mailbox,
 * like the runner's events, so analytics counts it where its enrollment is (hit-writes.ts: one statement for
 * the rows, the analytics folded in memory). The pixel is answered before its open is written: a crash loses
 * the hits held and queued, a few seconds' worth, or more after a burst faster than the database writes.
 * While hits arrive fast (`busyPerSecond`), the writes take at most `busyDuty` of the time, so the answers keep
 * the CPU (on PGlite the writes run in its thread, on the same cores); they queue in memory meanwhile and are
 * written at full speed once the burst is over, or at once past `maxQueued` (the queue then grows only as
 * fast as the answers outrun the database, and no answered hit is dropped). Unsubscribes are never batched.
 */
export function createHitBatcher(
  db: Db,
  log: Logger,
  {
    maxDelayMs = 50,
    maxBatch = 500,
    holdMs = 3000,
    perLinkPerMinute = 0,
    busyPerSecond = 1000,
    busyDuty = 0.2,
    maxQueued = MAX_QUEUED_HITS,
  }: BatcherOptions = {},
) {
  // In arrival order; `head` is the first not yet taken (the array is compacted now and then, not per flush).
  let queue: { hit: Hit; queuedAt: number }[] = [];
  let head = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  /**
   * The hits still within their link's minute (every process adds to the same counters, one upsert per
   * batch), and only those of current members: a removed member's emails stop counting.
   */
  async function admitted(trx: Db, teamId: string, hits: Hit[]): Promise<Hit[]> {
    const owners = [...new Set(hits.map((h) => h.ownerId))];
    const current = new Set(
      (
        await trx
          .selectFrom('users')
          .select('id')
          .where('team_id', '=', teamId)
          .where('id', 'in', owners)
          .where('removed', '=', false)
          .execute()
      ).map((u) => u.id),
    );
    let kept = hits.filter((h) => current.has(h.ownerId));
    if (!perLinkPerMinute || !kept.length) return kept;
    const counts = new Map<string, { key: string; minute: number; n: number }>();
    for (const h of kept) {
      if (!h.linkKey) continue;
      const minute = Math.floor(h.at / 60_000);
      const id = `${minute}|${h.linkKey}`;
      const entry = counts.get(id);
      if (entry) entry.n++;
      else counts.set(id, { key: h.linkKey, minute, n: 1 });
    }
    if (!counts.size) return kept;
    const totals = await trx
      .insertInto('link_hits')
      .values([...counts.values()].map((e) => ({ key: e.key, minute: e.minute, hits: e.n })))
      .onConflict((oc) =>
        oc.columns(['key', 'minute']).doUpdateSet({ hits: sql`link_hits.hits + excluded.hits` }),
      )
      .returning(['key', 'minute', 'hits'])
      .execute();
    // Of a link's hits in this batch, those that fit under the cap after what was counted before them.
    const room = new Map(
      totals.map((t) => {
        const before = t.hits - counts.get(`${t.minute}|${t.key}`)!.n;
        return [`${t.minute}|${t.key}`, Math.max(0, perLinkPerMinute - before)];
      }),
    );
    kept = kept.filter((h) => {
      if (!h.linkKey) return true;
      const id = `${Math.floor(h.at / 60_000)}|${h.linkKey}`;
      const left = room.get(id) ?? 0;
      room.set(id, left - 1);
      return left > 0;
    });
    // Old minutes count nothing any more.
    if (Math.random() < 0.01)
      await trx
        .deleteFrom('link_hits')
        .where('minute', '<', Math.floor(hits[0]!.at / 60_000) - 10)
        .execute();
    return kept;
  }

  async function writeTeam(teamId: string, batch: Hit[]) {
    await db.transaction().execute(async (trx) => {
      const hits = await admitted(trx, teamId, batch);
      if (!hits.length) return;
      const enrollmentIds = [...new Set(hits.map((h) => h.enrollmentId))];
      const enrollments = await trx
        .selectFrom('entities')
        .select([
          'id',
          sql<string | null>`data->>'sequenceId'`.as('sequenceId'),
          sql<string | null>`data->>'contactId'`.as('contactId'),
          sql<string | null>`data->>'mailbox'`.as('mailbox'),
        ])
        .where('team_id', '=', teamId)
        .where('kind', '=', 'enrollment')
        .where('id', 'in', enrollmentIds)
        .execute();
      const views = await trx
        .selectFrom('own_views')
        .select(['enrollment_id', 'from_at', 'until_at'])
        .where('team_id', '=', teamId)
        .where('enrollment_id', 'in', enrollmentIds)
        .where('until_at', '>=', Math.min(...hits.map((h) => h.at)))
        .execute();
      const where = new Map(enrollments.map((e) => [e.id, e]));
      const events = hits.map((h): HitEvent => {
        const viewing = views.some(
          (v) =>
            v.enrollment_id === h.enrollmentId && v.from_at - OWN_VIEW_LEAD_MS <= h.at && h.at <= v.until_at,
        );
        const flag = flagOf(h.userAgent, h.at, h.sentAt, viewing);
        const e = where.get(h.enrollmentId);
        return {
          id: h.id,
          ownerId: h.ownerId,
          event: {
            id: h.id,
            at: h.at,
            type: h.type,
            enrollmentId: h.enrollmentId,
            ...(e?.sequenceId ? { sequenceId: e.sequenceId } : {}),
            ...(e?.contactId ? { contactId: e.contactId } : {}),
            ...(e?.mailbox ? { mailbox: e.mailbox } : {}),
            stepIndex: h.stepIndex,
            data: { ...(flag ? { machine: true, flag } : {}), ...(h.url ? { url: h.url } : {}) },
          },
        };
      });
      await insertHits(trx, teamId, events);
    });
  }

  async function write(batch: Hit[]) {
    const byTeam = new Map<string, Hit[]>();
    for (const h of batch) {
      const items = byTeam.get(h.teamId);
      if (items) items.push(h);
      else byTeam.set(h.teamId, [h]);
    }
    for (const [teamId, hits] of byTeam)
      for (let i = 0; i < hits.length; i += maxBatch) {
        const chunk = hits.slice(i, i + maxBatch);
        try {
          await writeTeam(teamId, chunk);
        } catch (err) {
          log.error(
            { err, teamId, events: chunk.length },
            'tracking events lost: their batch failed to write',
          );
        }
      }
  }

  /** Takes the hits held long enough (all of them with `all`), `limit` at most, from the queue. */
  function take(all: boolean, limit: number): Hit[] {
    const ripe = performance.now() - holdMs;
    let end = head;
    const last = Math.min(queue.length, head + limit);
    while (end < last && (all || queue[end]!.queuedAt <= ripe)) end++;
    const batch = queue.slice(head, end).map((q) => q.hit);
    head = end;
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return batch;
  }

  // Hits added since the last write started, and when it started: how busy the pixel is.
  let arrivals = 0;
  let since = performance.now();
  let stepping = false;
  /** Whether the timer set is a busy pause (longer than `maxDelayMs`), which the cap cuts short. */
  let pausing = false;

  /**
   * One round of the writer. Busy (hits arriving at `busyPerSecond` or more) and under `maxQueued`: one batch,
   * then a pause four times as long as it took (at `busyDuty` 0.2). Otherwise every ripe hit, at full speed.
   */
  async function step() {
    stepping = true;
    const started = performance.now();
    const busy = (arrivals * 1000) / Math.max(1, started - since) >= busyPerSecond;
    arrivals = 0;
    since = started;
    const paced = busy && queue.length - head <= maxQueued;
    const batch = take(false, paced ? maxBatch : Infinity);
    writing = writing.then(() => (batch.length ? write(batch) : undefined));
    await writing;
    stepping = false;
    const took = performance.now() - started;
    schedule(paced ? Math.max(maxDelayMs, (took * (1 - busyDuty)) / busyDuty) : maxDelayMs);
  }

  function schedule(pause = maxDelayMs) {
    if (timer || stepping || head === queue.length) return;
    const wait = Math.max(pause, queue[head]!.queuedAt + holdMs - performance.now());
    pausing = pause > maxDelayMs;
    timer = setTimeout(() => {
      timer = undefined;
      void step();
    }, wait);
  }

  /** Writes every hit queued so far, held or not, after the write under way (on shutdown, and in tests). */
  function flushAll(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = take(true, Infinity);
    writing = writing.then(() => (batch.length ? write(batch) : undefined));
    return writing;
  }

  return {
    add(hit: Hit) {
      queue.push({ hit, queuedAt: performance.now() });
      arrivals++;
      // Past the cap, a pause in progress is cut short: the writer runs at full speed until under it.
      if (timer && pausing && queue.length - head > maxQueued) {
        clearTimeout(timer);
        timer = undefined;
      }
      schedule();
    },
    /** Writes everything queued so far, held or not (on shutdown, and in tests). */
    flush: flushAll,
  };
}
export type HitBatcher = ReturnType<typeof createHitBatcher>;
