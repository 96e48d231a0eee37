import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Rep } from '../domain/rep';
import type { AutoEmailStep, ManualEmailStep } from '../domain/sequence';
import { renderTemplate, tokenValues } from '../templates/render';

/** A small stable hash (FNV-1a) so an enrollment always gets the same A/B variant. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function variantIndex(enrollmentId: string, step: AutoEmailStep): number | undefined {
  return step.variants.length ? hash(`${enrollmentId}:${step.id}`) % step.variants.length : undefined;
}

export const replySubject = (subject: string) =>
  /^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`;

export interface EmailContent {
  subject: string;
  /** HTML body, token values escaped. */
  html: string;
  /** Follow up in the enrollment's existing thread. */
  inThread: boolean;
  variant?: number;
}

export type ContentResult = { ok: true; email: EmailContent } | { ok: false; problem: string };

/**
 * What this contact receives for an email step: the rep's per-enrollment edit if any, else the step's
 * (or its A/B variant's) template, with tokens filled. Missing tokens are a problem, never an empty gap.
 */
export function emailContent(
  e: Enrollment,
  step: AutoEmailStep | ManualEmailStep,
  stepNumber: number,
  contact: Contact,
  rep: Rep,
): ContentResult {
  const variant = step.type === 'auto_email' ? variantIndex(e.id, step) : undefined;
  const source =
    e.edits[step.id] ??
    (variant !== undefined && step.type === 'auto_email'
      ? step.variants[variant]!
      : { subject: step.subject, body: step.body });
  const values = tokenValues(contact, rep);
  const subject = renderTemplate(source.subject, values);
  const body = renderTemplate(source.body, values, { html: true });
  const missing = [...new Set([...subject.missing, ...body.missing])];
  if (missing.length) {
    return {
      ok: false,
      problem: `Step ${stepNumber}: no value for ${missing.map((m) => `{{${m}}}`).join(', ')}`,
    };
  }
  const inThread = step.threadWithPrevious && e.threadId !== undefined && e.threadSubject !== undefined;
  if (!inThread && !subject.text.trim())
    return { ok: false, problem: `Step ${stepNumber}: the email has no subject` };
  return {
    ok: true,
    email: {
      subject: inThread ? replySubject(e.threadSubject!) : subject.text.trim(),
      html: body.text,
      inThread,
      variant,
    },
  };
}
