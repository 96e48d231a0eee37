import { Temporal } from 'temporal-polyfill';

const DAY = 86_400_000;

/** A stretch of time between two of the zone's transitions, with the UTC offset in force during it. */
export interface Span {
  start: number;
  end: number;
  offset: number;
}

/**
 * Calendar days in a time zone, as whole days since 1970-01-01 of that zone's wall clock. Asking Temporal
 * for each of a million events would take a minute (the polyfill's zone lookup costs tens of microseconds),
 * so the offset is looked up once per stretch between two DST transitions and reused for every event in it.
 */
export function localDays(timeZone: string): (ms: number) => number {
  const spans: Span[] = [];
  let last: Span | undefined;

  function spanAt(ms: number): Span {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = spans[mid]!;
      if (ms < s.start) hi = mid;
      else if (ms >= s.end) lo = mid + 1;
      else return s;
    }
    const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
    // 'previous' is strictly before its instant: asked from ms + 1, it also finds a transition at ms itself.
    const previous = Temporal.Instant.fromEpochMilliseconds(ms + 1)
      .toZonedDateTimeISO(timeZone)
      .getTimeZoneTransition('previous');
    const next = zoned.getTimeZoneTransition('next');
    const span = {
      start: previous?.epochMilliseconds ?? -Infinity,
      end: next?.epochMilliseconds ?? Infinity,
      offset: zoned.offsetNanoseconds / 1e6,
    };
    spans.splice(lo, 0, span);
    return span;
  }

  return (ms) => {
    if (!last || ms < last.start || ms >= last.end) last = spanAt(ms);
    return Math.floor((ms + last.offset) / DAY);
  };
}

const EPOCH = Temporal.PlainDate.from('1970-01-01');

/** 'YYYY-MM-DD' of a day number from `localDays`. */
export const isoDateOfDay = (day: number): string => EPOCH.add({ days: day }).toString();

/** The first instant of a local calendar day ('YYYY-MM-DD') in the zone: its midnight, or the end of a gap that swallows it. */
export const startOfLocalDay = (date: string, timeZone: string): number =>
  Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds;

/** The stretches of [from, to) with one UTC offset each (ms to add to an instant for its wall clock), in order. */
export function offsetSpans(timeZone: string, from: number, to: number): Span[] {
  const spans: Span[] = [];
  let start = from;
  while (start < to) {
    const zoned = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(timeZone);
    const next = zoned.getTimeZoneTransition('next')?.epochMilliseconds ?? Infinity;
    const end = Math.min(next, to);
    spans.push({ start, end, offset: zoned.offsetNanoseconds / 1e6 });
    start = end;
  }
  return spans;
}
