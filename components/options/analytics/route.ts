import { Temporal } from 'temporal-polyfill';
import type { AnalyticsFilter } from '@/lib/analytics/funnel';

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];
export const DEFAULT_PRESET: Preset = 30;

/**
 * The analytics view a link names: `#/analytics/days/7/sequence/<id>/rep/<mailbox>/step/2`, or a custom range
 * `#/analytics/from/2026-01-01/to/2026-01-31` (both days included). Each value is its own path segment, so
 * ids and addresses need no escaping beyond the hash's own. Steps are numbered from 1, as the builder shows them.
 */
export interface AnalyticsRoute {
  days: Preset | null;
  /** Custom range, ISO dates, inclusive; used when `days` is null. */
  from?: string;
  to?: string;
  sequenceId?: string;
  mailbox?: string;
  step?: number;
}

export const DEFAULT_ROUTE: AnalyticsRoute = { days: DEFAULT_PRESET };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string | undefined): s is string => {
  if (!s || !ISO_DATE.test(s)) return false;
  try {
    Temporal.PlainDate.from(s, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
};

/** Reads the route's segments after `analytics`; anything unknown or malformed falls back to the default. */
export function parseRoute(rest: readonly string[]): AnalyticsRoute {
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < rest.length; i += 2) params.set(rest[i]!, rest[i + 1]!);
  const route: AnalyticsRoute = { days: DEFAULT_PRESET };
  const from = params.get('from');
  const to = params.get('to');
  const days = Number(params.get('days'));
  if (validDate(from) && validDate(to) && from <= to) Object.assign(route, { days: null, from, to });
  else if ((PRESETS as readonly number[]).includes(days)) route.days = days as Preset;
  const sequenceId = params.get('sequence');
  if (sequenceId) route.sequenceId = sequenceId;
  const mailbox = params.get('rep');
  if (mailbox) route.mailbox = mailbox;
  const step = Number(params.get('step'));
  if (Number.isInteger(step) && step >= 1) route.step = step;
  return route;
}

/** The hash of a route, defaults left out: the default view is plain `#/analytics`. */
export function routeHash(route: AnalyticsRoute): string {
  const parts: string[] = ['analytics'];
  const add = (key: string, value: string | number) => parts.push(key, encodeURIComponent(String(value)));
  if (route.days === null && route.from && route.to) {
    add('from', route.from);
    add('to', route.to);
  } else if (route.days !== null && route.days !== DEFAULT_PRESET) add('days', route.days);
  if (route.sequenceId) add('sequence', route.sequenceId);
  if (route.mailbox) add('rep', route.mailbox);
  if (route.step) add('step', route.step);
  return `#/${parts.join('/')}`;
}

export const hasFilters = (route: AnalyticsRoute): boolean => routeHash(route) !== routeHash(DEFAULT_ROUTE);

/** Today's date on the given clock. */
export const todayIn = (now: number, timeZone: string): Temporal.PlainDate =>
  Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate();

const startOf = (date: Temporal.PlainDate, timeZone: string) =>
  date.toZonedDateTime({ timeZone }).epochMilliseconds;

/** The dates a route covers, both included: a preset of N days ends today and starts N - 1 days before. */
export function datesOf(
  route: AnalyticsRoute,
  now: number,
  timeZone: string,
): { first: string; last: string } {
  if (route.days === null && route.from && route.to) return { first: route.from, last: route.to };
  const today = todayIn(now, timeZone);
  const days = route.days ?? DEFAULT_PRESET;
  return { first: today.subtract({ days: days - 1 }).toString(), last: today.toString() };
}

/** The analytics filter of a route: whole days on the rep's clock, `to` exclusive (the start of the day after). */
export function filterOf(route: AnalyticsRoute, now: number, timeZone: string): AnalyticsFilter {
  const { first, last } = datesOf(route, now, timeZone);
  const filter: AnalyticsFilter = {
    from: startOf(Temporal.PlainDate.from(first), timeZone),
    to: startOf(Temporal.PlainDate.from(last).add({ days: 1 }), timeZone),
  };
  if (route.sequenceId) filter.sequenceIds = [route.sequenceId];
  if (route.mailbox) filter.mailboxes = [route.mailbox];
  if (route.step) filter.stepIndexes = [route.step - 1];
  return filter;
}
