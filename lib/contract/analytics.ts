import { z } from 'zod';
import type { CountKey, RateKey } from '../analytics/definitions';
import { Id, IsoDate, TimeZone } from '../domain/common';

/**
 * The analytics answer, as lib/analytics computeAnalytics builds it on a device and `GET /analytics` on the
 * server: its types are inferred from these schemas (lib/analytics/funnel.ts), so the two cannot drift.
 * What each count and rate means is lib/analytics/definitions.ts.
 */
const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();

export const AnalyticsCounts = z
  .object({
    enrolled: count,
    contacted: count,
    reached: count,
    sent: count,
    delivered: count,
    bounced: count,
    bouncedHard: count,
    bouncedSoft: count,
    openedHuman: count,
    openedAll: count,
    clicked: count,
    replied: count,
    outOfOffice: count,
    meetings: count,
    unsubscribed: count,
  } satisfies Record<CountKey, typeof count>)
  .strict();

export const AnalyticsRates = z
  .object({
    bounceRate: rate,
    openRate: rate,
    openRateAll: rate,
    clickRate: rate,
    replyRate: rate,
    outOfOfficeRate: rate,
    meetingRate: rate,
    unsubscribeRate: rate,
  } satisfies Record<RateKey, typeof rate>)
  .strict();

export const FunnelRow = z.object({ counts: AnalyticsCounts, rates: AnalyticsRates }).strict();
export const SequenceRow = FunnelRow.extend({ sequenceId: z.string() }).strict();
export const StepRow = FunnelRow.extend({ sequenceId: z.string(), stepIndex: z.number().int() }).strict();
/** A rep, by sending mailbox. */
export const RepRow = FunnelRow.extend({ mailbox: z.string() }).strict();

export const DayRow = z
  .object({
    /** YYYY-MM-DD in the chosen time zone. */
    date: z.string(),
    enrolled: count,
    /** Emails. */
    sent: count,
    /** Emails, hard and soft. */
    bounced: count,
    openedHuman: count,
    clicked: count,
    replied: count,
    meetings: count,
    unsubscribed: count,
  })
  .strict();

export const VariantRow = z
  .object({
    variant: z.number().int(),
    label: z.string(),
    reached: count,
    replied: count,
    replyRate: rate,
  })
  .strict();

export const VariantComparison = z
  .object({
    leader: z.string(),
    other: z.string(),
    pValue: z.number().min(0).max(1),
    method: z.enum(['fisher', 'z']),
    confidence: z.union([z.literal(0.99), z.literal(0.95)]).nullable(),
    summary: z.string(),
  })
  .strict();

export const AbTestRow = z
  .object({
    sequenceId: z.string(),
    stepIndex: z.number().int(),
    variants: z.array(VariantRow),
    comparisons: z.array(VariantComparison),
    summary: z.string(),
  })
  .strict();

export const TaskAdherenceRow = z
  .object({
    mailbox: z.string(),
    due: count,
    onTime: count,
    late: count,
    skipped: count,
    overdue: count,
    pending: count,
    cancelled: count,
    /** on time / (on time + late + skipped + overdue); null with none of those. */
    onTimeRate: rate,
  })
  .strict();

export const Analytics = z
  .object({
    totals: FunnelRow,
    bySequence: z.array(SequenceRow),
    byStep: z.array(StepRow),
    byRep: z.array(RepRow),
    daily: z.array(DayRow),
    abTests: z.array(AbTestRow),
    taskAdherence: z.array(TaskAdherenceRow),
  })
  .strict();
export type Analytics = z.infer<typeof Analytics>;

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
