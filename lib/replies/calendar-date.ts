/** A calendar day without time zone; months are 1-12. */
export interface Day {
  y: number;
  m: number;
  d: number;
}

const MONTH3: Record<string, number> = Object.fromEntries(
  'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ').map((m, i) => [m, i + 1]),
);

export function isValidDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function toOrdinal(day: Day): number {
  return Math.round(Date.UTC(day.y, day.m - 1, day.d) / 86_400_000);
}

export function fromOrdinal(n: number): Day {
  const t = new Date(n * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addDays(day: Day, n: number): Day {
  return fromOrdinal(toOrdinal(day) + n);
}

/** 0 = Sunday … 6 = Saturday */
export function weekday(day: Day): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

export function formatDay(day: Day): string {
  return `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

export interface MessageDate {
  /** The day in the sender's own time zone, as the Date header states it. */
  day: Day;
  /** UTC offset in minutes, when the header gives a numeric one. */
  offsetMinutes?: number;
}

/**
 * Reads an RFC 5322 Date header ("Mon, 2 Mar 2026 09:12:00 -0800"), keeping the sender's local day and
 * offset. Falls back to the JavaScript parser (UTC day) for odd formats.
 */
export function parseMessageDate(value: string | undefined): MessageDate | undefined {
  if (!value) return undefined;
  const m =
    /(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{2,4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*([+-]\d{4})?)?/.exec(
      value,
    );
  if (m) {
    const month = MONTH3[(m[2] ?? '').toLowerCase()];
    let y = Number(m[3]);
    if (y < 100) y += y < 50 ? 2000 : 1900;
    const d = Number(m[1]);
    if (month && isValidDay(y, month, d)) {
      const result: MessageDate = { day: { y, m: month, d } };
      if (m[4]) {
        const sign = m[4][0] === '-' ? -1 : 1;
        result.offsetMinutes = sign * (Number(m[4].slice(1, 3)) * 60 + Number(m[4].slice(3, 5)));
      }
      return result;
    }
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) return undefined;
  return { day: fromOrdinal(Math.floor(t / 86_400_000)) };
}
