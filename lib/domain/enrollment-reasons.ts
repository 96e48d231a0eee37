/**
 * Why an enrollment stopped or paused, and what a pause for the rep asks of them, listed once (as
 * step-types.ts lists the step kinds): the domain's zod schemas (enrollment.ts), the extension's received
 * schemas in zod/mini (lib/protocol/*-received.ts), the options page and the queue derive from these lists.
 * A new entry fails to compile wherever a `Record` or a `switch` over the list does not handle it yet.
 */

/** Why an enrollment ended before its last step (ARCHITECTURE.md, "The engine"). */
export const UNENROLL_REASONS = [
  'replied',
  'meeting_booked',
  'bounced',
  'unsubscribed',
  'manual',
  'company_replied',
  'error',
] as const;
export type UnenrollReason = (typeof UNENROLL_REASONS)[number];

/** needs_attention: the runner stopped on something the rep must fix (a missing token, a rejected send). */
export const PAUSE_REASONS = ['manual', 'out_of_office', 'needs_attention'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/**
 * What a `needs_attention` pause asks the rep to look at: a token with no value, a send the mailbox refused, a
 * challenge-response system asking the sender to verify, or a message from the contact that could not be read.
 */
export const ATTENTION_KINDS = ['missing_token', 'send_refused', 'challenge', 'unreadable_message'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];
