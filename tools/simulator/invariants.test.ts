import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../lib/domain/sequence';
import { simulate } from './simulate';

/**
 * Property-based tests over the real runner: whatever the sequence, settings, contacts and interruptions,
 * the promises hold. Each case runs two weeks of virtual time.
 */
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Los_Angeles',
];
const START = Date.parse('2026-03-02T00:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoDate = (ms: number) => iso(ms).slice(0, 10);
/** An oracle independent of the engine's calendar code: Intl's own reading of the wall clock. */
function wallClock(ms: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: parts.weekday,
  };
}
const toMinutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const settingsArb = fc
  .record({
    startMin: fc.integer({ min: 0, max: 14 * 60 }),
    length: fc.integer({ min: 30, max: 10 * 60 }),
    weekdaysOnly: fc.boolean(),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 4 }),
    dailySendCap: fc.integer({ min: 1, max: 12 }),
    perMinuteCap: fc.integer({ min: 1, max: 4 }),
    minSecondsBetweenSends: fc.integer({ min: 0, max: 300 }),
    tasksBlock: fc.boolean(),
  })
  .map((s) => ({
    sendWindow: { start: hhmm(s.startMin), end: hhmm(Math.min(24 * 60 - 1, s.startMin + s.length)) },
    weekdaysOnly: s.weekdaysOnly,
    holidays: s.holidays.map((d) => isoDate(START + d * DAY)),
    dailySendCap: s.dailySendCap,
    perMinuteCap: s.perMinuteCap,
    minSecondsBetweenSends: s.minSecondsBetweenSends,
    tasksBlock: s.tasksBlock,
  }));

const stepArb = fc.record({
  type: fc.constantFrom('auto_email', 'auto_email', 'auto_email', 'call', 'todo'),
  delay: fc.record({
    value: fc.integer({ min: 0, max: 3 }),
    unit: fc.constantFrom('business_days', 'days', 'hours', 'minutes'),
  }),
  subject: fc.constant('Hello {{contact.firstName}}'),
  body: fc.constant('<p>Hi {{contact.firstName}}</p>'),
  threadWithPrevious: fc.boolean(),
});

const scenarioArb = fc
  .record({
    settings: settingsArb,
    steps: fc.array(stepArb, { minLength: 1, maxLength: 5 }),
    contacts: fc.array(
      fc.record({ zone: fc.constantFrom(...ZONES), at: fc.integer({ min: 0, max: 3 * DAY }) }),
      { minLength: 1, maxLength: 8 },
    ),
    events: fc.array(
      fc.record({
        contact: fc.nat(),
        type: fc.constantFrom(
          'reply',
          'complete_task',
          'skip_task',
          'pause',
          'resume',
          'unenroll',
          'auto_reply',
          'browser_closed',
          'browser_opened',
        ),
        at: fc.integer({ min: 0, max: 14 * DAY }),
      }),
      { maxLength: 12 },
    ),
  })
  .map((s) => ({
    start: iso(START),
    until: iso(START + 14 * DAY),
    rep: { email: 'rep@seller.example', timeZone: 'Europe/London' },
    sequence: {
      name: 'Property',
      settings: s.settings,
      steps: s.steps.map((st) => (st.type === 'auto_email' ? st : { type: st.type, delay: st.delay })),
    },
    enroll: s.contacts.map((c, i) => ({
      at: iso(START + c.at),
      contact: { email: `c${i}@x${i}.example`, firstName: `C${i}`, timeZone: c.zone },
    })),
    events: s.events
      .sort((a, b) => a.at - b.at)
      .map((e) =>
        e.type === 'browser_closed' || e.type === 'browser_opened'
          ? { at: iso(START + e.at), type: e.type }
          : {
              at: iso(START + e.at),
              type: e.type,
              contact: `c${e.contact % s.contacts.length}@x${e.contact % s.contacts.length}.example`,
            },
      ),
  }));

describe('engine invariants (fast-check, on the real runner)', () => {
  it('never sends outside the window, on a weekend or holiday, over a cap, out of order, twice, or after a reply', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const { lines, sentMessageIds: ids, db } = await simulate(sc);
        db.close();
        const settings = SettingsSchema.parse(sc.sequence.settings);
        const zoneOf = new Map(sc.enroll.map((e) => [e.contact.email, e.contact.timeZone]));
        const sends = lines.filter((l) => l.action === 'send');
        const times = sends.map((l) => Date.parse(l.at));

        for (const l of sends) {
          const wall = wallClock(Date.parse(l.at), zoneOf.get(l.contact)!);
          const where = `${l.at} for ${l.contact} (${wall.weekday} ${wall.date} ${wall.minutes} min)`;
          expect(wall.minutes, where).toBeGreaterThanOrEqual(toMinutes(settings.sendWindow.start));
          expect(wall.minutes, where).toBeLessThan(toMinutes(settings.sendWindow.end));
          if (settings.weekdaysOnly) expect(['Sat', 'Sun'], where).not.toContain(wall.weekday);
          expect(settings.holidays, where).not.toContain(wall.date);
        }
        for (let i = 0; i < times.length; i++) {
          const t = times[i]!;
          if (i > 0) expect(t - times[i - 1]!).toBeGreaterThanOrEqual(settings.minSecondsBetweenSends * 1000);
          expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(
            settings.perMinuteCap,
          );
          expect(times.filter((u) => u > t - DAY && u <= t).length).toBeLessThanOrEqual(
            settings.dailySendCap,
          );
        }
        for (const email of zoneOf.keys()) {
          const acted = lines.filter(
            (l) => l.contact === email && (l.action === 'send' || l.action === 'task_due'),
          );
          const steps = acted.map((l) => l.step);
          expect(steps, `steps of ${email}`).toEqual([...steps].sort((a, b) => a - b));
          expect(new Set(steps).size).toBe(steps.length);
          const stop = lines.find((l) => l.contact === email && l.action === 'unenrolled');
          if (stop) expect(acted.every((l) => Date.parse(l.at) <= Date.parse(stop.at))).toBe(true);
        }
        // The mailbox holds each email once, and exactly the ones reported.

        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(sends.length);
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? 20261123), endOnFailure: true },
    );
  }, 120_000);
});
