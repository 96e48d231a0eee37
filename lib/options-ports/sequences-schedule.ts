import type { Contact } from '../domain/contact';
import type { Rep } from '../domain/rep';
import type { Sequence, StepType } from '../domain/sequence';
import { calendarOf, plan } from '../engine/plan';
import { createEnrollment, deferTo, recordSent, stepExecuted } from '../engine/transitions';

export interface ScheduledStep {
  stepIndex: number;
  stepId: string;
  type: StepType;
  /** When the email leaves, or when the task becomes due. */
  at: number;
  subject?: string;
  /** Why the real engine would pause here (a token with no value for this contact). */
  problem?: string;
}

export interface SchedulePreview {
  steps: ScheduledStep[];
  /** The zone the send window is read on. */
  windowZone: string;
}

/**
 * The real send times of every step for one contact enrolled at `start`: the engine's own createEnrollment,
 * plan() and stepExecuted() on a virtual clock, with this preview as the mailbox's only sends. A task counts as
 * done the moment it is due, and a step the engine would pause on (a missing token) as fixed at once, so the
 * rest of the sequence still shows.
 */
export function previewSchedule(input: {
  sequence: Sequence;
  contact: Contact;
  rep: Rep;
  start: number;
  teamHolidays?: readonly string[];
}): SchedulePreview {
  const { sequence, contact, rep, start, teamHolidays = [] } = input;
  const cal = calendarOf({ sequence, contact }, rep, teamHolidays);
  const mailbox = rep.email;
  const sends: number[] = [];
  const steps: ScheduledStep[] = [];
  let e = createEnrollment(
    { id: 'preview', sequenceId: sequence.id, contactId: contact.id, mailbox },
    sequence,
    cal,
    start,
  );
  for (let guard = 0; guard < 10 * sequence.steps.length + 10 && e.status === 'active'; guard++) {
    const now = e.dueAt;
    if (now === undefined) break;
    const p = plan(
      { rep, teamHolidays, recentSends: { [mailbox]: sends }, items: [{ enrollment: e, sequence, contact }] },
      now,
    );
    const later = p.next[0];
    if (later) {
      e = deferTo(e, later.dueAt);
      continue;
    }
    const action = p.actions[0];
    if (!action || action.type === 'finish' || action.type === 'resume') break;
    const step = sequence.steps[action.stepIndex]!;
    const base = { stepIndex: action.stepIndex, stepId: step.id, type: step.type };
    if (action.type === 'send_email') {
      steps.push({ ...base, at: now, subject: action.email.subject });
      sends.push(now);
      e = recordSent(e, {
        messageId: `<preview.${action.stepIndex}@threadline.invalid>`,
        threadId: 'preview',
        providerMessageId: `preview-${action.stepIndex}`,
        subject: action.email.subject,
      });
    } else if (action.type === 'create_task') {
      steps.push({ ...base, at: action.dueAt });
    } else {
      steps.push({ ...base, at: now, problem: action.detail });
    }
    e = stepExecuted(e, sequence, now, cal);
  }
  return { steps, windowZone: cal.timeZone };
}
