import { describe, expect, it } from 'vitest';
import { isoDateOfDay, localDays, offsetSpans, startOfLocalDay } from './days';

describe('local days', () => {
  it('agrees with Intl every half hour of a year in zones with DST and odd offsets', () => {
    for (const zone of ['America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC']) {
      const dayOf = localDays(zone);
      const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' });
      const wrong: string[] = [];
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 1_799_000) {
        const [y, m, d] = fmt.format(ms).split('-').map(Number);
        if (dayOf(ms) !== Date.UTC(y!, m! - 1, d!) / 86_400_000)
          wrong.push(`${zone} ${new Date(ms).toISOString()}`);
      }
      expect(wrong).toEqual([]);
    }
  });

  it('puts the instant of a midnight transition on the new day, whichever instant it sees first', () => {
    // Santiago springs forward from Saturday 6 September 2025 24:00 (UTC-4) to Sunday 01:00 (UTC-3).
    const transition = Date.UTC(2025, 8, 7, 4);
    for (const order of [
      [transition, transition - 1],
      [transition - 1, transition],
    ]) {
      const dayOf = localDays('America/Santiago');
      const [first, second] = order.map((ms) => isoDateOfDay(dayOf(ms)));
      expect(order[0] === transition ? [first, second] : [second, first]).toEqual([
        '2025-09-07',
        '2025-09-06',
      ]);
    }
  });

  it('numbers days from 1970-01-01', () => {
    expect(isoDateOfDay(0)).toBe('1970-01-01');
    expect(isoDateOfDay(20_156)).toBe('2025-03-09');
    expect(localDays('UTC')(Date.UTC(2025, 2, 9, 23, 59))).toBe(Date.UTC(2025, 2, 9) / 86_400_000);
  });
});

describe('day boundaries for a server', () => {
  it('starts a day at its midnight, or where a gap that swallows midnight ends', () => {
    expect(startOfLocalDay('2025-03-09', 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 5));
    expect(startOfLocalDay('2025-03-10', 'America/New_York')).toBe(Date.UTC(2025, 2, 10, 4));
    // Santiago has no 7 September 2025 00:00: the day starts at 01:00 (UTC-3).
    expect(startOfLocalDay('2025-09-07', 'America/Santiago')).toBe(Date.UTC(2025, 8, 7, 4));
  });

  it('cuts a range into stretches of one offset at each transition', () => {
    const from = Date.UTC(2025, 2, 1);
    const to = Date.UTC(2025, 3, 1);
    expect(offsetSpans('Europe/Paris', from, to)).toEqual([
      { start: from, end: Date.UTC(2025, 2, 30, 1), offset: 3_600_000 },
      { start: Date.UTC(2025, 2, 30, 1), end: to, offset: 7_200_000 },
    ]);
    expect(offsetSpans('UTC', from, to)).toEqual([{ start: from, end: to, offset: 0 }]);
  });
});
