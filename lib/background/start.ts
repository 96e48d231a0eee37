import { ThreadlineDb } from '../db/database';
import { browserAlarm, ensureWatchAlarm, onTickAlarm, onWatchAlarm } from '../platform/alarms';
import type { RunnerDeps } from '../runner/deps';
import { htmlToText } from '../templates/text';
import { createEngineHost } from './engine-host';
import { createWatchHost } from './watch-host';
import { watchMailbox } from '../watcher/reply-watcher';
import { loadRep, loadTeamHolidays } from './settings';

export interface BackgroundOptions {
  db?: ThreadlineDb;
  /** Mail providers per connected mailbox (wired by the mail connection code). */
  mailFor?: RunnerDeps['mailFor'];
}

/**
 * Composition root of the service worker: the database, the alarm, the engine host. Listeners are registered
 * synchronously so an alarm that wakes the worker reaches them.
 */
export function startBackground(options: BackgroundOptions = {}) {
  const db = options.db ?? new ThreadlineDb();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const deps: RunnerDeps = {
    db,
    clock: { now: () => Date.now() },
    alarm: browserAlarm(),
    mailFor: options.mailFor ?? (() => undefined),
    rep: () => loadRep(db, zone),
    teamHolidays: () => loadTeamHolidays(db),
    newId: () => crypto.randomUUID(),
    htmlToText,
  };
  // Right before sending, look for replies that arrived since the last watch cycle.
  deps.checkReplies = (mailbox) => watchMailbox(deps, mailbox).then(() => undefined);
  const host = createEngineHost(deps);
  onTickAlarm(() => void host.tick());
  void host.reconcile();
  // Reply watching runs on its own periodic alarm, once a minute, for every mailbox with live enrollments.
  const watch = createWatchHost(deps);
  onWatchAlarm(() => void watch.cycle());
  void ensureWatchAlarm();
  return { db, deps, host, watch };
}
