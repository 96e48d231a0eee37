import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../domain/event';
import type { CountKey } from './definitions';
import { computeAnalytics, type Analytics, type AnalyticsFilter, type Counts } from './funnel';

const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 1);
const SEQUENCES = ['s0', 's1', 's2'];
const REPS = ['ann@acme.test', 'bob@acme.test'];

const TYPES = [
  'enrolled',
  'sent',
  'sent',
  'sent',
  'opened',
  'opened',
  'clicked',
  'replied',
  'auto_replied',
  'out_of_office',
  'bounced',
  'meeting_booked',
  'unsubscribed',
  'unenrolled',
  'task_created',
  'task_completed',
  'task_skipped',
] as const;

/** Random histories over a few enrollments, each in one sequence and one mailbox, with duplicate ids. */
const eventArb: fc.Arbitrary<Event> = fc
  .record({
    idNumber: fc.integer({ min: 0, max: 400 }),
    enrollment: fc.integer({ min: 0, max: 14 }),
    type: fc.constantFrom(...TYPES),
    at: fc.integer({ min: START - 3 * DAY, max: START + 17 * DAY }),
    stepIndex: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    flag: fc.boolean(),
    variant: fc.integer({ min: 0, max: 2 }),
    dueIn: fc.integer({ min: -DAY, max: 3 * DAY }),
  })
  .map(({ idNumber, enrollment, type, at, stepIndex, flag, variant, dueIn }) => {
    const data: Record<string, unknown> =
      type === 'sent'
        ? { variant }
        : type === 'bounced'
          ? { permanent: flag }
          : type === 'opened'
            ? { machine: flag }
            : type.startsWith('task_')
              ? { taskId: `e${enrollment}:${stepIndex ?? 0}`, dueAt: START + (enrollment % 5) * DAY + dueIn }
              : {};
    return {
      id: `ev${idNumber}`,
      at,
      type,
      enrollmentId: `e${enrollment}`,
      contactId: `c${enrollment % 9}`,
      sequenceId: SEQUENCES[enrollment % SEQUENCES.length],
      mailbox: REPS[enrollment % REPS.length],
      stepIndex,
      data,
    };
  });

const filterArb: fc.Arbitrary<AnalyticsFilter> = fc
  .tuple(fc.integer({ min: -2, max: 15 }), fc.integer({ min: 0, max: 15 }))
  .map(([a, length]) => ({ from: START + a * DAY + 3_600_000, to: START + (a + length) * DAY }));

const zoneArb = fc.constantFrom('UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata');

const sum = (rows: { counts: Counts }[], key: CountKey) => rows.reduce((n, r) => n + r.counts[key], 0);
const countKeys = (a: Analytics) => Object.keys(a.totals.counts) as CountKey[];

function allRates(a: Analytics): (number | null)[] {
  return [
    ...[a.totals, ...a.bySequence, ...a.byStep, ...a.byRep].flatMap((r) => Object.values(r.rates)),
    ...a.abTests.flatMap((t) => t.variants.map((v) => v.replyRate)),
    ...a.abTests.flatMap((t) => t.comparisons.map((c) => c.pValue)),
    ...a.taskAdherence.map((t) => t.onTimeRate),
  ];
}

describe('analytics over any history', () => {
  const params = { numRuns: 150 };

  it('has totals equal to the sum over sequences and over reps', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 120 }), filterArb, zoneArb, (events, filter, timeZone) => {
        const a = computeAnalytics(events, filter, { timeZone });
        for (const key of countKeys(a)) {
          expect(sum(a.bySequence, key), key).toBe(a.totals.counts[key]);
          expect(sum(a.byRep, key), key).toBe(a.totals.counts[key]);
        }
        const days = (k: 'sent' | 'replied' | 'meetings' | 'enrolled' | 'unsubscribed') =>
          a.daily.reduce((n, d) => n + d[k], 0);
        expect(days('sent')).toBe(a.totals.counts.sent);
        expect(days('replied')).toBe(a.totals.counts.replied);
        expect(days('meetings')).toBe(a.totals.counts.meetings);
        expect(days('enrolled')).toBe(a.totals.counts.enrolled);
        // Emails have one step each (or none), so steps add up to at most the totals.
        expect(sum(a.byStep, 'sent')).toBeLessThanOrEqual(a.totals.counts.sent);
      }),
      params,
    );
  });

  it('keeps every rate and p-value between 0 and 1, or null', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 120 }), filterArb, zoneArb, (events, filter, timeZone) => {
        for (const r of allRates(computeAnalytics(events, filter, { timeZone })))
          if (r !== null) expect(r >= 0 && r <= 1, String(r)).toBe(true);
      }),
      params,
    );
  });

  it('never increases a count when filtering by sequence, rep or step', () => {
    const narrowing = fc.record({
      sequenceIds: fc.option(fc.subarray(SEQUENCES), { nil: undefined }),
      mailboxes: fc.option(fc.subarray(REPS), { nil: undefined }),
      stepIndexes: fc.option(fc.subarray([0, 1, 2, 3]), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 120 }), filterArb, narrowing, (events, range, narrow) => {
        const all = computeAnalytics(events, range, { timeZone: 'UTC' });
        const some = computeAnalytics(events, { ...range, ...narrow }, { timeZone: 'UTC' });
        for (const key of countKeys(all))
          expect(some.totals.counts[key]).toBeLessThanOrEqual(all.totals.counts[key]);
        const tasks = (a: Analytics) => a.taskAdherence.reduce((n, t) => n + t.due, 0);
        expect(tasks(some)).toBeLessThanOrEqual(tasks(all));
      }),
      params,
    );
  });

  it('gives a sequence filter the same figures as that sequence’s row', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 120 }),
        filterArb,
        fc.constantFrom(...SEQUENCES),
        (events, range, s) => {
          const row = computeAnalytics(events, range, { timeZone: 'UTC' }).bySequence.find(
            (r) => r.sequenceId === s,
          );
          const only = computeAnalytics(events, { ...range, sequenceIds: [s] }, { timeZone: 'UTC' });
          expect(only.totals).toEqual(row ? { counts: row.counts, rates: row.rates } : only.totals);
          if (!row) expect(only.totals.counts.sent + only.totals.counts.enrolled).toBe(0);
        },
      ),
      params,
    );
  });
});
