import { z } from 'zod';
import { Id, IsoDate, TimeZone } from '../domain/common';
import { Severity } from '../domain/deal';
import type { ProcessAnalytics as ComputedProcessAnalytics } from '../process/process-analytics';
import { dayNumberOf } from './analytics';

/**
 * `GET /process-analytics`: the answer lib/process/process-analytics.ts computes on a device, computed by the
 * server in SQL (server/process/query.ts). The schema is checked against the pure type below, so the two
 * cannot drift.
 */
const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();
const Tally = { dealDays: count, compliantDays: count, complianceRate: rate };

export const ProcessAnalytics = z
  .object({
    totals: z.object({ ...Tally, deals: count, flagsRaised: count, skips: count, overrides: count }).strict(),
    byRep: z.array(
      z
        .object({
          ...Tally,
          /** The deal owner's sign-in address (Deal.ownerId). */
          ownerId: z.string(),
          deals: count,
          flagsRaised: count,
          skips: count,
          overrides: count,
        })
        .strict(),
    ),
    byDeal: z.array(
      z
        .object({ ...Tally, dealId: z.string(), ownerId: z.string(), name: z.string(), stageId: z.string() })
        .strict(),
    ),
    timeInStage: z.array(
      z
        .object({
          pipelineId: z.string(),
          stageId: z.string(),
          stays: count,
          totalMs: count,
          averageDays: z.number().nonnegative(),
        })
        .strict(),
    ),
    conversion: z.array(
      z
        .object({
          pipelineId: z.string(),
          fromStageId: z.string(),
          entered: count,
          toStageId: z.string(),
          moved: count,
          rate: z.number().min(0).max(1),
        })
        .strict(),
    ),
    topRules: z.array(
      z.object({ ruleId: z.string(), severity: Severity, raised: count, deals: count }).strict(),
    ),
    stalled: z.array(
      z
        .object({
          dealId: z.string(),
          ownerId: z.string(),
          name: z.string(),
          pipelineId: z.string(),
          stageId: z.string(),
          since: count,
          days: count,
        })
        .strict(),
    ),
    skipsAndOverrides: z.array(
      z
        .object({
          eventId: z.string(),
          dealId: z.string(),
          ownerId: z.string(),
          kind: z.enum(['criteria_skipped', 'override']),
          at: count,
          by: z.string(),
          stageId: z.string(),
          toStageId: z.string(),
          criteria: count,
          reason: z.string().optional(),
        })
        .strict(),
    ),
    weekly: z.array(z.object({ ...Tally, weekStart: z.string(), flagsRaised: count }).strict()),
  })
  .strict();
export type ProcessAnalytics = z.infer<typeof ProcessAnalytics>;

// The schema and the pure computation's type are the same shape (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<ProcessAnalytics, ComputedProcessAnalytics> = true;
void sameShape;

/** Longest range one request may ask for, in days. */
export const MAX_PROCESS_DAYS = 366;

const CalendarDate = IsoDate.refine((s) => dayNumberOf(s) !== undefined, {
  message: 'is not a calendar day',
});

export const ProcessAnalyticsQuery = z
  .object({
    from: CalendarDate.describe('first day counted, YYYY-MM-DD, from its midnight in `timeZone`'),
    to: CalendarDate.describe('last day counted (inclusive), YYYY-MM-DD'),
    timeZone: TimeZone.default('UTC').describe('IANA time zone of the days'),
    repId: Id.optional().describe('only this member’s deals (a member id; managers and admins)'),
    stalledDays: z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(21)
      .describe('a deal in one stage longer than this many days at the range’s end is stalled'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const from = dayNumberOf(q.from);
    const to = dayNumberOf(q.to);
    if (from === undefined || to === undefined) return;
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is before from' });
    else if (to - from + 1 > MAX_PROCESS_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range may span at most ${MAX_PROCESS_DAYS} days`,
      });
  });
export type ProcessAnalyticsQuery = z.input<typeof ProcessAnalyticsQuery>;
