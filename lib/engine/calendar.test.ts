import { describe, expect, it } from 'vitest';
import { addDelay, calendarFor, isSendable, localClock, nextSendableMoment } from './calendar';
import { SettingsSchema } from '../domain/sequence';

const at = (iso: string) => Date.parse(iso);
const cal = (tz: string, extra: object = {}) =>
  calendarFor(SettingsSchema.parse(extra), { contact: tz, rep: 'UTC' });

describe('nextSendableMoment', () => {
  it('keeps a moment that is inside the window on a weekday', () => {
    const t = at('2026-03-04T15:00:00Z'); // Wed 10:00 in New York
    expect(nextSendableMoment(t, cal('America/New_York'))).toBe(t);
  });

  it('moves an early-morning moment to the window start in the contact zone', () => {
    const t = at('2026-03-04T10:00:00Z'); // 05:00 in New York
    expect(localClock(nextSendableMoment(t, cal('America/New_York')), 'America/New_York')).toBe(
      '2026-03-04 08:00',
    );
  });

  it('moves a Friday-evening moment to Monday morning when weekdays only', () => {
    const t = at('2026-03-06T23:30:00Z'); // Fri 18:30 in New York
    expect(localClock(nextSendableMoment(t, cal('America/New_York')), 'America/New_York')).toBe(
      '2026-03-09 08:00',
    );
  });

  it('sends on a Saturday when weekends are allowed', () => {
    const t = at('2026-03-07T09:00:00Z');
    expect(
      localClock(nextSendableMoment(t, cal('Europe/London', { weekdaysOnly: false })), 'Europe/London'),
    ).toBe('2026-03-07 09:00');
  });

  it('skips holidays in the contact zone', () => {
    const t = at('2026-12-24T19:00:00Z');
    const c = cal('Europe/London', { holidays: ['2026-12-25'] });
    expect(localClock(nextSendableMoment(t, c), 'Europe/London')).toBe('2026-12-28 08:00');
  });

  it('uses the window of a half-hour zone (Kolkata, UTC+05:30)', () => {
    const t = at('2026-03-04T00:00:00Z'); // 05:30 in Kolkata
    const next = nextSendableMoment(t, cal('Asia/Kolkata'));
    expect(new Date(next).toISOString()).toBe('2026-03-04T02:30:00.000Z');
  });

  it('opens the window at 08:00 local on both sides of the US spring-forward change', () => {
    const c = cal('America/New_York');
    expect(new Date(nextSendableMoment(at('2026-03-06T05:00:00Z'), c)).toISOString()).toBe(
      '2026-03-06T13:00:00.000Z',
    ); // EST
    expect(new Date(nextSendableMoment(at('2026-03-09T05:00:00Z'), c)).toISOString()).toBe(
      '2026-03-09T12:00:00.000Z',
    ); // EDT
  });

  it('moves a window start that falls in the DST gap forward by the gap', () => {
    const c = cal('Europe/London', { weekdaysOnly: false, sendWindow: { start: '01:30', end: '05:00' } });
    // 2026-03-29 01:30 does not exist in London; clocks jump from 01:00 to 02:00.
    const next = nextSendableMoment(at('2026-03-29T00:10:00Z'), c);
    expect(localClock(next, 'Europe/London')).toBe('2026-03-29 02:30');
  });

  it('falls back to the rep zone when the contact has none', () => {
    const c = calendarFor(SettingsSchema.parse({}), { rep: 'Australia/Sydney' });
    expect(c.timeZone).toBe('Australia/Sydney');
  });

  it('uses the rep zone when the sequence says so', () => {
    const c = calendarFor(SettingsSchema.parse({ timeZoneBasis: 'rep' }), {
      contact: 'Asia/Kolkata',
      rep: 'Europe/Berlin',
    });
    expect(c.timeZone).toBe('Europe/Berlin');
  });
});

describe('addDelay', () => {
  const ny = cal('America/New_York');
  it('adds business days skipping the weekend and holidays, keeping the wall-clock time', () => {
    const fri = at('2026-03-06T15:00:00Z');
    expect(localClock(addDelay(fri, { value: 1, unit: 'business_days' }, ny), 'America/New_York')).toBe(
      '2026-03-09 10:00',
    );
    const withHoliday = cal('America/New_York', { holidays: ['2026-03-09'] });
    expect(
      localClock(addDelay(fri, { value: 1, unit: 'business_days' }, withHoliday), 'America/New_York'),
    ).toBe('2026-03-10 10:00');
  });

  it('keeps the wall-clock time when adding days across a DST change', () => {
    const before = at('2026-03-06T15:00:00Z'); // Fri 10:00 EST
    const after = addDelay(before, { value: 3, unit: 'days' }, ny);
    expect(localClock(after, 'America/New_York')).toBe('2026-03-09 10:00');
    expect(after - before).toBe(3 * 86_400_000 - 3_600_000);
  });

  it('adds exact hours and minutes', () => {
    expect(addDelay(0, { value: 2, unit: 'hours' }, ny)).toBe(7_200_000);
    expect(addDelay(0, { value: 5, unit: 'minutes' }, ny)).toBe(300_000);
  });
});

describe('isSendable', () => {
  it('treats the window end as exclusive', () => {
    const c = cal('UTC');
    expect(isSendable(at('2026-03-04T17:59:59Z'), c)).toBe(true);
    expect(isSendable(at('2026-03-04T18:00:00Z'), c)).toBe(false);
  });
});
