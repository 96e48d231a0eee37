import type { Enrollment, UnenrollReason } from '../domain/enrollment';
import { companyDomainOf } from '../domain/contact';
import { pause, resume, stepExecuted, unenroll } from '../engine/transitions';
import { contextOf } from './context';
import type { RunnerDeps } from './deps';
import { EventBatch, inTransaction } from './events';
import type { Store } from '../db/database';
import { rearm } from './tick';

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

async function liveEnrollmentsOf(s: Store, contactId: string) {
  return (await s.enrollments.where('contactId').equals(contactId).toArray()).filter(live);
}

async function withEvents<T>(
  deps: RunnerDeps,
  work: (s: Store, events: EventBatch) => Promise<T>,
): Promise<T> {
  const result = await inTransaction(deps, work);
  await rearm(deps);
  return result;
}

async function end(
  s: Store,
  events: EventBatch,
  e: Enrollment,
  at: number,
  reason: UnenrollReason,
  detail?: string,
) {
  const next = unenroll(e, at, reason, detail);
  if (next === e) return;
  await s.enrollments.put(next);
  // Open tasks of an ended enrollment leave the rep's queue.
  const open = (await s.tasks.where('enrollmentId').equals(e.id).toArray()).filter(
    (t) => t.status === 'open',
  );
  await s.tasks.bulkPut(open.map((t) => ({ ...t, status: 'skipped' as const, doneAt: at })));
  await events.add({
    id: `unenrolled:${e.id}`,
    at,
    type: 'unenrolled',
    reason,
    enrollment: next,
    stepIndex: e.stepIndex,
    ...(detail ? { data: { detail } } : {}),
  });
}

/**
 * Applies a signal about a contact to every live enrollment of that contact (ARCHITECTURE.md, "Reply
 * watching"): a human reply, a meeting, a bounce or an unsubscribe ends them; an out-of-office pauses them
 * until the stated return (7 days when none is stated); an auto-reply changes nothing but is recorded.
 */
export async function applyContactSignal(
  deps: RunnerDeps,
  email: string,
  signal: ContactSignal,
  at: number,
): Promise<number> {
  return withEvents(deps, async (s, events) => {
    const contact = await s.contacts.where('email').equals(email.toLowerCase()).first();
    if (!contact) return 0;
    const enrollments = await liveEnrollmentsOf(s, contact.id);
    switch (signal.type) {
      case 'auto_reply':
        for (const e of enrollments)
          await events.add({
            id: `auto_replied:${e.id}:${at}`,
            at,
            type: 'auto_replied',
            enrollment: e,
            stepIndex: e.stepIndex,
          });
        return 0;
      case 'out_of_office': {
        const until = signal.returnAt && signal.returnAt > at ? signal.returnAt : at + DEFAULT_OOO_MS;
        for (const e of enrollments) {
          await events.add({
            id: `out_of_office:${e.id}:${at}`,
            at,
            type: 'out_of_office',
            enrollment: e,
            stepIndex: e.stepIndex,
            data: { until },
          });
          // A manual pause is the rep's decision; the out-of-office does not override it.
          if (e.status === 'paused' && e.pauseReason === 'manual') continue;
          const next = pause(e, at, 'out_of_office', until);
          await s.enrollments.put(next);
          await events.paused(e, next, at, { until });
        }
        return enrollments.length;
      }
      case 'bounce':
        if (signal.permanent) await s.suppressions.put({ email: contact.email, reason: 'hard_bounce', at });
        for (const e of enrollments) {
          await events.add({
            id: `bounced:${e.id}:${at}`,
            at,
            type: 'bounced',
            enrollment: e,
            stepIndex: e.stepIndex,
            data: { permanent: signal.permanent },
          });
          if (signal.permanent) await end(s, events, e, at, 'bounced');
        }
        return enrollments.length;
      case 'unsubscribe':
        await s.suppressions.put({ email: contact.email, reason: 'unsubscribed', at });
        for (const e of enrollments) {
          await events.add({
            id: `unsubscribed:${e.id}:${at}`,
            at,
            type: 'unsubscribed',
            enrollment: e,
            stepIndex: e.stepIndex,
          });
          await end(s, events, e, at, 'unsubscribed');
        }
        return enrollments.length;
      case 'reply':
      case 'meeting_booked': {
        const reason = signal.type === 'reply' ? 'replied' : 'meeting_booked';
        let ended = 0;
        for (const e of enrollments) {
          await events.add({
            id: `${reason}:${e.id}:${at}`,
            at,
            type: reason,
            enrollment: e,
            stepIndex: e.stepIndex,
          });
          await end(s, events, e, at, reason);
          ended++;
          const seq = await s.sequences.get(e.sequenceId);
          const domain = companyDomainOf(contact);
          if (!seq?.settings.unenrollCompanyOnReply || !domain) continue;
          const colleagues = await s.contacts.where('domain').equals(domain).toArray();
          for (const colleague of colleagues) {
            if (colleague.id === contact.id) continue;
            for (const other of await liveEnrollmentsOf(s, colleague.id)) {
              await end(
                s,
                events,
                other,
                at,
                'company_replied',
                `${contact.email} ${signal.type === 'reply' ? 'replied' : 'booked a meeting'}`,
              );
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
  await withEvents(deps, async (s, events) => {
    const task = await s.tasks.get(taskId);
    if (!task) throw new Error(`No task ${taskId}`);
    if (task.status !== 'open') return;
    await s.tasks.put({
      ...task,
      status: outcome,
      doneAt: at,
      outcome: details.outcome,
      outcomeNotes: details.notes,
    });
    const e = await s.enrollments.get(task.enrollmentId);
    await events.add({
      id: `task_${outcome}:${taskId}`,
      at,
      type: outcome === 'completed' ? 'task_completed' : 'task_skipped',
      stepIndex: task.stepIndex,
      stepId: task.stepId,
      ...(e ? { enrollment: e } : {}),
      data: {
        taskId,
        taskType: task.type,
        dueAt: task.dueAt,
        ...(details.outcome ? { outcome: details.outcome } : {}),
      },
    });
    if (!e || e.waitingTaskId !== taskId || !live(e)) return;
    const ctx = await contextOf(deps, s, e);
    let next = stepExecuted({ ...e, status: 'active' }, ctx.sequence, at, ctx.cal);
    if (e.status === 'paused') next = pause(next, at, e.pauseReason ?? 'manual', e.pausedUntil, e.detail);
    await s.enrollments.put(next);
    await events.finishedIf(next, at, task.stepIndex);
  });
}

/** The rep's own controls on one enrollment. */
export async function pauseEnrollment(deps: RunnerDeps, id: string, at: number): Promise<void> {
  await withEvents(deps, async (s, events) => {
    const e = await s.enrollments.get(id);
    if (!e || e.status !== 'active') return;
    const next = pause(e, at, 'manual');
    await s.enrollments.put(next);
    await events.paused(e, next, at);
  });
}

export async function resumeEnrollment(deps: RunnerDeps, id: string, at: number): Promise<void> {
  await withEvents(deps, async (s, events) => {
    const e = await s.enrollments.get(id);
    if (!e || e.status !== 'paused') return;
    const ctx = await contextOf(deps, s, e);
    const next = resume(e, at, ctx.cal);
    await s.enrollments.put(next);
    await events.resumed(e, next, at);
  });
}

export async function unenrollEnrollment(
  deps: RunnerDeps,
  id: string,
  at: number,
  reason: UnenrollReason = 'manual',
): Promise<void> {
  await withEvents(deps, async (s, events) => {
    const e = await s.enrollments.get(id);
    if (e) await end(s, events, e, at, reason);
  });
}

/**
 * A mailbox was (re)connected: enrollments that were backing off because it could not send try again now
 * instead of waiting out their back-off (up to six hours).
 */
export async function wakeMailbox(deps: RunnerDeps, mailbox: string, at: number): Promise<number> {
  return withEvents(deps, async (s) => {
    const waiting = (await s.enrollments.where('status').equals('active').toArray()).filter(
      (e) => e.mailbox === mailbox && e.failures > 0 && e.dueAt !== undefined && e.dueAt > at,
    );
    for (const e of waiting) {
      await s.enrollments.put({ ...e, dueAt: at, failures: 0, detail: undefined, version: e.version + 1 });
      // The failed attempt is over (ticks run one at a time), so its claim may be taken again at once; the
      // next attempt still asks the mailbox for the Message-ID first.
      const row = await s.outbox.get(`${e.id}:${e.stepIndex}`);
      if (row?.state === 'claimed' && row.leaseUntil > at) await s.outbox.put({ ...row, leaseUntil: at });
    }
    return waiting.length;
  });
}
