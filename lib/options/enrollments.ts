import { liveQuery } from 'dexie';
import type { ThreadlineDb } from '../db/database';
import type { Contact } from '../domain/contact';
import { loadRep } from '../background/settings';
import { describeEvent } from './contact-timeline';
import { enrollmentRow } from './enrollment-rows';
import type {
  EnrollmentAction,
  EnrollmentsPort,
  EnrollmentsView,
} from '../../components/options/sequences/enrollments-port';

export interface EnrollmentsDeps {
  db: ThreadlineDb;
  zone: string;
  /** The background's enrollment.act: the runner's own rules, the ones the thread panel uses. */
  act(enrollmentId: string, action: EnrollmentAction): Promise<unknown>;
}

/** The Enrollments view of one sequence, over the local database; actions go through the background. */
export function createEnrollmentsPort(deps: EnrollmentsDeps): EnrollmentsPort {
  const { db } = deps;
  return {
    watch(sequenceId, onChange, onError) {
      const sub = liveQuery(async (): Promise<EnrollmentsView | null> => {
        const sequence = await db.sequences.get(sequenceId);
        if (!sequence) return null;
        const enrollments = await db.enrollments.where('sequenceId').equals(sequenceId).toArray();
        const ids = enrollments.map((e) => e.id);
        const [contacts, events, rep] = await Promise.all([
          db.contacts.bulkGet([...new Set(enrollments.map((e) => e.contactId))]),
          db.events.where('enrollmentId').anyOf(ids).toArray(),
          loadRep(db, deps.zone),
        ]);
        const byId = new Map(contacts.filter((c): c is Contact => c !== undefined).map((c) => [c.id, c]));
        const last = new Map<string, { at: number; what: string }>();
        for (const ev of events) {
          const prior = last.get(ev.enrollmentId!);
          if (!prior || ev.at >= prior.at)
            last.set(ev.enrollmentId!, { at: ev.at, what: describeEvent(ev).label });
        }
        return {
          sequence,
          repZone: rep.timeZone,
          rows: enrollments
            .sort((a, b) => b.enrolledAt - a.enrolledAt || (a.id < b.id ? -1 : 1))
            .map((e) => enrollmentRow(e, sequence, byId.get(e.contactId), last.get(e.id))),
        };
      }).subscribe({ next: onChange, error: (e) => onError?.(e) });
      return () => sub.unsubscribe();
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
  };
}
