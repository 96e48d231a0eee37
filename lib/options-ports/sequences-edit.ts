import type { Enrollment } from '../domain/enrollment';
import type { Step } from '../domain/sequence';

/**
 * Editing a sequence that has live enrollments (active or paused).
 *
 * The runner keys everything an enrollment did by step *index*: the outbox row and the task are
 * `${enrollmentId}:${stepIndex}`, and the Message-ID the mailbox is asked about before any send is
 * `<tl.<enrollment>.<stepIndex>@...>`. So an enrollment must never move back to an index it has already used:
 * the mailbox would answer "already sent" for a different email, and the step would be skipped silently.
 *
 * The rule: each enrollment keeps the steps it has done, and continues with the steps placed after the last of
 * them. Steps added before that point are in its past (it does not get them); edits to steps it has not reached
 * apply. What would break it is refused and named: removing a step it already did, moving a step it has not
 * done above one it did (it would be skipped), or moving the step it is in the middle of (an email being sent,
 * a task it waits for).
 */
export interface LiveEnrollment {
  id: string;
  stepIndex: number;
  /** Waiting for the task of its current step. */
  waitingTaskId?: string;
  /** An outbox claim on its current step that is not settled (sending, or retrying after a failure). */
  inFlight: boolean;
}

export type EditConflict =
  | { kind: 'removed_done'; stepId: string; stepNumber: number; enrollments: number }
  | { kind: 'moved_above_done'; stepId: string; stepNumber: number; enrollments: number }
  | { kind: 'in_progress'; stepId: string; stepNumber: number; enrollments: number };

export interface Remap {
  enrollmentId: string;
  from: number;
  to: number;
  /** The step it goes to next is not the one it was waiting for: its delay starts again. */
  continuationChanged: boolean;
}

export interface EditPlan {
  /** Live enrollments the change applies to. */
  touched: number;
  remaps: Remap[];
  conflicts: EditConflict[];
}

export const isLiveEnrollment = (e: Pick<Enrollment, 'status'>) =>
  e.status === 'active' || e.status === 'paused';

type StepRef = Pick<Step, 'id'>;

export function planSequenceEdit(
  before: readonly StepRef[],
  after: readonly StepRef[],
  enrollments: readonly LiveEnrollment[],
): EditPlan {
  const pos = new Map(after.map((s, i) => [s.id, i]));
  const oldNumber = new Map(before.map((s, i) => [s.id, i + 1]));
  const conflicts = new Map<string, EditConflict>();
  const conflict = (kind: EditConflict['kind'], stepId: string) => {
    const key = `${kind}:${stepId}`;
    const found = conflicts.get(key);
    if (found) found.enrollments++;
    else conflicts.set(key, { kind, stepId, stepNumber: oldNumber.get(stepId) ?? 0, enrollments: 1 });
  };
  const remaps: Remap[] = [];

  for (const e of enrollments) {
    const k = Math.min(e.stepIndex, before.length);
    const done = before.slice(0, k).map((s) => s.id);
    const current = before[k]?.id;
    const busy = current !== undefined && (e.waitingTaskId !== undefined || e.inFlight);
    let ok = true;
    for (const id of done) {
      if (!pos.has(id)) {
        conflict('removed_done', id);
        ok = false;
      }
    }
    if (busy && !pos.has(current)) {
      conflict('in_progress', current);
      ok = false;
    }
    if (!ok) continue;
    const lastDone = Math.max(-1, ...done.map((id) => pos.get(id)!));
    let to = lastDone + 1;
    if (busy) {
      const at = pos.get(current)!;
      // The step under way stays next, right after what is done; an in-flight email keeps its very index.
      if (at < lastDone || (e.inFlight && at !== k)) {
        conflict('in_progress', current);
        continue;
      }
      to = at;
    }
    const skipped = before
      .slice(k)
      .filter((s) => s.id !== current || !busy)
      .find((s) => (pos.get(s.id) ?? Infinity) < to);
    if (skipped) {
      conflict('moved_above_done', skipped.id);
      continue;
    }
    const continuationChanged = after[to]?.id !== current;
    if (to !== e.stepIndex || continuationChanged)
      remaps.push({ enrollmentId: e.id, from: e.stepIndex, to, continuationChanged });
  }
  return { touched: enrollments.length, remaps, conflicts: [...conflicts.values()] };
}
