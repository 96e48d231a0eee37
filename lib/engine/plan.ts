import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Rep } from '../domain/rep';
import type { AutoEmailStep, Sequence, TaskStep } from '../domain/sequence';
import { calendarFor, type SendCalendar } from './calendar';
import { emailContent, type EmailContent } from './content';
import { earliestSendSlot, insertSorted, limitsOf } from './slots';

export interface PlanItem {
  enrollment: Enrollment;
  sequence: Sequence;
  contact: Contact;
}

export interface PlanState {
  rep: Rep;
  teamHolidays?: readonly string[];
  /** Each mailbox's sends of the last 24 hours, ascending (epoch ms). */
  recentSends: Readonly<Record<string, readonly number[]>>;
  /** Enrollments the runner found due; others need no decision now. */
  items: readonly PlanItem[];
}

export type Action =
  | {
      type: 'send_email';
      enrollmentId: string;
      stepIndex: number;
      step: AutoEmailStep;
      at: number;
      email: EmailContent;
    }
  | {
      type: 'create_task';
      enrollmentId: string;
      stepIndex: number;
      step: TaskStep;
      at: number;
      dueAt: number;
      blocking: boolean;
    }
  | { type: 'resume'; enrollmentId: string; at: number }
  | { type: 'finish'; enrollmentId: string; at: number }
  | { type: 'needs_attention'; enrollmentId: string; stepIndex: number; at: number; detail: string };

export interface Plan {
  /** What to do now, in order. */
  actions: Action[];
  /** When to look again at enrollments that are not acted on now (caps, spacing, windows). */
  next: { enrollmentId: string; dueAt: number }[];
}

export function calendarOf(
  item: Pick<PlanItem, 'sequence' | 'contact'>,
  rep: Rep,
  teamHolidays: readonly string[] = [],
): SendCalendar {
  return calendarFor(
    item.sequence.settings,
    { contact: item.contact.timeZone, rep: rep.timeZone },
    teamHolidays,
  );
}

const byDue = (a: PlanItem, b: PlanItem) =>
  (a.enrollment.dueAt ?? 0) - (b.enrollment.dueAt ?? 0) || (a.enrollment.id < b.enrollment.id ? -1 : 1);

/**
 * Decides what happens now to each due enrollment. Pure: same state and `now`, same plan.
 * An email is sent only when `now` itself is inside its window and under every cap and the spacing, counted
 * over the mailbox's real sends; otherwise the enrollment gets the earliest slot that would be, also
 * counting the slots this plan has already promised to others, so a backlog drains at the spacing instead of
 * waking everyone at once (the catch-up rule).
 */
export function plan(state: PlanState, now: number): Plan {
  const actions: Action[] = [];
  const next: Plan['next'] = [];
  const sends = new Map<string, number[]>();
  const reserved = new Map<string, number[]>();
  const sendsOf = (mailbox: string) => {
    let s = sends.get(mailbox);
    if (!s) sends.set(mailbox, (s = [...(state.recentSends[mailbox] ?? [])]));
    return s;
  };

  for (const item of [...state.items].sort(byDue)) {
    const e = item.enrollment;
    const at = now;
    if (e.status === 'paused') {
      if (e.pausedUntil !== undefined && e.pausedUntil <= now)
        actions.push({ type: 'resume', enrollmentId: e.id, at });
      else if (e.pausedUntil !== undefined) next.push({ enrollmentId: e.id, dueAt: e.pausedUntil });
      continue;
    }
    if (e.status !== 'active' || e.waitingTaskId) continue;
    if (e.dueAt !== undefined && e.dueAt > now) {
      next.push({ enrollmentId: e.id, dueAt: e.dueAt });
      continue;
    }
    const step = item.sequence.steps[e.stepIndex];
    if (!step) {
      actions.push({ type: 'finish', enrollmentId: e.id, at });
      continue;
    }
    if (step.type !== 'auto_email') {
      actions.push({
        type: 'create_task',
        enrollmentId: e.id,
        stepIndex: e.stepIndex,
        step,
        at,
        dueAt: Math.min(e.dueAt ?? now, now),
        blocking: item.sequence.settings.tasksBlock,
      });
      continue;
    }
    const content = emailContent(e, step, e.stepIndex + 1, item.contact, state.rep);
    if (!content.ok) {
      actions.push({
        type: 'needs_attention',
        enrollmentId: e.id,
        stepIndex: e.stepIndex,
        at,
        detail: content.problem,
      });
      continue;
    }
    const cal = calendarOf(item, state.rep, state.teamHolidays);
    const limits = limitsOf(item.sequence.settings);
    const earliest = Math.max(now, e.readyAt ?? now);
    const real = sendsOf(e.mailbox);
    if (earliestSendSlot(earliest, real, limits, cal) === now) {
      insertSorted(real, now);
      const both = reserved.get(e.mailbox);
      if (both) insertSorted(both, now);
      actions.push({
        type: 'send_email',
        enrollmentId: e.id,
        stepIndex: e.stepIndex,
        step,
        at,
        email: content.email,
      });
      continue;
    }
    // Real sends and promised slots together, kept sorted as both grow.
    let both = reserved.get(e.mailbox);
    if (!both) reserved.set(e.mailbox, (both = [...real]));
    const hint = earliestSendSlot(earliest, both, limits, cal);
    insertSorted(both, hint);
    next.push({ enrollmentId: e.id, dueAt: hint });
  }
  return { actions, next };
}
