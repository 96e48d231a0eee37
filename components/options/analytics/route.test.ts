import { describe, expect, it } from 'vitest';
import { filterOf, hasFilters, parseRoute, routeHash } from './route';

describe('the analytics route', () => {
  it('round-trips every filter through the hash, escaping addresses', () => {
    const route = { days: 7 as const, sequenceId: 'seq/1', mailbox: 'ann@acme.test', step: 3 };
    const hash = routeHash(route);
    expect(hash).toBe('#/analytics/days/7/sequence/seq%2F1/rep/ann%40acme.test/step/3');
    const rest = hash.split('/').slice(2).map(decodeURIComponent);
    expect(parseRoute(rest)).toEqual(route);
  });

  it('leaves the defaults out, and falls back to them on anything malformed', () => {
    expect(routeHash({ days: 30 })).toBe('#/analytics');
    expect(hasFilters({ days: 30 })).toBe(false);
    expect(parseRoute(['days', '12', 'step', '0', 'from', '2026-02-30', 'to', '2026-03-01'])).toEqual({
      days: 30,
    });
    expect(parseRoute(['from', '2026-03-09', 'to', '2026-03-01'])).toEqual({ days: 30 });
  });

  it('turns a preset into whole days on the rep’s clock, today included, across a DST change', () => {
    // 10:00 in New York on Tuesday 10 March 2026, two days after clocks went forward.
    const now = Date.UTC(2026, 2, 10, 14);
    expect(filterOf({ days: 7 }, now, 'America/New_York')).toEqual({
      from: Date.UTC(2026, 2, 4, 5), // 4 March, midnight EST
      to: Date.UTC(2026, 2, 11, 4), // 11 March, midnight EDT
    });
  });

  it('turns a custom range into its days, both included, and steps into indexes from 0', () => {
    expect(
      filterOf({ days: null, from: '2026-01-01', to: '2026-01-31', step: 2, sequenceId: 's' }, 0, 'UTC'),
    ).toEqual({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 1, 1),
      sequenceIds: ['s'],
      stepIndexes: [1],
    });
  });
});
