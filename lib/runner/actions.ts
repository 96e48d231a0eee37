import type { Attention, Enrollment, UnenrollReason } from '../domain/enrollment';
import type { BounceReason } from '../replies/types';
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
  /** `text`: the person's own words, the quoted thread cut off (reply-text.ts); the CRM logs them. */
  | { type: 'reply'; text?: string }
  | { type: 'auto_reply' }
  | { type: 'out_of_office'; returnAt?: number }
  | {
      type: 'bounce';
      /** The address cannot receive mail: only then is it put on the do-not-contact list. */
      permanent: boolean;
      /** Sisimai's reason name (lib/replies BounceReason), kept on the enrollment and its event. */
      reason?: BounceReason;
      /** RFC 3463 status, e.g. 5.1.1. */
      status?: string;
      diagnostic?: string;
    }
  | { type: 'meeting_booked' }
  | { type: 'unsubscribe' }
  /** A feedback-loop report (the contact marked our email as spam): stop and suppress. */
  | { type: 'complaint'; feedbackType?: string }
  /** A challenge-response system asks the sender to verify: pause until the rep has acted on it. */
  | { type: 'challenge'; providerMessageId?: string; from?: string }
  /** A message from the contact (or in their thread) that could not be read: pause, the rep opens it. */
  | { type: 'unreadable'; providerMessageId: string; from?: string };

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

const BOUNCE_WORDS: Partial<Record<BounceReason, string>> = {
  userunknown: 'the address does not exist',
  hostunknown: 'the domain does not receive mail',
  hasmoved: 'the mailbox has moved',
  notaccept: 'the address accepts no mail',
  suspend: 'the mailbox is suspended',
  mailboxfull: 'the mailbox is full',
  filtered: 'refused by a filter',
  blocked: 'the sending server was blocked',
  rejected: 'the sender was refused',
  spamdetected: 'taken for spam',
  policyviolation: 'refused by policy',
  securityerror: 'refused for security',
  authfailure: 'failed authentication (SPF, DKIM or DMARC)',
  badreputation: 'refused for sender reputation',
  mesgtoobig: 'the message was too big',
  exceedlimit: 'over a size limit',
  expired: 'delivery gave up after retrying',
  toomanyconn: 'too many connections',
  speeding: 'rate limited',
  suppressed: 'the address is on the provider’s suppression list',
};

/** One line the rep reads on the ended enrollment: why it bounced, and whether the address is still usable. */
function bounceDetail(signal: Extract<ContactSignal, { type: 'bounce' }>): string {
  const why = (signal.reason && BOUNCE_WORDS[signal.reason]) || signal.reason || 'delivery failed';
  const code = signal.status ? ` (${signal.status})` : '';
  const after = signal.permanent
    ? 'added to do-not-contact'
    : 'the address was not suppressed; you can try again later';
  return `Bounced: ${why}${code}; ${after}`.slice(0, 1000);
}

/**
 * Applies a signal about a contact to every live enrollment of that contact (ARCHITECTURE.md, "Reply
 * watching"): a human reply, a meeting, a bounce, a spam complaint or an unsubscribe ends them (a bounce for
 * an address that cannot receive mail, a complaint and an unsubscribe also suppress the address); a challenge
 * or an unreadable message pauses them for the rep's attention; an out-of-office pauses them until the stated
 * return (7 days when none is stated); an auto-reply changes nothing but is recorded.
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
      case 'bounce': {
        // Every bounce ends the sequence; only an address that cannot receive mail joins do-not-contact, so
        // the rep can try a contact refused for policy, a full mailbox or the like again later.
        if (signal.permanent) await s.suppressions.put({ email: contact.email, reason: 'hard_bounce', at });
        const detail = bounceDetail(signal);
        for (const e of enrollments) {
          await events.add({
            id: `bounced:${e.id}:${at}`,
            at,
            type: 'bounced',
            enrollment: e,
            stepIndex: e.stepIndex,
            data: {
              permanent: signal.permanent,
              ...(signal.reason ? { reason: signal.reason } : {}),
              ...(signal.status ? { status: signal.status } : {}),
            },
          });
          await end(s, events, e, at, 'bounced', detail);
        }
        return enrollments.length;
      }
      case 'challenge':
      case 'unreadable': {
        const who = contact.firstName || contact.email;
        const attention: Attention =
          signal.type === 'challenge'
            ? {
                kind: 'challenge',
                detail: `${who}’s mail server asks you to verify yourself before it delivers: open the message and answer it`,
              }
            : { kind: 'unreadable_message', detail: `A message from ${who} could not be read: open it` };
        if (signal.providerMessageId) attention.providerMessageId = signal.providerMessageId;
        if (signal.from) attention.from = signal.from.slice(0, 320);
        for (const e of enrollments) {
          const next = pause(e, at, 'needs_attention', undefined, attention.detail, attention);
          if (next === e) continue;
          await s.enrollments.put(next);
          await events.paused(e, next, at, { detail: attention.detail, attention: attention.kind });
        }
        return enrollments.length;
      }
      case 'unsubscribe':
      case 'complaint': {
        // A spam complaint is an unsubscribe the recipient made through their provider: the same stop and
        // suppression, kept apart by the suppression's reason and the event's data.
        const complaint = signal.type === 'complaint';
        await s.suppressions.put({
          email: contact.email,
          reason: complaint ? 'spam_complaint' : 'unsubscribed',
          at,
        });
        for (const e of enrollments) {
          await events.add({
            id: `unsubscribed:${e.id}:${at}`,
            at,
            type: 'unsubscribed',
            enrollment: e,
            stepIndex: e.stepIndex,
            ...(complaint
              ? {
                  data: {
                    complaint: true,
                    ...(signal.feedbackType ? { feedbackType: signal.feedbackType } : {}),
                  },
                }
              : {}),
          });
          await end(s, events, e, at, 'unsubscribed', complaint ? 'Reported our email as spam' : undefined);
        }
        return enrollments.length;
      }
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
            ...(signal.type === 'reply' && signal.text ? { data: { text: signal.text } } : {}),
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
