import { getISO } from 'temporal-polyfill/fns/Calendar';
import * as Instant from 'temporal-polyfill/fns/Instant';
import * as PlainDate from 'temporal-polyfill/fns/PlainDate';
import * as PlainDateTime from 'temporal-polyfill/fns/PlainDateTime';
import * as PlainTime from 'temporal-polyfill/fns/PlainTime';
import * as ZonedDateTime from 'temporal-polyfill/fns/ZonedDateTime';

/**
 * Wall-clock helpers for the UI. Every "today", "tomorrow 9:00" and date input is read on the rep's clock
 * (their IANA zone), not the browser's, so a rep travelling or using a VM still sees their own day.
 * Temporal's tree-shakeable function API (the same implementation as the Temporal classes): the content
 * scripts carry only the functions used here, not the whole polyfill.
 */
export const zoned = (ms: number, timeZone: string): ZonedDateTime.Record =>
  Instant.toZonedDateTimeISO(Instant.fromEpochMilliseconds(ms), timeZone);

const dateOf = (ms: number, timeZone: string) => ZonedDateTime.toPlainDate(zoned(ms, timeZone));

/** Calendar days from today to the day of `ms`, both on the zone's clock: 0 today, 1 tomorrow, -1 yesterday. */
export function dayOffset(ms: number, now: number, timeZone: string): number {
  return PlainDate.diffDays(dateOf(now, timeZone), dateOf(ms, timeZone));
}

/** The instant of a wall-clock time on a date in a zone (a time inside a DST gap moves forward). */
export function atLocal(date: PlainDate.Record, hour: number, minute: number, timeZone: string): number {
  return PlainDate.toZonedDateTime(date, { timeZone, plainTime: PlainTime.fromFields({ hour, minute }) })
    .epochMilliseconds;
}

/** Start of the day after `now` on the zone's clock: anything due before it is due "today" or earlier. */
export function startOfTomorrow(now: number, timeZone: string): number {
  return PlainDate.toZonedDateTime(PlainDate.addDays(dateOf(now, timeZone), 1), timeZone).epochMilliseconds;
}

export function startOfToday(now: number, timeZone: string): number {
  return PlainDate.toZonedDateTime(dateOf(now, timeZone), timeZone).epochMilliseconds;
}

export interface SnoozeOptions {
  oneHour: number;
  tomorrowMorning: number;
  nextMondayMorning: number;
}

/** Snooze targets: in an hour, tomorrow 9:00, and the next Monday 9:00 (a week on when today is Monday). */
export function snoozeOptions(now: number, timeZone: string): SnoozeOptions {
  const today = dateOf(now, timeZone);
  const daysToMonday = 8 - PlainDate.dayOfWeek(today); // dayOfWeek: Monday 1 … Sunday 7
  return {
    oneHour: now + 3_600_000,
    tomorrowMorning: atLocal(PlainDate.addDays(today, 1), 9, 0, timeZone),
    nextMondayMorning: atLocal(PlainDate.addDays(today, daysToMonday), 9, 0, timeZone),
  };
}

/** The value of an `<input type="datetime-local">` showing `ms` on the zone's clock. */
export function toLocalInput(ms: number, timeZone: string): string {
  return PlainDateTime.toString(ZonedDateTime.toPlainDateTime(zoned(ms, timeZone)), {
    smallestUnit: 'minute',
  });
}

/** Reads an `<input type="datetime-local">` value on the zone's clock; undefined when empty or malformed. */
export function fromLocalInput(value: string, timeZone: string): number | undefined {
  if (!value) return undefined;
  try {
    return PlainDateTime.toZonedDateTime(PlainDateTime.fromString(value, getISO), timeZone).epochMilliseconds;
  } catch {
    return undefined;
  }
}

let zoneList: string[] | undefined;
/** Every IANA zone the browser knows, for the time-zone picker. */
export function timeZones(): string[] {
  zoneList ??= Intl.supportedValuesOf('timeZone');
  return zoneList;
}

export function isTimeZone(name: string): boolean {
  if (timeZones().includes(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}
