import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { UnenrollReason } from '../domain/enrollment-reasons';
import type { Sequence } from '../domain/sequence';
import { attentionOf } from './attention';
import { displayName } from './contacts-index';
import { PAUSE_WORDS } from './enrollment-words';

export type EnrollmentState = 'active' | 'paused' | 'attention' | 'finished' | 'unenrolled';

/** One line of a sequence's Enrollments view. */
export interface EnrollmentRow {
  id: string;
  contactId: string;
  name: string;
  email: string;
  state: EnrollmentState;
  /** Status in words: paused with why and until when, the exact problem, the outcome. */
  status: string;
  /** 0-based; equals the step count once finished. */
  stepIndex: number;
  step: string;
  /** What the engine does next, and when it plans to (the enrollment's dueAt). */
  next: string;
  nextAt?: number;
  contactZone?: string;
  lastActivity?: { at: number; what: string };
}

const OUTCOME: Readonly<Record<string, string>> = {
  replied: 'replied',
  meeting_booked: 'meeting booked',
  bounced: 'bounced',
  unsubscribed: 'unsubscribed',
  manual: 'unenrolled by the rep',
  company_replied: 'someone at their company replied',
  error: 'stopped by an error',
} satisfies Record<UnenrollReason, string>;

const stepName = (seq: Sequence, i: number) => {
  const step = seq.steps[i];
  if (!step) return 'done';
  const what = step.type === 'auto_email' ? 'Email' : step.title || step.type.replace('_', ' ');
  return `${i + 1}. ${what}`;
};

function nextOf(e: Enrollment, seq: Sequence): { next: string; nextAt?: number } {
  const step = seq.steps[e.stepIndex];
  if (e.status === 'finished' || e.status === 'unenrolled' || !step) return { next: '—' };
  if (e.status === 'paused') {
    return e.pausedUntil !== undefined
      ? { next: 'Resumes by itself', nextAt: e.pausedUntil }
      : { next: 'Waits for the rep' };
  }
  if (e.waitingTaskId) return { next: `Waits for the task of step ${e.stepIndex + 1}` };
  const verb = step.type === 'auto_email' ? 'Sends step' : 'Creates the task of step';
  return { next: `${verb} ${e.stepIndex + 1}`, nextAt: e.dueAt };
}

export function enrollmentRow(
  e: Enrollment,
  seq: Sequence,
  contact: Contact | undefined,
  lastActivity?: { at: number; what: string },
): EnrollmentRow {
  const attention = attentionOf(e);
  const state: EnrollmentState = attention ? 'attention' : e.status;
  let status: string;
  if (attention) status = `Needs attention: ${attention.detail}`;
  else if (e.status === 'paused')
    status = `Paused (${PAUSE_WORDS[e.pauseReason ?? 'manual']})${
      e.pausedUntil !== undefined ? ` until ${new Date(e.pausedUntil).toISOString().slice(0, 10)}` : ''
    }`;
  else if (e.status === 'finished') status = 'Finished every step';
  else if (e.status === 'unenrolled') status = `Ended: ${OUTCOME[e.reason ?? 'manual'] ?? e.reason}`;
  else status = 'Active';
  return {
    id: e.id,
    contactId: e.contactId,
    name: contact ? displayName(contact) : e.contactId,
    email: contact?.email ?? '',
    state,
    status,
    stepIndex: e.stepIndex,
    step: stepName(seq, e.stepIndex),
    ...nextOf(e, seq),
    ...(contact?.timeZone ? { contactZone: contact.timeZone } : {}),
    ...(lastActivity ? { lastActivity } : {}),
  };
}

export interface EnrollmentFilter {
  state?: EnrollmentState | 'all';
  /** 0-based step, or 'all'. */
  step?: number | 'all';
}

export const filterRows = (rows: readonly EnrollmentRow[], f: EnrollmentFilter) =>
  rows.filter(
    (r) =>
      (f.state === undefined || f.state === 'all' || r.state === f.state) &&
      (f.step === undefined || f.step === 'all' || r.stepIndex === f.step),
  );

/** The rows as a CSV table (papaparse's unparse writes it). */
export function csvTable(rows: readonly EnrollmentRow[], zone: string) {
  const iso = (t?: number) =>
    t === undefined ? '' : new Date(t).toLocaleString('sv-SE', { timeZone: zone }).replace(' ', 'T');
  return {
    fields: [
      'name',
      'email',
      'status',
      'step',
      'next',
      `next_at (${zone})`,
      'last_activity',
      `last_activity_at (${zone})`,
    ],
    data: rows.map((r) => [
      r.name,
      r.email,
      r.status,
      r.step,
      r.next,
      iso(r.nextAt),
      r.lastActivity?.what ?? '',
      iso(r.lastActivity?.at),
    ]),
  };
}
