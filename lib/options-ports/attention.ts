import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { AttentionKind } from '../domain/enrollment-reasons';
import type { Rep } from '../domain/rep';
import type { Sequence } from '../domain/sequence';
import { emailContent } from '../engine/content';

/**
 * What a `needs_attention` pause asks of the rep (contract 2: `enrollment.attention`, set by the runner).
 * Enrollments paused before the runner recorded it carry only `detail`: a missing token reads
 * "Step N: no value for {{...}}", anything else was a send the mailbox refused.
 */
export interface AttentionView {
  kind: AttentionKind;
  detail: string;
  providerMessageId?: string;
  from?: string;
}

export function attentionOf(e: Enrollment): AttentionView | undefined {
  if (e.status !== 'paused' || e.pauseReason !== 'needs_attention') return undefined;
  const recorded = (e as Enrollment & { attention?: AttentionView }).attention;
  if (recorded) return recorded;
  const detail = e.detail ?? '';
  return { kind: /no value for \{\{/.test(detail) ? 'missing_token' : 'send_refused', detail };
}

/** The tokens a missing-token problem names: "Step 3: no value for {{company.name}}, {{custom.industry}}". */
export function missingTokensOf(detail: string): string[] {
  return [...detail.matchAll(/\{\{([\w.-]+)\}\}/g)].map((m) => m[1]!);
}

/** What the rep must do, in one sentence. */
export function attentionAction(a: AttentionView): string {
  switch (a.kind) {
    case 'missing_token':
      return 'Fill in the missing value to resume';
    case 'send_refused':
      return 'The mailbox refused the email: fix the cause, then resume';
    case 'challenge':
      return 'Answer the sender’s challenge (a verification request), then resume';
    case 'unreadable_message':
      return 'Read their last message yourself: resume if it was not a reply, or unenroll';
  }
}

/**
 * Whether a paused enrollment was waiting only for a contact value that the contact now has: its current
 * email step renders without a missing token. The resume itself goes through the runner (deps.act), which
 * re-checks everything on its next tick.
 */
export function waitsOnlyForValues(
  e: Enrollment,
  seq: Sequence | undefined,
  contact: Contact,
  rep: Rep,
): boolean {
  if (e.status !== 'paused' || e.pauseReason !== 'needs_attention' || !seq) return false;
  if (attentionOf(e)?.kind !== 'missing_token') return false;
  const step = seq.steps[e.stepIndex];
  if (!step || (step.type !== 'auto_email' && step.type !== 'manual_email')) return false;
  return emailContent(e, step, e.stepIndex + 1, contact, rep).ok;
}
