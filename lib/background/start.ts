import { ThreadlineDb } from '../db/database';
import { browserAlarm, onTickAlarm } from '../platform/alarms';
import type { RunnerDeps } from '../runner/deps';
import { htmlToText } from '../templates/text';
import { createEngineHost } from './engine-host';
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
  const host = createEngineHost(deps);
  onTickAlarm(() => void host.tick());
  void host.reconcile();
  return { db, deps, host };
}
