import { describe, expect, it } from 'vitest';
import { isoDateOfDay, localDays } from './days';

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
