import { computeAnalytics, type Analytics, type AnalyticsFilter } from '../analytics/funnel';
import { loadRep } from '../db/settings';
import type { ThreadlineDb } from '../db/database';
import type { AnalyticsCatalog, AnalyticsSource } from '@/lib/options-ports/interfaces/analytics';

/**
 * Analytics over this device's database: the rep's own enrollments and events (a manager's team view needs the
 * backend). Events after the range are never needed; those before it are, to attribute replies to the email
 * they answer and to know tasks created before the range, so every event before `to` is read.
 */
export function localAnalyticsSource(
  db: ThreadlineDb,
  fallbackZone = Intl.DateTimeFormat().resolvedOptions().timeZone,
): AnalyticsSource {
  const timeZone = async () => (await loadRep(db, fallbackZone)).timeZone;
  return {
    async catalog(): Promise<AnalyticsCatalog> {
      const [rep, sequences, enrollments, events] = await Promise.all([
        loadRep(db, fallbackZone),
        db.sequences.toArray(),
        db.enrollments.toArray(),
        db.events.count(),
      ]);
      const mailboxes = new Set(enrollments.map((e) => e.mailbox));
      if (!rep.email.endsWith('.invalid')) mailboxes.add(rep.email);
      return {
        scope: 'own',
        timeZone: rep.timeZone,
        sequences: sequences
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((s) => ({ id: s.id, name: s.name, steps: s.steps.map((step) => step.type) })),
        reps: [...mailboxes].sort().map((mailbox) => ({
          mailbox,
          ...(mailbox === rep.email && rep.name ? { name: rep.name } : {}),
        })),
        hasData: events > 0 || enrollments.length > 0,
      };
    },
    async load(filter: AnalyticsFilter): Promise<Analytics> {
      const [zone, events] = await Promise.all([
        timeZone(),
        db.events.where('at').below(filter.to).toArray(),
      ]);
      return computeAnalytics(events, filter, { timeZone: zone });
    },
  };
}
