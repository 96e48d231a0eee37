import { Temporal } from 'temporal-polyfill';

const DAY = 86_400_000;
/** UTC offsets change only on quarter-hour instants (IANA data since the 1970s), so one lookup per slot suffices. */
const SLOT = 900_000;

/**
 * Calendar days in a time zone, as whole days since 1970-01-01 of that zone's wall clock. Asking Temporal for
 * every one of a million events would take seconds; the offset is cached per quarter hour instead.
 */
export function localDays(timeZone: string): (ms: number) => number {
  const offsets = new Map<number, number>();
  return (ms) => {
    const slot = Math.floor(ms / SLOT);
    let offset = offsets.get(slot);
    if (offset === undefined) {
      offset =
        Temporal.Instant.fromEpochMilliseconds(slot * SLOT).toZonedDateTimeISO(timeZone).offsetNanoseconds /
        1e6;
      offsets.set(slot, offset);
    }
    return Math.floor((ms + offset) / DAY);
  };
}

const EPOCH = Temporal.PlainDate.from('1970-01-01');

/** 'YYYY-MM-DD' of a day number from `localDays`. */
export const isoDateOfDay = (day: number): string => EPOCH.add({ days: day }).toString();
