// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { browserAlarm, ensureWatchAlarm, routeAlarms, TICK_ALARM, WATCH_ALARM } from './alarms';
import { createFakeAlarms } from './testing';

describe('the worker’s one alarm listener', () => {
  it('sends each alarm to the handler registered under its name, and only to it', () => {
    const alarms = createFakeAlarms();
    const router = routeAlarms(alarms);
    const fired: string[] = [];
    router.on(TICK_ALARM, () => fired.push('tick'));
    router.on(WATCH_ALARM, () => fired.push('watch'));
    router.on('threadline-sync', () => fired.push('sync'));
    alarms.fire(WATCH_ALARM);
    alarms.fire(TICK_ALARM);
    alarms.fire('threadline-sync');
    alarms.fire(TICK_ALARM);
    expect(fired).toEqual(['watch', 'tick', 'sync', 'tick']);
    expect(alarms.listenerCount()).toBe(1);
  });

  it('ignores an alarm nobody handles (one an earlier version left behind)', () => {
    const alarms = createFakeAlarms();
    const fired: string[] = [];
    routeAlarms(alarms).on(TICK_ALARM, () => fired.push('tick'));
    expect(() => alarms.fire('threadline-old-poll')).not.toThrow();
    expect(fired).toEqual([]);
  });

  it('refuses a second handler for the same alarm rather than dropping one', () => {
    const router = routeAlarms(createFakeAlarms());
    router.on(TICK_ALARM, () => undefined);
    expect(() => router.on(TICK_ALARM, () => undefined)).toThrow(
      `The alarm ${TICK_ALARM} already has a handler`,
    );
  });
});

describe('the runner’s tick alarm', () => {
  it('is set to the due time, never in the past, and cleared', async () => {
    const alarms = createFakeAlarms();
    const alarm = browserAlarm(alarms, () => 1_000);
    await alarm.set(5_000);
    expect(alarms.all()).toEqual([{ name: TICK_ALARM, scheduledTime: 5_000 }]);
    await alarm.set(10);
    expect(alarms.all()).toEqual([{ name: TICK_ALARM, scheduledTime: 1_000 }]);
    await alarm.clear();
    expect(alarms.all()).toEqual([]);
  });

  it('keeps one periodic watch alarm however often the worker starts', async () => {
    const alarms = createFakeAlarms();
    await ensureWatchAlarm(alarms);
    await ensureWatchAlarm(alarms);
    expect(alarms.all()).toEqual([{ name: WATCH_ALARM, periodInMinutes: 1 }]);
  });
});
