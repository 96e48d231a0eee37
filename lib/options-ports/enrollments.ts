import { liveQuery } from 'dexie';
import type { ThreadlineDb } from '../db/database';
import type { Contact } from '../domain/contact';
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
  return {
    watch(sequenceId, onChange, onError) {
      // Two queries, so the rows paint before their last activity: the rows (sequence, enrollments, contacts)
      // first; then the events of those enrollments, a read as large as their whole history, fills the
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
      const rowsSub = liveQuery(async (): Promise<EnrollmentsView | null> => {
        const sequence = await db.sequences.get(sequenceId);
        if (!sequence) return null;
        const enrollments = await db.enrollments.where('sequenceId').equals(sequenceId).toArray();
        const [contacts, rep] = await Promise.all([
          db.contacts.bulkGet([...new Set(enrollments.map((e) => e.contactId))]),
          loadRep(db, deps.zone),
        ]);
        const byId = new Map(contacts.filter((c): c is Contact => c !== undefined).map((c) => [c.id, c]));
        return {
          sequence,
          repZone: rep.timeZone,
          rows: enrollments
            .sort((a, b) => b.enrolledAt - a.enrolledAt || (a.id < b.id ? -1 : 1))
            .map((e) => enrollmentRow(e, sequence, byId.get(e.contactId))),
          activityLoaded: false,
        };
      }).subscribe({
        next: (view) => {
          base = view;
          emit();
          if (view) watchActivity(view.rows.map((r) => r.id).sort());
        },
        error: (e) => onError?.(e),
      });
      return () => {
        closed = true;
        rowsSub.unsubscribe();
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
