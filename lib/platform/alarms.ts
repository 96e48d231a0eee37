import { browser } from 'wxt/browser';
import type { AlarmPort } from '../runner/deps';

export const TICK_ALARM = 'threadline-tick';
export const WATCH_ALARM = 'threadline-watch';

/** The part of chrome.alarms the runner uses (WXT's fakeBrowser implements it for tests). */
export interface Alarms {
  create(name: string, info: { when?: number; periodInMinutes?: number }): Promise<void> | void;
  get(name: string): Promise<unknown>;
  clear(name: string): Promise<boolean> | void;
  onAlarm: { addListener(cb: (alarm: { name: string }) => void): void };
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

/** Registers the tick handler. Must run in the worker's first turn so Chrome delivers a waking alarm to it. */
export function onTickAlarm(handler: () => void, alarms: Alarms = browser.alarms): void {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TICK_ALARM) handler();
  });
}

/** The reply watcher's periodic alarm (Chrome runs a packed extension's alarms at most every 30 s). */
export async function ensureWatchAlarm(alarms: Alarms = browser.alarms): Promise<void> {
  if (!(await alarms.get(WATCH_ALARM))) await alarms.create(WATCH_ALARM, { periodInMinutes: 1 });
}

export function onWatchAlarm(handler: () => void, alarms: Alarms = browser.alarms): void {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === WATCH_ALARM) handler();
  });
}
