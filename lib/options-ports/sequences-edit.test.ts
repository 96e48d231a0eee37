import { describe, expect, it } from 'vitest';
import { planSequenceEdit, type LiveEnrollment } from './sequences-edit';

const steps = (...ids: string[]) => ids.map((id) => ({ id }));
const at = (id: string, stepIndex: number, extra: Partial<LiveEnrollment> = {}): LiveEnrollment => ({
  id,
  stepIndex,
  inFlight: false,
  ...extra,
});

describe('editing a sequence with live enrollments', () => {
  it('changes nothing for enrollments when only the text of steps changes', () => {
    const plan = planSequenceEdit(steps('a', 'b', 'c'), steps('a', 'b', 'c'), [at('e1', 1), at('e2', 0)]);
    expect(plan).toEqual({ touched: 2, remaps: [], conflicts: [] });
  });

  it('moves an enrollment forward when a step is added before the one it waits for, so it does not get it', () => {
    const plan = planSequenceEdit(steps('a', 'b', 'c'), steps('new', 'a', 'b', 'c'), [at('e1', 2)]);
    expect(plan.remaps).toEqual([{ enrollmentId: 'e1', from: 2, to: 3, continuationChanged: false }]);
  });

  it('sends the enrollment to the step after the removed one it had not reached yet', () => {
    const plan = planSequenceEdit(steps('a', 'b', 'c'), steps('a', 'c'), [at('e1', 1)]);
    expect(plan.remaps).toEqual([{ enrollmentId: 'e1', from: 1, to: 1, continuationChanged: true }]);
    expect(plan.conflicts).toEqual([]);
  });

  it('refuses to remove a step enrollments already did, naming the step and how many', () => {
    const plan = planSequenceEdit(steps('a', 'b', 'c'), steps('b', 'c'), [
      at('e1', 2),
      at('e2', 1),
      at('e3', 0),
    ]);
    expect(plan.conflicts).toEqual([{ kind: 'removed_done', stepId: 'a', stepNumber: 1, enrollments: 2 }]);
    // The enrollment that had not done step 1 yet simply starts with the new first step.
    expect(plan.remaps).toEqual([{ enrollmentId: 'e3', from: 0, to: 0, continuationChanged: true }]);
  });

  it('refuses to move a step an enrollment has not done above one it did, since it would be skipped', () => {
    const plan = planSequenceEdit(steps('a', 'b', 'c'), steps('c', 'a', 'b'), [at('e1', 1)]);
    expect(plan.conflicts).toEqual([
      { kind: 'moved_above_done', stepId: 'c', stepNumber: 3, enrollments: 1 },
    ]);
  });

  it('lets steps be reordered below the point every enrollment has reached', () => {
    const plan = planSequenceEdit(steps('a', 'b', 'c', 'd'), steps('a', 'd', 'c', 'b'), [at('e1', 1)]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.remaps).toEqual([{ enrollmentId: 'e1', from: 1, to: 1, continuationChanged: true }]);
  });

  it('keeps a task the enrollment waits for as its current step, and refuses to remove it', () => {
    const waiting = at('e1', 1, { waitingTaskId: 'e1:1' });
    expect(planSequenceEdit(steps('a', 'b', 'c'), steps('x', 'a', 'b', 'c'), [waiting]).remaps).toEqual([
      { enrollmentId: 'e1', from: 1, to: 2, continuationChanged: false },
    ]);
    expect(planSequenceEdit(steps('a', 'b', 'c'), steps('a', 'c'), [waiting]).conflicts).toEqual([
      { kind: 'in_progress', stepId: 'b', stepNumber: 2, enrollments: 1 },
    ]);
  });

  it('never moves an email that is being sent to another index, so it cannot go out twice', () => {
    const sending = at('e1', 1, { inFlight: true });
    expect(planSequenceEdit(steps('a', 'b'), steps('x', 'a', 'b'), [sending]).conflicts).toEqual([
      { kind: 'in_progress', stepId: 'b', stepNumber: 2, enrollments: 1 },
    ]);
    expect(planSequenceEdit(steps('a', 'b'), steps('a', 'b', 'c'), [sending]).conflicts).toEqual([]);
  });
});
