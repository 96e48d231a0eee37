import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browserAlarm, routeAlarms, TICK_ALARM } from '../platform/alarms';
import { enrollContacts } from '../runner/enroll';
import { addSequence, createTestRunner, emailStep } from '../runner/testing';
import { createEngineHost } from './engine-host';

const NOW = Date.parse('2026-03-02T10:00:00Z');

beforeEach(() => fakeBrowser.reset());

async function setUp() {
  const t = createTestRunner({ now: NOW });
  const deps = { ...t.deps, alarm: browserAlarm(fakeBrowser.alarms, () => NOW) };
  await addSequence(t.db, { steps: [emailStep('a', { value: 1, unit: 'hours' })] });
  return { ...t, deps };
}

describe('the engine host in the service worker', () => {
  it('keeps one chrome.alarms alarm at the earliest due time', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'a@x.example', firstName: 'A' }],
    });
    const alarms = await fakeBrowser.alarms.getAll();
    expect(alarms.map((a) => [a.name, a.scheduledTime])).toEqual([[TICK_ALARM, NOW + 3_600_000]]);
  });

  it('reconciles a dropped alarm from the database at start', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'a@x.example', firstName: 'A' }],
    });
    await fakeBrowser.alarms.clearAll();
    await createEngineHost(t.deps).reconcile();
    expect((await fakeBrowser.alarms.get(TICK_ALARM))?.scheduledTime).toBe(NOW + 3_600_000);
  });

  it('ticks when the alarm fires, and collapses overlapping ticks into one more pass', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'a@x.example', firstName: 'A' }],
    });
    t.clock.now = NOW + 3_600_000;
    const host = createEngineHost(t.deps);
    let ticks = 0;
    routeAlarms(fakeBrowser.alarms).on(TICK_ALARM, () => void host.tick().then(() => ticks++));
    await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: t.clock.now });
    await Promise.all([host.tick(), host.tick(), host.tick()]);
    expect(t.mail.sent).toHaveLength(1);
    expect(ticks).toBe(1);
  });

  it('ignores other alarms', async () => {
    let fired = 0;
    routeAlarms(fakeBrowser.alarms).on(TICK_ALARM, () => fired++);
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: 0 });
    expect(fired).toBe(0);
  });

  it('keeps an alarm after a tick that failed', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'a@x.example', firstName: 'A' }],
    });
    const broken = { ...t.deps, rep: async () => Promise.reject(new Error('storage unavailable')) };
    const errors: unknown[] = [];
    t.clock.now = NOW + 3_600_000;
    await createEngineHost(broken, { error: (...args: unknown[]) => errors.push(args) }).tick();
    expect(errors).toHaveLength(1);
    expect(await fakeBrowser.alarms.get(TICK_ALARM)).toBeDefined();
  });
});
