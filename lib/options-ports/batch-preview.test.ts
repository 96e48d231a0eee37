import { describe, expect, it } from 'vitest';
import type { Contact } from '../domain/contact';
import type { Rep } from '../domain/rep';
import { SequenceSchema } from '../domain/sequence';
import { previewBatch } from './batch-preview';

const rep: Rep = { email: 'sam@seller.example', timeZone: 'Europe/London' };
// Monday 2 March 2026, 09:00 in London.
const NOW = Date.parse('2026-03-02T09:00:00Z');
const sequence = (settings: object) =>
  SequenceSchema.parse({
    id: 'seq1',
    name: 'Batch',
    ownerId: 'sam',
    settings: { timeZoneBasis: 'rep', sendWindow: { start: '09:00', end: '17:00' }, ...settings },
    steps: [
      { id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' }, subject: 'Hi', body: 'x' },
      { id: 's2', type: 'auto_email', delay: { value: 2, unit: 'days' }, subject: 'Again', body: 'x' },
    ],
  });
const contacts = (n: number): Contact[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, email: `p${i}@acme.example`, custom: {} }));

describe('the schedule preview of a batch', () => {
  it('spreads the first emails by the daily cap over the following weekdays, inside the window', () => {
    const preview = previewBatch({
      sequence: sequence({ dailySendCap: 100, perMinuteCap: 10, minSecondsBetweenSends: 30 }),
      startStep: 0,
      rep,
      contacts: contacts(250),
      now: NOW,
    });
    expect(preview.firsts).toHaveLength(250);
    expect(preview.days.map((d) => [d.date, d.emails])).toEqual([
      ['2026-03-02', 100],
      ['2026-03-03', 100],
      ['2026-03-04', 50],
    ]);
    for (const d of preview.days) {
      const hour = (t: number) => new Date(t).getUTCHours();
      expect(hour(d.first)).toBeGreaterThanOrEqual(9);
      expect(hour(d.last)).toBeLessThan(17);
    }
    // The spacing holds between consecutive emails.
    const times = preview.firsts.map((f) => f.at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(30_000);
  });

  it('counts the mailbox’s sends of the last day against today’s cap', () => {
    const recentSends = Array.from({ length: 95 }, (_, i) => NOW - 3_600_000 + i * 1000);
    const preview = previewBatch({
      sequence: sequence({ dailySendCap: 100 }),
      startStep: 0,
      rep,
      contacts: contacts(10),
      now: NOW,
      recentSends,
    });
    expect(preview.days[0]).toMatchObject({ date: '2026-03-02', emails: 5 });
  });

  it('starts at the chosen step', () => {
    const preview = previewBatch({
      sequence: sequence({}),
      startStep: 1,
      rep,
      contacts: contacts(1),
      now: NOW,
    });
    expect(preview.firsts[0]).toMatchObject({ kind: 'email', email: 'p0@acme.example' });
    expect(preview.days[0]!.date).toBe('2026-03-04');
  });
});
