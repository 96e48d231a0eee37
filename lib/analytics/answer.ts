import { z } from 'zod';
import type { CountKey, RateKey } from './definitions';

/**
 * The analytics answer, as computeAnalytics builds it on a device and `GET /analytics` on the server (which
 * lib/contract/analytics.ts re-exports as the wire format): its types are inferred from these schemas
 * (funnel.ts), so the two cannot drift. What each count and rate means is definitions.ts.
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
