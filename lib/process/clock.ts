import { Temporal } from 'temporal-polyfill';

export const DAY_MS = 86_400_000;

/** The evaluator's "now": the instant, and today's calendar day (as a day number) on the rep's clock. */
export interface Clock {
  now: number;
  /** Days since 1970-01-01 of today's date in the rep's time zone. */
  today: number;
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date. */
export function dayNumber(isoDate: string): number {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** "YYYY-MM-DD" of a day number. */
export const isoOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Computed once per evaluation run, not per deal: a time zone lookup costs more than a rule. */
export function clockAt(now: number, timeZone = 'UTC'): Clock {
  const today = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
  return { now, today: dayNumber(today) };
}
