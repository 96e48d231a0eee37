import type { z } from 'zod';
import type {
  AbTestRow as AbTestRowSchema,
  Analytics as AnalyticsSchema,
  AnalyticsCounts,
  AnalyticsRates,
  DayRow as DayRowSchema,
  FunnelRow as FunnelRowSchema,
  RepRow as RepRowSchema,
  SequenceRow as SequenceRowSchema,
  StepRow as StepRowSchema,
  TaskAdherenceRow as TaskAdherenceRowSchema,
  VariantComparison as VariantComparisonSchema,
  VariantRow as VariantRowSchema,
} from './answer';
import type { RateKey } from './definitions';

export interface AnalyticsFilter {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  sequenceIds?: readonly string[];
  /** Reps, by sending mailbox. */
  mailboxes?: readonly string[];
  stepIndexes?: readonly number[];
}

export interface AnalyticsOptions {
  /** IANA zone of the daily buckets and of the tasks' due days. */
  timeZone: string;
}

export type Counts = z.infer<typeof AnalyticsCounts>;
export type Rates = z.infer<typeof AnalyticsRates>;
export type FunnelRow = z.infer<typeof FunnelRowSchema>;
export type SequenceRow = z.infer<typeof SequenceRowSchema>;
export type StepRow = z.infer<typeof StepRowSchema>;
export type RepRow = z.infer<typeof RepRowSchema>;
export type DayRow = z.infer<typeof DayRowSchema>;
export type VariantRow = z.infer<typeof VariantRowSchema>;
export type VariantComparison = z.infer<typeof VariantComparisonSchema>;
export type AbTestRow = z.infer<typeof AbTestRowSchema>;
export type TaskAdherenceRow = z.infer<typeof TaskAdherenceRowSchema>;
/** The shape lib/contract/analytics.ts declares, which the server's `GET /analytics` answers too. */
export type Analytics = AnalyticsSchema;

/**
 * What a scope's row is made of before its rates: the counts, and for each rate the contacts counted in both
 * its numerator and its denominator. The server's SQL produces these too, and `analyticsOf` turns them into
 * the answer, so both sides share the rates, the order of rows and the A/B tests.
 */
export interface Tally {
  counts: Counts;
  numerators: Record<RateKey, number>;
}

/** Reached contacts and those who replied, for one variant of one step. */
export interface VariantTally {
  sequenceId: string;
  stepIndex: number;
  variant: number;
  reached: number;
  replied: number;
}

export interface AnalyticsTallies {
  totals: Tally;
  bySequence: { sequenceId: string; tally: Tally }[];
  byStep: { sequenceId: string; stepIndex: number; tally: Tally }[];
  byRep: { mailbox: string; tally: Tally }[];
  /** Every day of the range (see `emptyDays`). */
  daily: DayRow[];
  /** Reached contacts and those who replied, per variant sent. */
  variants: VariantTally[];
  tasks: Omit<TaskAdherenceRow, 'onTimeRate'>[];
}
