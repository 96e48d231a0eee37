import { z } from 'zod';

/** Milliseconds since the Unix epoch. All stored times are instants; wall-clock math happens in lib/engine/calendar. */
export const EpochMs = z.number().int().nonnegative();

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'is not a valid email address' }));

const validZones = new Set<string>(Intl.supportedValuesOf('timeZone'));
// Intl.supportedValuesOf lists canonical names only; accept aliases that Intl itself resolves (e.g. "UTC").
function isTimeZone(name: string): boolean {
  if (validZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .refine(isTimeZone, { message: 'is not an IANA time zone (e.g. "Europe/London")' });

/** "HH:MM", 00:00 to 24:00. */
export const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be a time of day as "HH:MM"' });

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as "YYYY-MM-DD"' });

export const Id = z.string().min(1).max(200);

export function minutesOfClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Turns a zod error into one line per problem, each naming the field path, e.g.
 * `sequence.steps.2.delay.unit: expected one of "business_days"|"days"|"hours"|"minutes"`.
 */
export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}

/** Parses or throws an Error whose message names every failing field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, root = ''): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(describeZodError(result.error, root));
  return result.data;
}

export class ValidationError extends Error {
  override name = 'ValidationError';
}
