import { moveRefusal, moveSchedule, moveToStep } from '../engine/move';
import { contextOf } from './context';
import type { RunnerDeps } from './deps';
import { inTransaction } from './events';
import { rearm } from './tick';

/**
 * The rep moves one enrollment to step `toStep` (0-based), from the Enrollments view. The engine's rule
 * (lib/engine moveRefusal: live enrollments only, an existing step, not the one it is at) and one of the
 * runner's own: it never moves back over an email that went out or may have (its outbox row sent or claimed),
 * so no step is ever sent twice. A reply ends the enrollment first, so nothing moved is sent after one.
 * Throws the refusal in words; changes nothing then.
 */
export async function moveEnrollment(
  deps: RunnerDeps,
  id: string,
  toStep: number,
  at: number,
): Promise<void> {
  await inTransaction(deps, async (s, events) => {
    const e = await s.enrollments.get(id);
    if (!e) throw new Error(`No enrollment ${id}`);
    const ctx = await contextOf(deps, s, e);
    const refusal = moveRefusal(e, ctx.sequence, toStep);
    if (refusal) throw new Error(refusal);
    // The steps that run again after the move: from the target back up to the current one (whose send may
    // be in flight), or the target alone when moving forward.
    const again =
      toStep < e.stepIndex ? { first: toStep, last: e.stepIndex } : { first: toStep, last: toStep };
    for (let i = again.first; i <= again.last; i++) {
      const row = await s.outbox.get(`${e.id}:${i}`);
      if (row?.state === 'sent' || row?.state === 'claimed')
        throw new Error(`Step ${i + 1} was already sent to them: moving back would send it again`);
    }
    if (e.waitingTaskId) {
      const task = await s.tasks.get(e.waitingTaskId);
      if (task?.status === 'open') {
        await s.tasks.put({ ...task, status: 'skipped', doneAt: at });
        // Recorded as the queue's Skip records it (same id, so once), with why: the timeline and task
        // adherence (here and on the server) would otherwise keep it open for ever.
        await events.add({
          id: `task_skipped:${task.id}`,
          at,
          type: 'task_skipped',
          stepIndex: task.stepIndex,
          stepId: task.stepId,
          enrollment: e,
          reason: 'moved',
          data: { taskId: task.id, taskType: task.type, dueAt: task.dueAt },
        });
      }
    }
    await s.enrollments.put(
      moveToStep(e, ctx.sequence, toStep, moveSchedule(e, ctx.sequence, toStep, at, ctx.cal)),
    );
  });
  await rearm(deps);
}
