import type { Enrollment, PauseReason, UnenrollReason } from '../domain/enrollment';
import type { Sequence } from '../domain/sequence';
import { addDelay, nextSendableMoment, type SendCalendar } from './calendar';

/**
 * The enrollment state machine (ARCHITECTURE.md, "The engine"): pure functions from an enrollment and `now`
 * to the next enrollment. Every function returns a new object with `version` bumped; callers persist it and
 * record the matching event.
 */

const bump = (e: Enrollment, patch: Partial<Enrollment>): Enrollment => ({
  ...e,
  ...patch,
  version: e.version + 1,
});

const isLive = (e: Enrollment) => e.status === 'active' || e.status === 'paused';

/** Schedules step `index`, whose delay counts from `from`. */
function scheduleStep(
  e: Enrollment,
  seq: Sequence,
  index: number,
  from: number,
  cal: SendCalendar,
): Enrollment {
  const step = seq.steps[index];
  if (!step) {
    return bump(e, {
      status: 'finished',
      stepIndex: index,
      dueAt: undefined,
      readyAt: undefined,
      endedAt: from,
      waitingTaskId: undefined,
    });
  }
  const readyAt = addDelay(from, step.delay, cal);
  return bump(e, {
    stepIndex: index,
    readyAt,
    dueAt: nextSendableMoment(readyAt, cal),
    waitingTaskId: undefined,
    failures: 0,
  });
}

export interface NewEnrollment {
  id: string;
  sequenceId: string;
  contactId: string;
  mailbox: string;
  /** 0-based step to start at (re-enrollment at any step). */
  startStep?: number;
  /** When the first step's delay starts counting; defaults to now. */
  startAt?: number;
  edits?: Enrollment['edits'];
  /** Continue an existing conversation (enrolling from an open thread). */
  thread?: { threadId: string; subject: string; lastMessageId?: string; lastProviderMessageId?: string };
}

export function createEnrollment(
  input: NewEnrollment,
  seq: Sequence,
  cal: SendCalendar,
  now: number,
): Enrollment {
  const start = input.startStep ?? 0;
  if (start < 0 || start >= seq.steps.length) {
    throw new RangeError(
      `startStep ${start + 1} does not exist: "${seq.name}" has ${seq.steps.length} steps`,
    );
  }
  const base: Enrollment = {
    id: input.id,
    sequenceId: input.sequenceId,
    contactId: input.contactId,
    mailbox: input.mailbox,
    status: 'active',
    enrolledAt: now,
    stepIndex: start,
    edits: input.edits ?? {},
    messageIds: input.thread?.lastMessageId ? [input.thread.lastMessageId] : [],
    threadId: input.thread?.threadId,
    threadSubject: input.thread?.subject,
    lastMessageId: input.thread?.lastMessageId,
    lastProviderMessageId: input.thread?.lastProviderMessageId,
    failures: 0,
    version: 0,
  };
  return scheduleStep(base, seq, start, Math.max(now, input.startAt ?? now), cal);
}

/** The current step was executed at `at` (email sent, task completed or skipped, non-blocking task created). */
export function stepExecuted(e: Enrollment, seq: Sequence, at: number, cal: SendCalendar): Enrollment {
  return scheduleStep(e, seq, e.stepIndex + 1, at, cal);
}

/** A blocking task was created for the current step: the sequence waits for it. */
export function waitForTask(e: Enrollment, taskId: string): Enrollment {
  return bump(e, { waitingTaskId: taskId, dueAt: undefined, readyAt: undefined });
}

export function recordSent(
  e: Enrollment,
  sent: { messageId: string; threadId: string; providerMessageId: string; subject: string },
): Enrollment {
  return bump(e, {
    threadId: sent.threadId,
    threadSubject: e.threadSubject ?? sent.subject,
    lastMessageId: sent.messageId,
    lastProviderMessageId: sent.providerMessageId,
    messageIds: [...e.messageIds, sent.messageId],
  });
}

export function pause(
  e: Enrollment,
  now: number,
  reason: PauseReason,
  until?: number,
  detail?: string,
  attention?: Enrollment['attention'],
): Enrollment {
  if (!isLive(e)) return e;
  const remainingMs =
    e.status === 'paused'
      ? e.remainingMs
      : e.readyAt !== undefined
        ? Math.max(0, e.readyAt - now)
        : undefined;
  return bump(e, {
    status: 'paused',
    pauseReason: reason,
    pausedAt: e.status === 'paused' ? e.pausedAt : now,
    pausedUntil: until,
    remainingMs,
    detail,
    // What the rep must act on belongs to a needs_attention pause only.
    attention: reason === 'needs_attention' ? attention : undefined,
    // An automatic resume is the only thing the runner has to wake up for.
    dueAt: until,
  });
}

/** Resumes with the delay that was left when paused. */
export function resume(e: Enrollment, now: number, cal: SendCalendar): Enrollment {
  if (e.status !== 'paused') return e;
  const readyAt = now + (e.remainingMs ?? 0);
  return resumeOn(e, { readyAt, dueAt: nextSendableMoment(readyAt, cal) });
}

/**
 * Resumes on a schedule already worked out: the server replays a device's resume with the moments the device
 * computed on the sequence's calendar. A sequence waiting for a task has no due moment until the task is done.
 */
export function resumeOn(e: Enrollment, schedule: { readyAt?: number; dueAt?: number }): Enrollment {
  if (e.status !== 'paused') return e;
  const cleared: Partial<Enrollment> = {
    status: 'active',
    pauseReason: undefined,
    pausedAt: undefined,
    pausedUntil: undefined,
    remainingMs: undefined,
    detail: undefined,
    attention: undefined,
    failures: 0,
  };
  if (e.waitingTaskId) return bump(e, { ...cleared, dueAt: undefined });
  return bump(e, { ...cleared, ...schedule });
}

export function unenroll(e: Enrollment, now: number, reason: UnenrollReason, detail?: string): Enrollment {
  if (!isLive(e)) return e;
  return bump(e, {
    status: 'unenrolled',
    reason,
    detail,
    attention: undefined,
    endedAt: now,
    dueAt: undefined,
    waitingTaskId: undefined,
  });
}

/** A live enrollment ends as finished at `at` (its last step done elsewhere): nothing is due or awaited any more. */
export function finish(e: Enrollment, at: number): Enrollment {
  if (!isLive(e)) return e;
  return bump(e, {
    status: 'finished',
    dueAt: undefined,
    readyAt: undefined,
    endedAt: at,
    waitingTaskId: undefined,
  });
}

/** Puts the next attempt of a failed send later, with capped exponential backoff. */
export function retryLater(
  e: Enrollment,
  now: number,
  retryAfterMs: number | undefined,
  detail: string,
): Enrollment {
  const failures = e.failures + 1;
  const backoff = Math.min(6 * 3_600_000, 60_000 * 2 ** Math.min(failures - 1, 10));
  return bump(e, { failures, dueAt: now + Math.max(retryAfterMs ?? 0, backoff), detail });
}

/** Moves the next look to a later moment (caps and spacing); the step itself is unchanged. */
export function deferTo(e: Enrollment, at: number): Enrollment {
  return e.dueAt === at ? e : bump(e, { dueAt: at });
}
