import type { Enrollment, UnenrollReason } from '../domain/enrollment';
import { companyDomainOf } from '../domain/contact';
import { pause, resume, stepExecuted, unenroll } from '../engine/transitions';
import { contextOf } from './context';
import type { RunnerDeps } from './deps';
import { EventBatch } from './events';
import { rearm } from './tick';

const TABLES = ['enrollments', 'tasks', 'events', 'contacts', 'sequences', 'suppressions', 'outbox', 'meta'] as const;
const DEFAULT_OOO_MS = 7 * 86_400_000;

/** What the reply watcher (or the rep, or the backend) learned about a contact. */
export type ContactSignal =
  | { type: 'reply' }
  | { type: 'auto_reply' }
  | { type: 'out_of_office'; returnAt?: number }
  | { type: 'bounce'; permanent: boolean }
  | { type: 'meeting_booked' }
  | { type: 'unsubscribe' };

const live = (e: Enrollment) => e.status === 'active' || e.status === 'paused';

async function liveEnrollmentsOf(deps: RunnerDeps, contactId: string) {
  return (await deps.db.enrollments.where('contactId').equals(contactId).toArray()).filter(live);
}

async function withEvents<T>(deps: RunnerDeps, work: (events: EventBatch) => Promise<T>): Promise<T> {
  const events = new EventBatch(deps.db);
  const result = await deps.db.transaction('rw', TABLES, () => work(events));
  events.announce(deps);
  await rearm(deps);
  return result;
}

async function end(deps: RunnerDeps, events: EventBatch, e: Enrollment, at: number, reason: UnenrollReason, detail?: string) {
  const next = unenroll(e, at, reason, detail);
  if (next === e) return;
  await deps.db.enrollments.put(next);
  // Open tasks of an ended enrollment leave the rep's queue.
  await deps.db.tasks.where('enrollmentId').equals(e.id).filter((t) => t.status === 'open').modify({ status: 'skipped', doneAt: at });
  await events.add({ id: `unenrolled:${e.id}`, at, type: 'unenrolled', reason, enrollment: next, stepIndex: e.stepIndex, ...(detail ? { data: { detail } } : {}) });
}

/**
 * Applies a signal about a contact to every live enrollment of that contact (ARCHITECTURE.md, "Reply
 * watching"): a human reply, a meeting, a bounce or an unsubscribe ends them; an out-of-office pauses them
 * until the stated return (7 days when none is stated); an auto-reply changes nothing but is recorded.
 */
export async function applyContactSignal(deps: RunnerDeps, email: string, signal: ContactSignal, at: number): Promise<number> {
  return withEvents(deps, async (events) => {
    const contact = await deps.db.contacts.where('email').equals(email.toLowerCase()).first();
    if (!contact) return 0;
    const enrollments = await liveEnrollmentsOf(deps, contact.id);
    switch (signal.type) {
      case 'auto_reply':
        for (const e of enrollments) await events.add({ id: `auto_replied:${e.id}:${at}`, at, type: 'auto_replied', enrollment: e, stepIndex: e.stepIndex });
        return 0;
      case 'out_of_office': {
        const until = signal.returnAt && signal.returnAt > at ? signal.returnAt : at + DEFAULT_OOO_MS;
        for (const e of enrollments) {
          await events.add({ id: `out_of_office:${e.id}:${at}`, at, type: 'out_of_office', enrollment: e, stepIndex: e.stepIndex, data: { until } });
          // A manual pause is the rep's decision; the out-of-office does not override it.
          if (e.status === 'paused' && e.pauseReason === 'manual') continue;
          const next = pause(e, at, 'out_of_office', until);
          await deps.db.enrollments.put(next);
          await events.add({ id: `paused:${e.id}:${next.version}`, at, type: 'paused', reason: 'out_of_office', enrollment: next, stepIndex: e.stepIndex, data: { until } });
        }
        return enrollments.length;
      }
      case 'bounce':
        if (signal.permanent) await deps.db.suppressions.put({ email: contact.email, reason: 'hard_bounce', at });
        for (const e of enrollments) {
          await events.add({ id: `bounced:${e.id}:${at}`, at, type: 'bounced', enrollment: e, stepIndex: e.stepIndex, data: { permanent: signal.permanent } });
          if (signal.permanent) await end(deps, events, e, at, 'bounced');
        }
        return enrollments.length;
      case 'unsubscribe':
        await deps.db.suppressions.put({ email: contact.email, reason: 'unsubscribed', at });
        for (const e of enrollments) {
          await events.add({ id: `unsubscribed:${e.id}:${at}`, at, type: 'unsubscribed', enrollment: e, stepIndex: e.stepIndex });
          await end(deps, events, e, at, 'unsubscribed');
        }
        return enrollments.length;
      case 'reply':
      case 'meeting_booked': {
        const reason = signal.type === 'reply' ? 'replied' : 'meeting_booked';
        let ended = 0;
        for (const e of enrollments) {
          await events.add({ id: `${reason}:${e.id}:${at}`, at, type: reason, enrollment: e, stepIndex: e.stepIndex });
          await end(deps, events, e, at, reason);
          ended++;
          const seq = await deps.db.sequences.get(e.sequenceId);
          const domain = companyDomainOf(contact);
          if (!seq?.settings.unenrollCompanyOnReply || !domain) continue;
          const colleagues = await deps.db.contacts.where('domain').equals(domain).toArray();
          for (const colleague of colleagues) {
            if (colleague.id === contact.id) continue;
            for (const other of await liveEnrollmentsOf(deps, colleague.id)) {
              await end(deps, events, other, at, 'company_replied', `${contact.email} ${signal.type === 'reply' ? 'replied' : 'booked a meeting'}`);
              ended++;
            }
          }
        }
        return ended;
      }
    }
  });
}

/** The rep completed or skipped a task; a sequence waiting for it moves on. */
export async function finishTask(
  deps: RunnerDeps,
  taskId: string,
  outcome: 'completed' | 'skipped',
  at: number,
  details: { outcome?: string; notes?: string } = {},
): Promise<void> {
  await withEvents(deps, async (events) => {
    const task = await deps.db.tasks.get(taskId);
    if (!task) throw new Error(`No task ${taskId}`);
    if (task.status !== 'open') return;
    await deps.db.tasks.put({ ...task, status: outcome, doneAt: at, outcome: details.outcome, outcomeNotes: details.notes });
    const e = await deps.db.enrollments.get(task.enrollmentId);
    await events.add({
      id: `task_${outcome}:${taskId}`,
      at,
      type: outcome === 'completed' ? 'task_completed' : 'task_skipped',
      stepIndex: task.stepIndex,
      stepId: task.stepId,
      ...(e ? { enrollment: e } : {}),
      data: { taskId, taskType: task.type, dueAt: task.dueAt, ...(details.outcome ? { outcome: details.outcome } : {}) },
    });
    if (!e || e.waitingTaskId !== taskId || !live(e)) return;
    const ctx = await contextOf(deps, e);
    let next = stepExecuted({ ...e, status: 'active' }, ctx.sequence, at, ctx.cal);
    if (e.status === 'paused') next = pause(next, at, e.pauseReason ?? 'manual', e.pausedUntil, e.detail);
    await deps.db.enrollments.put(next);
    if (next.status === 'finished') await events.add({ id: `finished:${e.id}`, at, type: 'finished', enrollment: next });
  });
}

/** The rep's own controls on one enrollment. */
export async function pauseEnrollment(deps: RunnerDeps, id: string, at: number): Promise<void> {
  await withEvents(deps, async (events) => {
    const e = await deps.db.enrollments.get(id);
    if (!e || e.status !== 'active') return;
    const next = pause(e, at, 'manual');
    await deps.db.enrollments.put(next);
    await events.add({ id: `paused:${e.id}:${next.version}`, at, type: 'paused', reason: 'manual', enrollment: next, stepIndex: e.stepIndex });
  });
}

export async function resumeEnrollment(deps: RunnerDeps, id: string, at: number): Promise<void> {
  await withEvents(deps, async (events) => {
    const e = await deps.db.enrollments.get(id);
    if (!e || e.status !== 'paused') return;
    const ctx = await contextOf(deps, e);
    const next = resume(e, at, ctx.cal);
    await deps.db.enrollments.put(next);
    await events.add({ id: `resumed:${e.id}:${next.version}`, at, type: 'resumed', enrollment: next, stepIndex: e.stepIndex, reason: e.pauseReason });
  });
}

export async function unenrollEnrollment(deps: RunnerDeps, id: string, at: number, reason: UnenrollReason = 'manual'): Promise<void> {
  await withEvents(deps, async (events) => {
    const e = await deps.db.enrollments.get(id);
    if (e) await end(deps, events, e, at, reason);
  });
}
