import type { Enrollment } from '../domain/enrollment';
import type { Sequence } from '../domain/sequence';
import { addDelay, nextSendableMoment, type SendCalendar } from './calendar';

type Steps = Pick<Sequence, 'name'> & { steps: readonly unknown[] };

/**
 * Why a live enrollment cannot be moved to step `index` (0-based), in the rep's words; undefined when it can.
 * The device's runner and the server's sync apply this same rule.
 */
export function moveRefusal(e: Enrollment, seq: Steps, index: number): string | undefined {
  if (e.status === 'finished') return 'It has finished every step';
  if (e.status === 'unenrolled') return `It has ended (${e.reason ?? 'manual'})`;
  if (!Number.isInteger(index) || index < 0 || index >= seq.steps.length)
    return `Step ${index + 1} does not exist: "${seq.name}" has ${seq.steps.length} steps`;
  if (index === e.stepIndex) return `Already at step ${index + 1}`;
  return undefined;
}

/**
 * The moments of a move, worked out once on the device's calendar: the target step's delay counts from `now`,
 * as when enrolling at a step. A paused enrollment keeps that delay for its resume, as a pause keeps it.
 */
export function moveSchedule(e: Enrollment, seq: Sequence, index: number, now: number, cal: SendCalendar) {
  const readyAt = addDelay(now, seq.steps[index]!.delay, cal);
  return e.status === 'paused'
    ? { readyAt, remainingMs: Math.max(0, readyAt - now) }
    : { readyAt, dueAt: nextSendableMoment(readyAt, cal) };
}

/**
 * The enrollment moved to step `index` on a schedule already worked out (moveSchedule on the device; the
 * server replays the device's moments). A task the sequence waited for no longer holds it; a paused one stays
 * paused, due only at its automatic resume. Unchanged when moveRefusal refuses.
 */
export function moveToStep(
  e: Enrollment,
  seq: Steps,
  index: number,
  schedule: { readyAt?: number; dueAt?: number; remainingMs?: number },
): Enrollment {
  if (moveRefusal(e, seq, index)) return e;
  const paused = e.status === 'paused';
  return {
    ...e,
    stepIndex: index,
    readyAt: schedule.readyAt,
    dueAt: paused ? e.pausedUntil : schedule.dueAt,
    remainingMs: paused ? schedule.remainingMs : undefined,
    waitingTaskId: undefined,
    failures: 0,
    version: e.version + 1,
  };
}
