import { describe, expect, it } from 'vitest';
import { dayOffset, fromLocalInput, snoozeOptions, startOfToday, toLocalInput } from './time';

describe('rep-clock helpers', () => {
  it('counts days on the rep’s calendar, not UTC’s', () => {
    const mondayEveningLA = Date.parse('2026-03-10T05:00:00Z'); // Monday 22:00 in Los Angeles
    const now = Date.parse('2026-03-09T15:00:00Z');
    expect(dayOffset(mondayEveningLA, now, 'America/Los_Angeles')).toBe(0);
    expect(dayOffset(mondayEveningLA, now, 'Europe/London')).toBe(1);
  });

  it('reads a date input on the rep’s clock and moves a time inside a DST gap forward', () => {
    expect(fromLocalInput('2026-03-30T09:00', 'Europe/London')).toBe(Date.parse('2026-03-30T08:00:00Z'));
    // 1:30 does not exist in London on 29 March 2026; a person's clock shows 2:30 BST.
    expect(fromLocalInput('2026-03-29T01:30', 'Europe/London')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(fromLocalInput('', 'Europe/London')).toBeUndefined();
    expect(fromLocalInput('not a date', 'Europe/London')).toBeUndefined();
    expect(toLocalInput(Date.parse('2026-03-30T08:00:00Z'), 'Europe/London')).toBe('2026-03-30T09:00');
  });

  it('snoozes to next Monday a week on when today is Monday, and to tomorrow on Sunday', () => {
    const monday = Date.parse('2026-03-09T10:00:00Z');
    expect(snoozeOptions(monday, 'UTC').nextMondayMorning).toBe(Date.parse('2026-03-16T09:00:00Z'));
    const sunday = Date.parse('2026-03-15T10:00:00Z');
    expect(snoozeOptions(sunday, 'UTC').nextMondayMorning).toBe(Date.parse('2026-03-16T09:00:00Z'));
  });

  it('starts the day at local midnight, a 23-hour day included', () => {
    expect(startOfToday(Date.parse('2026-03-29T20:00:00Z'), 'Europe/London')).toBe(
      Date.parse('2026-03-29T00:00:00Z'),
    );
    expect(startOfToday(Date.parse('2026-03-30T20:00:00Z'), 'Europe/London')).toBe(
      Date.parse('2026-03-29T23:00:00Z'),
    );
  });
});
