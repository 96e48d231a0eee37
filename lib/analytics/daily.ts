import { isoDateOfDay } from './days';
import type { DayRow } from './types';

/** Every day of [from, to) in the zone of `dayOf`, counting nothing yet. */
export function emptyDays(from: number, to: number, dayOf: (ms: number) => number): DayRow[] {
  const first = dayOf(from);
  const length = to > from ? dayOf(to - 1) - first + 1 : 0;
  return Array.from({ length: Math.max(0, length) }, (_, i) => ({
    date: isoDateOfDay(first + i),
    enrolled: 0,
    sent: 0,
    bounced: 0,
    openedHuman: 0,
    clicked: 0,
    replied: 0,
    meetings: 0,
    unsubscribed: 0,
  }));
}

/** The daily series of a range: its rows, and the row an instant counts on. */
export class DailySeries {
  readonly rows: DayRow[];
  private readonly firstDay: number;

  constructor(
    from: number,
    to: number,
    private readonly dayOf: (ms: number) => number,
  ) {
    this.firstDay = dayOf(from);
    this.rows = emptyDays(from, to, dayOf);
  }

  /**
   * A zone that turns its clock back across midnight dates an instant after the range's start on the day
   * before: it counts on the nearest day of the range, as everything at the range's edges does.
   */
  rowAt(ms: number): DayRow {
    const i = Math.min(Math.max(this.dayOf(ms) - this.firstDay, 0), this.rows.length - 1);
    return this.rows[i]!;
  }
}
