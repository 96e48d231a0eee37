import { Temporal } from 'temporal-polyfill';
import type { ThreadlineDb } from '../db/database';

/** The part of chrome.action (Firefox MV2: browserAction) the badge needs. */
export interface BadgeApi {
  setBadgeText(details: { text: string }): Promise<void> | void;
  setBadgeBackgroundColor?(details: { color: string }): Promise<void> | void;
}

/**
 * What the toolbar badge counts: the open tasks due by the end of the rep's day, and every enrollment paused
 * because it needs the rep (the queue's attention items). Both from indexes, never a scan of all tasks.
 */
export async function queueBadgeCount(db: ThreadlineDb, now: number, timeZone: string): Promise<number> {
  const tomorrow = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .add({ days: 1 })
    .toZonedDateTime({ timeZone }).epochMilliseconds;
  const [due, attention] = await Promise.all([
    db.tasks.where('[status+dueAt]').between(['open', -Infinity], ['open', tomorrow], true, false).count(),
    db.enrollments
      .where('status')
      .equals('paused')
      .filter((e) => e.pauseReason === 'needs_attention')
      .count(),
  ]);
  return due + attention;
}

export const badgeText = (n: number) => (n <= 0 ? '' : n > 999 ? '999+' : String(n));

/**
 * Keeps the badge up to date: `update()` may be called on every event; bursts (a bulk enrollment records
 * hundreds) are folded into one count after `delayMs`.
 */
export function createQueueBadge(deps: {
  db: ThreadlineDb;
  api: BadgeApi | undefined;
  now: () => number;
  timeZone: () => Promise<string>;
  delayMs?: number;
}): { update(): void; refresh(): Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    if (!deps.api) return;
    const n = await queueBadgeCount(deps.db, deps.now(), await deps.timeZone());
    await deps.api.setBadgeBackgroundColor?.({ color: '#1a73e8' });
    await deps.api.setBadgeText({ text: badgeText(n) });
  };
  return {
    refresh,
    update() {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void refresh().catch(() => undefined);
      }, deps.delayMs ?? 500);
    },
  };
}
