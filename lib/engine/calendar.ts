import { Temporal } from 'temporal-polyfill';
import type { Delay, Settings } from '../domain/sequence';
import { minutesOfClock } from '../domain/common';

/**
 * The wall clock a sequence sends on: a time zone, a daily window, and the days that count.
 * All wall-clock math goes through Temporal (IANA database), so DST changes and half-hour zones are right.
 */
export interface SendCalendar {
  timeZone: string;
  /** Minutes after local midnight; sends happen at or after start and strictly before end. */
  windowStart: number;
  windowEnd: number;
  weekdaysOnly: boolean;
  holidays: ReadonlySet<string>;
}

export function calendarFor(
  settings: Settings,
  zones: { contact?: string; rep: string },
  teamHolidays: readonly string[] = [],
): SendCalendar {
  return {
    timeZone: settings.timeZoneBasis === 'contact' && zones.contact ? zones.contact : zones.rep,
    windowStart: minutesOfClock(settings.sendWindow.start),
    windowEnd: minutesOfClock(settings.sendWindow.end),
    weekdaysOnly: settings.weekdaysOnly,
    holidays: new Set([...settings.holidays, ...teamHolidays]),
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Far enough to cross any run of holidays a real calendar has; beyond it the calendar is broken. */
const MAX_DAYS_AHEAD = 800;

export const zoned = (ms: number, timeZone: string): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);

const isWeekend = (d: Temporal.PlainDate) => d.dayOfWeek >= 6;

export function isAllowedDay(date: Temporal.PlainDate, cal: SendCalendar): boolean {
  if (cal.weekdaysOnly && isWeekend(date)) return false;
  return !cal.holidays.has(date.toString());
}

/** Business days are Monday to Friday less holidays, whatever `weekdaysOnly` says. */
export function isBusinessDay(date: Temporal.PlainDate, cal: SendCalendar): boolean {
  return !isWeekend(date) && !cal.holidays.has(date.toString());
}

const minuteOfDay = (z: Temporal.ZonedDateTime) =>
  z.hour * 60 + z.minute + z.second / 60 + z.millisecond / 60_000;

/** Is `ms` inside the send window on an allowed day, on the calendar's clock? */
export function isSendable(ms: number, cal: SendCalendar): boolean {
  const z = zoned(ms, cal.timeZone);
  const m = minuteOfDay(z);
  return isAllowedDay(z.toPlainDate(), cal) && m >= cal.windowStart && m < cal.windowEnd;
}

/** The first instant at or after `ms` that is inside the window on an allowed day. */
export function nextSendableMoment(ms: number, cal: SendCalendar): number {
  const z = zoned(ms, cal.timeZone);
  let date = z.toPlainDate();
  let minute = minuteOfDay(z);
  for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
    if (isAllowedDay(date, cal)) {
      if (minute < cal.windowStart) {
        // 'compatible' moves a start inside a DST gap forward by the gap, as a person's clock would.
        const start = date.toZonedDateTime({
          timeZone: cal.timeZone,
          plainTime: Temporal.PlainTime.from({
            hour: Math.floor(cal.windowStart / 60),
            minute: cal.windowStart % 60,
          }),
        }).epochMilliseconds;
        if (minuteOfDay(zoned(start, cal.timeZone)) < cal.windowEnd) return Math.max(start, ms);
      } else if (minute < cal.windowEnd) {
        return ms;
      }
    }
    date = date.add({ days: 1 });
    minute = -1;
  }
  throw new Error(
    `No sendable moment within ${MAX_DAYS_AHEAD} days in ${cal.timeZone}: check the window and holidays`,
  );
}

/** `from` plus a step delay, on the calendar's clock (days keep the wall-clock time across DST). */
export function addDelay(from: number, delay: Delay, cal: SendCalendar): number {
  switch (delay.unit) {
    case 'minutes':
      return from + delay.value * MINUTE;
    case 'hours':
      return from + delay.value * HOUR;
    case 'days':
      return zoned(from, cal.timeZone).add({ days: delay.value }).epochMilliseconds;
    case 'business_days': {
      let z = zoned(from, cal.timeZone);
      for (let counted = 0, i = 0; counted < delay.value; i++) {
        if (i > MAX_DAYS_AHEAD) throw new Error('No business day within reach: check the holidays');
        z = z.add({ days: 1 });
        if (isBusinessDay(z.toPlainDate(), cal)) counted++;
      }
      return z.epochMilliseconds;
    }
  }
}

/** Local date and time of an instant as "YYYY-MM-DD HH:MM" on a zone's clock, for messages and tests. */
export function localClock(ms: number, timeZone: string): string {
  const z = zoned(ms, timeZone);
  return `${z.toPlainDate().toString()} ${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`;
}
