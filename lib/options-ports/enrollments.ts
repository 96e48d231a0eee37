import Dexie, { liveQuery } from 'dexie';
import type { ThreadlineDb } from '../db/database';
import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Sequence } from '../domain/sequence';
import { loadRep } from '../db/settings';
import { describeEvent } from './contact-timeline';
import { enrollmentRow } from './enrollment-rows';
import type { EnrollmentAction, EnrollmentsPort, EnrollmentsView } from './interfaces/enrollments';

export interface EnrollmentsDeps {
  db: ThreadlineDb;
  zone: string;
  /** The background's enrollment.act: the runner's own rules, the ones the thread panel uses. */
  act(enrollmentId: string, action: EnrollmentAction): Promise<unknown>;
  /** The background's enrollments.move (lib/runner/move.ts's rules, each in its own transaction). */
  move(
    enrollmentIds: string[],
    toStep: number,
  ): Promise<{ moved: number; refused: { id: string; error: string }[] }>;
}

type LastActivity = { at: number; what: string };

/** Rows of the first paint: more than a tall window shows, so the list scrolls before the rest arrives. */
const FIRST_SCREEN = 60;

/**
 * The view's order: the newest enrolled first; among those enrolled together (a bulk enrollment), the order
 * of the [sequenceId+enrolledAt] index read backwards (id descending), so the first screen is the top of the list.
 */
const newestFirst = (a: Enrollment, b: Enrollment) =>
  b.enrolledAt - a.enrolledAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The latest event of each enrollment, in words. */
async function lastActivityOf(db: ThreadlineDb, ids: readonly string[]) {
  const last = new Map<string, LastActivity>();
  if (!ids.length) return last;
  for (const ev of await db.events.where('enrollmentId').anyOf(ids).toArray()) {
    const prior = last.get(ev.enrollmentId!);
    if (!prior || ev.at >= prior.at) last.set(ev.enrollmentId!, { at: ev.at, what: describeEvent(ev).label });
  }
  return last;
}

/** The Enrollments view of one sequence, over the local database; actions go through the background. */
export function createEnrollmentsPort(deps: EnrollmentsDeps): EnrollmentsPort {
  const { db } = deps;

  async function viewOf(
    sequence: Sequence,
    enrollments: readonly Enrollment[],
    total: number,
  ): Promise<EnrollmentsView> {
    const [contacts, rep] = await Promise.all([
      db.contacts.bulkGet([...new Set(enrollments.map((e) => e.contactId))]),
      loadRep(db, deps.zone),
    ]);
    const byId = new Map(contacts.filter((c): c is Contact => c !== undefined).map((c) => [c.id, c]));
    return {
      sequence,
      repZone: rep.timeZone,
      rows: enrollments.map((e) => enrollmentRow(e, sequence, byId.get(e.contactId))),
      total,
      complete: enrollments.length === total,
      activityLoaded: false,
    };
  }

  return {
    watch(sequenceId, onChange, onError) {
      const firstScreen = async () => {
        const sequence = await db.sequences.get(sequenceId);
        if (!sequence) return null;
        const [newest, total] = await Promise.all([
          db.enrollments
            .where('[sequenceId+enrolledAt]')
            .between([sequenceId, Dexie.minKey], [sequenceId, Dexie.maxKey])
            .reverse()
            .limit(FIRST_SCREEN)
            .toArray(),
          db.enrollments.where('sequenceId').equals(sequenceId).count(),
        ]);
        return viewOf(sequence, newest, total);
      };
      // The rows paint before their last activity: the rows (sequence, enrollments, contacts; a long list's
      // first screen before them) first; then the events of those enrollments, a read as large as their whole history, fills the
      // Last activity column. Each re-runs on its own tables' writes.
      let base: EnrollmentsView | null | undefined;
      let activity: Map<string, LastActivity> | undefined;
      let activityKey = '';
      let activitySub: { unsubscribe(): void } | undefined;
      let closed = false;
      const emit = () => {
        if (closed || base === undefined) return;
        if (base === null || !activity) return onChange(base);
        const last = activity;
        onChange({
          ...base,
          rows: base.rows.map((r) => {
            const a = last.get(r.id);
            return a ? { ...r, lastActivity: a } : r;
          }),
          activityLoaded: true,
        });
      };
      const watchActivity = (ids: string[]) => {
        const key = ids.join('\n');
        if (key === activityKey && activitySub) return;
        activityKey = key;
        activitySub?.unsubscribe();
        activity = undefined;
        activitySub = liveQuery(() => lastActivityOf(db, ids)).subscribe({
          next: (m) => {
            activity = m;
            emit();
          },
          error: (e) => onError?.(e),
        });
      };
      const rowsSub = { current: undefined as { unsubscribe(): void } | undefined };
      const watchAll = () => {
        if (closed) return;
        rowsSub.current = liveQuery(async (): Promise<EnrollmentsView | null> => {
          const sequence = await db.sequences.get(sequenceId);
          if (!sequence) return null;
          const enrollments = await db.enrollments.where('sequenceId').equals(sequenceId).toArray();
          return viewOf(sequence, enrollments.sort(newestFirst), enrollments.length);
        }).subscribe({
          next: (view) => {
            base = view;
            emit();
            if (view) watchActivity(view.rows.map((r) => r.id).sort());
          },
          error: (e) => onError?.(e),
        });
      };
      // A long list paints its first screen (the newest enrollments, read from the [sequenceId+enrolledAt]
      // index with a limit, and their contacts) before every row is read; the rest follows in the same order.
      void firstScreen().then(
        (view) => {
          if (!closed && base === undefined && view && !view.complete) onChange(view);
          watchAll();
        },
        (e: unknown) => {
          onError?.(e);
          watchAll();
        },
      );
      return () => {
        closed = true;
        rowsSub.current?.unsubscribe();
        activitySub?.unsubscribe();
      };
    },

    async act(ids, action) {
      const failed: { id: string; error: string }[] = [];
      // One at a time: each goes through the runner's transaction and rules, as from the thread panel.
      for (const id of ids) {
        try {
          await deps.act(id, action);
        } catch (e) {
          failed.push({ id, error: e instanceof Error ? e.message : String(e) });
        }
      }
      return { done: ids.length - failed.length, failed };
    },

    async move(ids, toStep) {
      if (!ids.length) return { done: 0, failed: [] };
      const answer = await deps.move([...ids], toStep);
      return { done: answer.moved, failed: answer.refused };
    },
  };
}
