import { z } from 'zod';
import { Email, EpochMs, Id } from './common';
import { ATTENTION_KINDS, PAUSE_REASONS, UNENROLL_REASONS } from './enrollment-reasons';

/** Why an enrollment ended before its last step (the list: enrollment-reasons.ts). */
export const UnenrollReason = z.enum(UNENROLL_REASONS);
export type UnenrollReason = z.infer<typeof UnenrollReason>;

/** needs_attention: the runner stopped on something the rep must fix (a missing token, a rejected send). */
export const PauseReason = z.enum(PAUSE_REASONS);
export type PauseReason = z.infer<typeof PauseReason>;

/**
 * What a `needs_attention` pause asks the rep to look at: a token with no value, a send the mailbox refused, a
 * challenge-response system asking the sender to verify, or a message from the contact that could not be read
 * (the rep opens it by its provider id). Nothing is sent while it stands; it is cleared when the enrollment
 * runs again.
 */
export const AttentionKind = z.enum(ATTENTION_KINDS);
export type AttentionKind = z.infer<typeof AttentionKind>;

export const AttentionSchema = z
  .object({
    kind: AttentionKind,
    detail: z.string().max(1000),
    providerMessageId: z.string().max(1000).optional(),
    from: z.string().max(320).optional(),
  })
  .strict();
export type Attention = z.infer<typeof AttentionSchema>;

export const EnrollmentStatus = z.enum(['active', 'paused', 'finished', 'unenrolled']);
export type EnrollmentStatus = z.infer<typeof EnrollmentStatus>;

/** The rep's own copy of an email step, edited for this one contact before (or after) enrolling. */
export const EmailEditSchema = z
  .object({ subject: z.string().max(500), body: z.string().max(100_000) })
  .strict();
export type EmailEdit = z.infer<typeof EmailEditSchema>;

export const EnrollmentSchema = z
  .object({
    id: Id,
    sequenceId: Id,
    contactId: Id,
    /** The rep's mailbox that sends (and whose caps apply). */
    mailbox: Email,
    status: EnrollmentStatus,
    reason: UnenrollReason.optional(),
    /** Human-readable detail for an error or a manual action, shown on the enrollment. */
    detail: z.string().max(1000).optional(),
    enrolledAt: EpochMs,
    /** Index of the next step to execute; equals steps.length once all are done. */
    stepIndex: z.number().int().nonnegative(),
    /** When the next step's delay is satisfied (before send windows and caps are applied). */
    readyAt: EpochMs.optional(),
    /** When the runner must next look at this enrollment; absent when it waits for someone (a task, a resume). Indexed. */
    dueAt: EpochMs.optional(),
    /** A blocking task the sequence waits for. */
    waitingTaskId: Id.optional(),
    pausedAt: EpochMs.optional(),
    pauseReason: PauseReason.optional(),
    /** Set with pauseReason 'needs_attention': what the rep must act on. */
    attention: AttentionSchema.optional(),
    /** Automatic resume (out-of-office return date). */
    pausedUntil: EpochMs.optional(),
    /** Delay that was still left when paused; kept on resume. */
    remainingMs: z.number().int().nonnegative().optional(),
    endedAt: EpochMs.optional(),
    /** Per-step edits keyed by step id. */
    edits: z.record(Id, EmailEditSchema).default({}),
    /** Provider thread of the conversation and the Message-ID of the last email sent, for threading follow-ups. */
    threadId: z.string().optional(),
    threadSubject: z.string().optional(),
    lastMessageId: z.string().optional(),
    lastProviderMessageId: z.string().optional(),
    /** Message-IDs of every email this enrollment sent (References header). */
    messageIds: z.array(z.string()).default([]),
    /** Consecutive transient send failures, for backoff. */
    failures: z.number().int().nonnegative().default(0),
    /** Bumped on every write; the runner's claim checks it. */
    version: z.number().int().nonnegative().default(0),
  })
  .strict();
export type Enrollment = z.infer<typeof EnrollmentSchema>;
