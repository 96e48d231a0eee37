import { browser } from 'wxt/browser';

export const TICK_ALARM = 'threadline-tick';
export const WATCH_ALARM = 'threadline-watch';

/** The part of chrome.alarms the worker uses (WXT's fakeBrowser and testing.ts's fake implement it). */
export interface Alarms {
  create(name: string, info: { when?: number; periodInMinutes?: number }): Promise<void> | void;
  get(name: string): Promise<unknown>;
  clear(name: string): Promise<boolean> | void;
  onAlarm: { addListener(cb: (alarm: { name: string }) => void): void };
}

/** The one chrome.alarms alarm the runner keeps, set to the earliest due time. */
export interface AlarmPort {
  set(when: number): Promise<void>;
  clear(): Promise<void>;
}

/**
 * The runner's one alarm over chrome.alarms. Chrome keeps at most 500 alarms and may drop them on restart,
 * so there is only this one, re-armed after every tick and reconciled at every worker start.
 */
export function browserAlarm(alarms: Alarms = browser.alarms, now: () => number = Date.now): AlarmPort {
  return {
    // An alarm in the past fires as soon as Chrome allows (about 30 s for a store-installed extension).
    set: async (when) => void (await alarms.create(TICK_ALARM, { when: Math.max(when, now()) })),
    clear: async () => void (await alarms.clear(TICK_ALARM)),
  };
}

/** The reply watcher's periodic alarm (Chrome runs a packed extension's alarms at most every 30 s). */
export async function ensureWatchAlarm(alarms: Alarms = browser.alarms): Promise<void> {
  if (!(await alarms.get(WATCH_ALARM))) await alarms.create(WATCH_ALARM, { periodInMinutes: 1 });
}

export interface AlarmRouter {
  /** Runs `handler` whenever the alarm called `name` fires. One handler per name. */
  on(name: string, handler: () => void): void;
}

/**
 * The worker's one chrome.alarms listener, dispatching each alarm by its name to the handler registered for
 * it. Create it in the worker's first turn so Chrome delivers a waking alarm to it. An alarm with no handler
 * (one left by an earlier version) is ignored.
 */
export function routeAlarms(alarms: Alarms): AlarmRouter {
  const handlers = new Map<string, () => void>();
  alarms.onAlarm.addListener((alarm) => handlers.get(alarm.name)?.());
  return {
    on(name, handler) {
      if (handlers.has(name)) throw new Error(`The alarm ${name} already has a handler`);
      handlers.set(name, handler);
    },
  };
}
