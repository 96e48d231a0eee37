import { z } from 'zod';
import { Id, IsoDate, TimeZone } from '../domain/common';

// The answer of `GET /analytics` is the analytics' own result schema, owned by the pure code that computes it
// (lib/analytics/answer.ts), so lib/analytics never imports the contract.
export {
  AnalyticsCounts,
  AnalyticsRates,
  FunnelRow,
  SequenceRow,
  StepRow,
  RepRow,
  DayRow,
  VariantRow,
  VariantComparison,
  AbTestRow,
  TaskAdherenceRow,
  Analytics,
} from '../analytics/answer';

/** Longest range one request may ask for, in days. */
export const MAX_ANALYTICS_DAYS = 731;

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a YYYY-MM-DD that names a real calendar day, else undefined. */
export function dayNumberOf(date: string): number | undefined {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d
    ? ms / DAY_MS
    : undefined;
}
const CalendarDate = IsoDate.refine((s) => dayNumberOf(s) !== undefined, {
  message: 'is not a calendar day',
});

/**
 * `GET /analytics`: whole days in one time zone, `from` to `to` inclusive. A rep always gets their own
 * numbers; a manager or an admin gets the team's, or one member's with `repId`.
 */
export const AnalyticsQuery = z
  .object({
    from: CalendarDate.describe('first day counted, YYYY-MM-DD, from its midnight in `timeZone`'),
    to: CalendarDate.describe('last day counted (inclusive), YYYY-MM-DD'),
    timeZone: TimeZone.default('UTC').describe(
      'IANA time zone of the days (range, daily series, tasks’ due days)',
    ),
    sequenceId: Id.optional().describe('only this sequence'),
    repId: Id.optional().describe('only this member’s enrollments (a member id; managers and admins)'),
    stepIndex: z.coerce
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('only what belongs to this step (0-based)'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const from = dayNumberOf(q.from);
    const to = dayNumberOf(q.to);
    if (from === undefined || to === undefined) return;
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is before from' });
    else if (to - from + 1 > MAX_ANALYTICS_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range may span at most ${MAX_ANALYTICS_DAYS} days`,
      });
  });
export type AnalyticsQuery = z.input<typeof AnalyticsQuery>;
