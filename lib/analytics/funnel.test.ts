import { describe, expect, it } from 'vitest';
import { computeAnalytics, type AnalyticsFilter, type Rates } from './funnel';
import { DAY, HOUR, history } from '../../tests/support/analytics-history';

const UTC = { timeZone: 'UTC' };
/** Monday 3 March 2025, 09:00 UTC. */
const T0 = Date.UTC(2025, 2, 3, 9);
const WEEK: AnalyticsFilter = { from: Date.UTC(2025, 2, 3), to: Date.UTC(2025, 2, 10) };

/**
 * Five contacts in one sequence, by hand:
 * - e1 is emailed, opens (human), replies.
 * - e2 is emailed, its mail scanner opens it, it bounces hard.
 * - e3 gets steps 1 and 3, clicks the second, replies twice, books a meeting.
 * - e4 is enrolled and never emailed.
 * - e5 (enrolled before the week) is emailed, soft-bounces, is out of office, then unsubscribes.
 */
function fiveContacts() {
  const h = history();
  h.enrollment('e1')
    .enrolled(T0)
    .sent(T0 + HOUR, 0)
    .opened(T0 + 2 * HOUR, { stepIndex: 0 })
    .replied(T0 + 3 * HOUR);
  h.enrollment('e2')
    .enrolled(T0)
    .sent(T0 + HOUR, 0)
    .opened(T0 + HOUR + 60_000, { stepIndex: 0, machine: true })
    .bounced(T0 + HOUR + 120_000, true);
  h.enrollment('e3')
    .enrolled(T0)
    .sent(T0 + HOUR, 0)
    .sent(T0 + 2 * DAY, 2)
    .clicked(T0 + 2 * DAY + HOUR)
    .replied(T0 + 2 * DAY + 2 * HOUR)
    .replied(T0 + 2 * DAY + 3 * HOUR)
    .meetingBooked(T0 + 2 * DAY + 4 * HOUR);
  h.enrollment('e4').enrolled(T0);
  h.enrollment('e5')
    .enrolled(T0 - 7 * DAY)
    .sent(T0 + HOUR, 0)
    .bounced(T0 + HOUR + 60_000, false)
    .outOfOffice(T0 + 5 * HOUR)
    .unsubscribed(T0 + DAY);
  return h.events;
}

const allNull = (rates: Rates) => Object.values(rates).every((r) => r === null);

describe('the funnel of a sequence', () => {
  const a = computeAnalytics(fiveContacts(), WEEK, UTC);

  it('counts contacts for people and emails for emails', () => {
    expect(a.totals.counts).toEqual({
      enrolled: 4,
      contacted: 4,
      reached: 3,
      sent: 5,
      delivered: 3,
      bounced: 2,
      bouncedHard: 1,
      bouncedSoft: 1,
      openedHuman: 1,
      openedAll: 2,
      clicked: 1,
      replied: 2,
      outOfOffice: 1,
      meetings: 1,
      unsubscribed: 1,
    });
  });

  it('divides engagement by reached contacts and bounces by contacted ones', () => {
    expect(a.totals.rates).toEqual({
      bounceRate: 2 / 4,
      openRate: 1 / 3,
      // e2's scanner open counts in "all opens" but e2 was never reached, so it is not in the rate.
      openRateAll: 1 / 3,
      clickRate: 1 / 3,
      replyRate: 2 / 3,
      outOfOfficeRate: 1 / 3,
      meetingRate: 1 / 3,
      unsubscribeRate: 1 / 3,
    });
  });

  it('has one sequence row and one rep row equal to the totals', () => {
    expect(a.bySequence).toEqual([{ sequenceId: 'seq-1', ...a.totals }]);
    expect(a.byRep).toEqual([{ mailbox: 'ann@acme.test', ...a.totals }]);
  });

  it('counts an event stored twice once', () => {
    const events = fiveContacts();
    expect(computeAnalytics([...events, ...events.slice().reverse()], WEEK, UTC)).toEqual(a);
  });

  it('does not depend on the order of the events', () => {
    expect(computeAnalytics(fiveContacts().reverse(), WEEK, UTC)).toEqual(a);
  });

  it('ignores auto-replies', () => {
    const h = history();
    h.enrollment('x')
      .sent(T0, 0)
      .autoReplied(T0 + HOUR);
    const t = computeAnalytics(h.events, WEEK, UTC).totals;
    expect(t.counts.replied).toBe(0);
    expect(t.rates.replyRate).toBe(0);
  });
});

describe('steps', () => {
  const a = computeAnalytics(fiveContacts(), WEEK, UTC);
  const step = (i: number) => a.byStep.find((s) => s.stepIndex === i)!;

  it('attributes a reply to the last email sent before it, not the step the enrollment was on', () => {
    expect(a.byStep.map((s) => s.stepIndex)).toEqual([0, 2]);
    expect(step(0).counts).toMatchObject({
      sent: 4,
      replied: 1,
      outOfOffice: 1,
      unsubscribed: 1,
      meetings: 0,
    });
    expect(step(2).counts).toMatchObject({ sent: 1, contacted: 1, replied: 1, meetings: 1, clicked: 1 });
  });

  it('keeps opens on the email the tracking pixel names', () => {
    expect(step(0).counts).toMatchObject({ openedHuman: 1, openedAll: 2, bouncedHard: 1, bouncedSoft: 1 });
    expect(step(2).counts.openedAll).toBe(0);
  });

  it('attributes a reply in the range to a step sent before the range', () => {
    const h = history();
    h.enrollment('x')
      .sent(WEEK.from - 3 * DAY, 0)
      .sent(WEEK.from - DAY, 1)
      .replied(WEEK.from + HOUR);
    const b = computeAnalytics(h.events, WEEK, UTC);
    expect(b.byStep).toHaveLength(1);
    expect(b.byStep[0]).toMatchObject({ stepIndex: 1, counts: { sent: 0, replied: 1 } });
    // Replied in the range, but not emailed in it: counted, yet outside the reply rate.
    expect(b.totals.counts.replied).toBe(1);
    expect(b.totals.rates.replyRate).toBeNull();
  });

  it('gives a reply with no email before it to no step', () => {
    const h = history();
    h.enrollment('x')
      .enrolled(T0)
      .replied(T0 + HOUR)
      .sent(T0 + 2 * HOUR, 0);
    const b = computeAnalytics(h.events, WEEK, UTC);
    expect(b.totals.counts.replied).toBe(1);
    expect(b.byStep.map((s) => [s.stepIndex, s.counts.replied])).toEqual([[0, 0]]);
  });

  it('counts only what belongs to the chosen steps', () => {
    const b = computeAnalytics(fiveContacts(), { ...WEEK, stepIndexes: [2] }, UTC);
    expect(b.totals.counts).toMatchObject({ enrolled: 0, sent: 1, contacted: 1, replied: 1, meetings: 1 });
    expect(b.totals.counts.unsubscribed).toBe(0);
  });
});

describe('filters and the range', () => {
  it('includes an event at `from` and excludes one at `to`', () => {
    const h = history();
    h.enrollment('x').sent(WEEK.from, 0);
    h.enrollment('y').sent(WEEK.to, 0);
    h.enrollment('z').sent(WEEK.to - 1, 0);
    expect(computeAnalytics(h.events, WEEK, UTC).totals.counts.sent).toBe(2);
  });

  it('gives null rates, never NaN, when nobody was emailed', () => {
    expect(allNull(computeAnalytics([], WEEK, UTC).totals.rates)).toBe(true);
    const h = history();
    h.enrollment('x').enrolled(T0);
    const t = computeAnalytics(h.events, WEEK, UTC).totals;
    expect(t.counts.enrolled).toBe(1);
    expect(allNull(t.rates)).toBe(true);
  });

  it('gives an empty result for an empty range', () => {
    const a = computeAnalytics(fiveContacts(), { from: T0, to: T0 }, UTC);
    expect(a.daily).toEqual([]);
    expect(a.totals.counts.sent).toBe(0);
  });

  it('leaves out a sequence and a rep with nothing in the range, though emailed before it', () => {
    const h = history();
    h.enrollment('old', { sequenceId: 's-old', mailbox: 'old@acme.test' }).sent(T0 - 7 * DAY, 0);
    h.enrollment('new').sent(T0, 0);
    const a = computeAnalytics(h.events, WEEK, UTC);
    expect(a.bySequence.map((s) => s.sequenceId)).toEqual(['seq-1']);
    expect(a.byRep.map((r) => r.mailbox)).toEqual(['ann@acme.test']);
  });

  it('filters by sequence and by rep', () => {
    const h = history();
    h.enrollment('a', { sequenceId: 's1', mailbox: 'ann@acme.test' })
      .sent(T0, 0)
      .replied(T0 + HOUR);
    h.enrollment('b', { sequenceId: 's2', mailbox: 'bob@acme.test' }).sent(T0, 0);
    h.enrollment('c', { sequenceId: 's2', mailbox: 'ann@acme.test' }).sent(T0, 0);
    const all = computeAnalytics(h.events, WEEK, UTC);
    expect(all.bySequence.map((s) => [s.sequenceId, s.counts.sent])).toEqual([
      ['s1', 1],
      ['s2', 2],
    ]);
    // The leaderboard puts the rep with replies first.
    expect(all.byRep.map((r) => [r.mailbox, r.counts.sent, r.counts.replied])).toEqual([
      ['ann@acme.test', 2, 1],
      ['bob@acme.test', 1, 0],
    ]);
    expect(computeAnalytics(h.events, { ...WEEK, sequenceIds: ['s2'] }, UTC).totals.counts.sent).toBe(2);
    expect(
      computeAnalytics(h.events, { ...WEEK, sequenceIds: ['s2'], mailboxes: ['ann@acme.test'] }, UTC).totals
        .counts.sent,
    ).toBe(1);
  });
});

describe('the daily series', () => {
  it('has every day of the range, zeros included, and counts a contact on its first day', () => {
    const a = computeAnalytics(fiveContacts(), WEEK, UTC);
    expect(a.daily.map((d) => d.date)).toEqual([
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-08',
      '2025-03-09',
    ]);
    expect(a.daily.map((d) => [d.sent, d.replied, d.meetings, d.bounced, d.unsubscribed])).toEqual([
      [4, 1, 0, 2, 0],
      [0, 0, 0, 0, 1],
      [1, 1, 1, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('cuts days at local midnight across the spring DST change', () => {
    // New York moves to EDT (UTC-4) at 2:00 on Sunday 9 March 2025: that day lasts 23 hours.
    const range = { from: Date.UTC(2025, 2, 8, 5), to: Date.UTC(2025, 2, 11, 4) };
    const h = history();
    h.enrollment('x')
      .sent(Date.UTC(2025, 2, 9, 4, 30), 0) // Sat 8 March 23:30 EST
      .sent(Date.UTC(2025, 2, 10, 3, 30), 1) // Sun 9 March 23:30 EDT
      .sent(Date.UTC(2025, 2, 10, 4, 30), 2); // Mon 10 March 00:30 EDT (23:30 on Sunday at the winter offset)
    const a = computeAnalytics(h.events, range, { timeZone: 'America/New_York' });
    expect(a.daily.map((d) => [d.date, d.sent])).toEqual([
      ['2025-03-08', 1],
      ['2025-03-09', 1],
      ['2025-03-10', 1],
    ]);
  });

  it('cuts days at local midnight across the autumn DST change', () => {
    // Paris goes back to UTC+1 at 3:00 on Sunday 26 October 2025: that day lasts 25 hours.
    const range = { from: Date.UTC(2025, 9, 25, 22), to: Date.UTC(2025, 9, 27, 23) };
    const h = history();
    h.enrollment('x')
      .sent(Date.UTC(2025, 9, 26, 22, 30), 0) // Sun 26 October 23:30 CET
      .sent(Date.UTC(2025, 9, 26, 23, 30), 1); // Mon 27 October 00:30 CET
    const a = computeAnalytics(h.events, range, { timeZone: 'Europe/Paris' });
    expect(a.daily.map((d) => [d.date, d.sent])).toEqual([
      ['2025-10-26', 1],
      ['2025-10-27', 1],
    ]);
  });
});

describe('A/B tests', () => {
  function abTest(a: [number, number], b: [number, number]) {
    const h = history();
    [a, b].forEach(([reached, replied], variant) => {
      for (let i = 0; i < reached; i++) {
        const e = h
          .enrollment(`v${variant}-${i}`)
          .sent(T0, 0, variant)
          .sent(T0 + DAY, 1);
        if (i < replied) e.replied(T0 + HOUR);
      }
    });
    const result = computeAnalytics(h.events, WEEK, UTC);
    expect(result.abTests).toHaveLength(1);
    return result.abTests[0]!;
  }

  it('finds B better than A at 250/1000 against 200/1000 (z-test, p = 0.0074)', () => {
    const t = abTest([1000, 200], [1000, 250]);
    expect(t.variants).toEqual([
      { variant: 0, label: 'A', reached: 1000, replied: 200, replyRate: 0.2 },
      { variant: 1, label: 'B', reached: 1000, replied: 250, replyRate: 0.25 },
    ]);
    expect(t.comparisons).toHaveLength(1);
    expect(t.comparisons[0]).toMatchObject({ leader: 'B', other: 'A', method: 'z', confidence: 0.99 });
    // scipy: two-sided pooled z = 2.6774, p = 0.0074196 (the same as chi-square without correction).
    expect(t.comparisons[0]!.pValue).toBeCloseTo(0.0074196, 5);
    expect(t.summary).toBe('99% confident B beats A');
  });

  it('uses Fisher’s exact test on small counts and says when it is not enough', () => {
    const close = abTest([10, 1], [10, 6]);
    expect(close.comparisons[0]).toMatchObject({ method: 'fisher', confidence: null });
    expect(close.comparisons[0]!.pValue).toBeCloseTo(0.0572755, 6); // scipy.stats.fisher_exact
    expect(close.summary).toBe('not enough data yet');

    const clear = abTest([10, 0], [10, 5]);
    expect(clear.comparisons[0]!.pValue).toBeCloseTo(0.0325077, 6);
    expect(clear.summary).toBe('95% confident B beats A');
  });

  it('leaves out steps without variants and the replies attributed to other steps', () => {
    const h = history();
    h.enrollment('a')
      .sent(T0, 0, 0)
      .sent(T0 + DAY, 1)
      .replied(T0 + 2 * DAY);
    h.enrollment('b')
      .sent(T0, 0, 1)
      .replied(T0 + HOUR);
    const [t] = computeAnalytics(h.events, WEEK, UTC).abTests;
    expect(t!.variants.map((v) => [v.label, v.reached, v.replied])).toEqual([
      ['A', 1, 0],
      ['B', 1, 1],
    ]);
    expect(t!.summary).toBe('not enough data yet');
  });
});

describe('task adherence', () => {
  // Paris, Monday 3 March 2025 is UTC+1. Tasks fall due at 10:00 local.
  const at = (day: number, hour: number, minute = 0) => Date.UTC(2025, 2, 3 + day, hour - 1, minute);
  const range = { from: at(0, 0), to: at(2, 12) }; // Monday 00:00 to Wednesday 12:00
  const paris = { timeZone: 'Europe/Paris' };

  function tasks() {
    const h = history();
    const due = at(0, 10);
    h.enrollment('on-time').taskCreated(at(0, 8), 1, due).taskCompleted(at(0, 17), 1, due);
    h.enrollment('before-midnight')
      .taskCreated(at(0, 8), 1, due)
      .taskCompleted(at(0, 23, 59), 1, due);
    h.enrollment('late')
      .taskCreated(at(0, 8), 1, due)
      .taskCompleted(at(1, 0, 1), 1, due);
    h.enrollment('skipped').taskCreated(at(0, 8), 1, due).taskSkipped(at(0, 9), 1, due);
    h.enrollment('overdue').taskCreated(at(0, 8), 1, due);
    h.enrollment('done-after-range').taskCreated(at(0, 8), 1, due).taskCompleted(at(3, 9), 1, due);
    h.enrollment('pending').taskCreated(at(2, 8), 1, at(2, 10));
    h.enrollment('cancelled').taskCreated(at(0, 8), 1, due).unenrolled(at(0, 9), 'replied');
    h.enrollment('due-later').taskCreated(at(2, 8), 1, at(2, 13));
    h.enrollment('bob', { mailbox: 'bob@acme.test' }).taskCreated(at(0, 8), 2, due);
    return h.events;
  }

  it('sorts each rep’s tasks due in the range by what became of them', () => {
    const [ann, bob] = computeAnalytics(tasks(), range, paris).taskAdherence;
    expect(ann).toEqual({
      mailbox: 'ann@acme.test',
      due: 8,
      onTime: 2,
      late: 1,
      skipped: 1,
      overdue: 2,
      pending: 1,
      cancelled: 1,
      onTimeRate: 2 / 6,
    });
    expect(bob).toMatchObject({ mailbox: 'bob@acme.test', due: 1, overdue: 1, onTimeRate: 0 });
  });

  it('follows the filters, and finds a completion that names no sequence', () => {
    const events = tasks().map((e) =>
      e.type === 'task_completed' ? { ...e, sequenceId: undefined, mailbox: undefined } : e,
    );
    const filtered = computeAnalytics(events, { ...range, sequenceIds: ['seq-1'], stepIndexes: [1] }, paris);
    expect(filtered.taskAdherence).toHaveLength(1);
    expect(filtered.taskAdherence[0]).toMatchObject({ onTime: 2, late: 1, due: 8 });
  });

  it('gives no rate to a rep whose tasks are all pending', () => {
    const h = history();
    h.enrollment('x').taskCreated(at(2, 8), 1, at(2, 10));
    expect(computeAnalytics(h.events, range, paris).taskAdherence[0]!.onTimeRate).toBeNull();
  });
});
