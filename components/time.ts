import { Temporal } from 'temporal-polyfill';

/**
 * Wall-clock helpers for the UI. Every "today", "tomorrow 9:00" and date input is read on the rep's clock
 * (their IANA zone), not the browser's, so a rep travelling or using a VM still sees their own day.
 */
export const zoned = (ms: number, timeZone: string): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);

/** Calendar days from today to the day of `ms`, both on the zone's clock: 0 today, 1 tomorrow, -1 yesterday. */
export function dayOffset(ms: number, now: number, timeZone: string): number {
  const today = zoned(now, timeZone).toPlainDate();
  const day = zoned(ms, timeZone).toPlainDate();
  return today.until(day, { largestUnit: 'days' }).days;
}

/** The instant of a wall-clock time on a date in a zone (a time inside a DST gap moves forward). */
export function atLocal(date: Temporal.PlainDate, hour: number, minute: number, timeZone: string): number {
  return date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from({ hour, minute }) })
    .epochMilliseconds;
}

/** Start of the day after `now` on the zone's clock: anything due before it is due "today" or earlier. */
export function startOfTomorrow(now: number, timeZone: string): number {
  return zoned(now, timeZone).toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
}

export function startOfToday(now: number, timeZone: string): number {
  return zoned(now, timeZone).toPlainDate().toZonedDateTime({ timeZone }).epochMilliseconds;
}

export interface SnoozeOptions {
  oneHour: number;
  tomorrowMorning: number;
  nextMondayMorning: number;
}

/** Snooze targets: in an hour, tomorrow 9:00, and the next Monday 9:00 (a week on when today is Monday). */
export function snoozeOptions(now: number, timeZone: string): SnoozeOptions {
  const today = zoned(now, timeZone).toPlainDate();
  const daysToMonday = 8 - today.dayOfWeek; // dayOfWeek: Monday 1 … Sunday 7
  return {
    oneHour: now + 3_600_000,
    tomorrowMorning: atLocal(today.add({ days: 1 }), 9, 0, timeZone),
    nextMondayMorning: atLocal(today.add({ days: daysToMonday }), 9, 0, timeZone),
  };
}

/** The value of an `<input type="datetime-local">` showing `ms` on the zone's clock. */
export function toLocalInput(ms: number, timeZone: string): string {
  return zoned(ms, timeZone).toPlainDateTime().toString({ smallestUnit: 'minute' });
}

/** Reads an `<input type="datetime-local">` value on the zone's clock; undefined when empty or malformed. */
export function fromLocalInput(value: string, timeZone: string): number | undefined {
  if (!value) return undefined;
  try {
    return Temporal.PlainDateTime.from(value).toZonedDateTime(timeZone).epochMilliseconds;
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
