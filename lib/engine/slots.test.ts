import { describe, expect, it } from 'vitest';
import { calendarFor } from './calendar';
import { earliestSendSlot, insertSorted } from './slots';
import { SettingsSchema } from '../domain/sequence';

const open = calendarFor(
  SettingsSchema.parse({ weekdaysOnly: false, sendWindow: { start: '00:00', end: '24:00' } }),
  {
    rep: 'UTC',
  },
);
const t0 = Date.parse('2026-03-04T10:00:00Z');
const limits = { dailyCap: 500, perMinuteCap: 10, minSpacingMs: 30_000 };

describe('earliestSendSlot', () => {
  it('is the moment itself when nothing was sent', () => {
    expect(earliestSendSlot(t0, [], limits, open)).toBe(t0);
  });

  it('keeps the spacing after the last send', () => {
    expect(earliestSendSlot(t0, [t0 - 10_000], limits, open)).toBe(t0 + 20_000);
  });

  it('keeps the spacing before a later promised send too', () => {
    expect(earliestSendSlot(t0, [t0 + 10_000], limits, open)).toBe(t0 + 40_000);
  });

  it('waits for the per-minute cap to roll over', () => {
    const sends = [t0 - 50_000, t0 - 40_000, t0 - 30_000];
    expect(earliestSendSlot(t0, sends, { ...limits, perMinuteCap: 3, minSpacingMs: 0 }, open)).toBe(
      t0 + 10_000,
    );
  });

  it('waits for the rolling 24-hour cap to roll over', () => {
    const sends = [t0 - 23 * 3_600_000, t0 - 22 * 3_600_000];
    expect(earliestSendSlot(t0, sends, { ...limits, dailyCap: 2 }, open)).toBe(t0 + 3_600_000);
  });

  it('lands inside the window after the caps push it out of it', () => {
    const nine = calendarFor(
      SettingsSchema.parse({ weekdaysOnly: false, sendWindow: { start: '09:00', end: '10:01' } }),
      {
        rep: 'UTC',
      },
    );
    const slot = earliestSendSlot(t0, [t0 - 1000], { ...limits, minSpacingMs: 120_000 }, nine);
    expect(new Date(slot).toISOString()).toBe('2026-03-05T09:00:00.000Z');
  });
});

describe('insertSorted', () => {
  it('keeps the array ascending', () => {
    const a = [1, 5, 9];
    insertSorted(a, 6);
    insertSorted(a, 0);
    insertSorted(a, 9);
    expect(a).toEqual([0, 1, 5, 6, 9, 9]);
  });
});
