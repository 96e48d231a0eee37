import type { OutboxRow } from '../db/database';
import type { Enrollment } from '../domain/enrollment';
import { replySubject } from '../engine/content';
import type { Action } from '../engine/plan';
import { deferTo, pause, recordSent, retryLater, stepExecuted, unenroll } from '../engine/transitions';
import {
  MailError,
  type MailProvider,
  type OutgoingMessage,
  type SentMessage,
  type ThreadTip,
} from '../mail/provider';
import { checkThreadBeforeSend } from './thread-check';
import { messageIdFor, type EnrollmentContext } from './context';
import { DEFAULT_LEASE_MS, type RunnerDeps } from './deps';
import { inTransaction } from './events';

type SendAction = Extract<Action, { type: 'send_email' }>;
export type SendOutcome = 'sent' | 'skipped' | 'failed';

function payloadOf(
  e: Enrollment,
  action: SendAction,
  ctx: EnrollmentContext,
  deps: RunnerDeps,
): OutgoingMessage {
  const { email } = action;
  const name = [ctx.contact.firstName, ctx.contact.lastName].filter(Boolean).join(' ');
  return {
    messageId: messageIdFor(e, action.stepIndex),
    from: { address: e.mailbox, ...(ctx.rep.name ? { name: ctx.rep.name } : {}) },
    to: [{ address: ctx.contact.email, ...(name ? { name } : {}) }],
    subject: email.subject,
    html: email.html,
    text: deps.htmlToText(email.html),
    ...(email.inThread && e.threadId && e.lastMessageId
      ? {
          thread: {
            threadId: e.threadId,
            lastProviderMessageId: e.lastProviderMessageId ?? '',
            lastMessageId: e.lastMessageId,
            references: e.messageIds,
          },
        }
      : {}),
  };
}

/**
 * An email that replies in a conversation the rep opened when enrolling (the host's thread id is known, its
 * newest message not yet): the thread's id, to be resolved with the mailbox right before sending.
 */
function openedThreadOf(e: Enrollment, action: SendAction): string | undefined {
  return action.email.inThread && e.threadId && !e.lastMessageId ? e.threadId : undefined;
}

/** The payload as a reply to the conversation's newest message, in its thread and under its subject. */
function replyingTo(payload: OutgoingMessage, tip: ThreadTip): OutgoingMessage {
  const references = tip.references.filter((id) => id !== tip.messageId);
  return {
    ...payload,
    subject: tip.subject.trim() ? replySubject(tip.subject.trim()) : payload.subject,
    thread: {
      threadId: tip.threadId,
      lastProviderMessageId: tip.providerMessageId,
      lastMessageId: tip.messageId,
      references: [...references, tip.messageId],
    },
  };
}

interface Claim {
  row: OutboxRow;
  /** Set when the email continues a thread the rep opened: see openedThreadOf. */
  openedThread?: string;
}

export interface SendRequest {
  action: SendAction;
  /** The enrollment version the plan saw; a claim on anything newer is dropped. */
  version: number;
  ctx: EnrollmentContext;
}

/**
 * The mailbox lease the tick took before this batch, kept while the batch goes out: renewed once half of it
 * has gone by (a slow network can make a batch outlast it), and given up for the rest of the batch the
 * moment another device holds it. Without a backend there is no lease and always true.
 */
function leaseKeeper(deps: RunnerDeps): (mailbox: string) => Promise<boolean> {
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const started = deps.clock.now();
  const renewAt = new Map<string, number>();
  const lost = new Set<string>();
  return async (mailbox) => {
    if (!deps.lease) return true;
    if (lost.has(mailbox)) return false;
    const now = deps.clock.now();
    if (now < (renewAt.get(mailbox) ?? started + leaseMs / 2)) return true;
    const kept = await deps.lease.port
      .acquire(mailbox, deps.lease.holder, now, now + leaseMs)
      .catch(() => false);
    if (kept) renewAt.set(mailbox, now + leaseMs / 2);
    else lost.add(mailbox);
    return kept;
  };
}

/** How often a batch that is still going out looks for replies again. */
export const REPLY_RECHECK_MS = 30_000;

/**
 * Whether a claimed step is still to be sent, just before it goes: a long batch looks for replies again
 * every REPLY_RECHECK_MS (the tick looked once before it), and a contact who replied, booked, bounced, was
 * paused or unenrolled meanwhile gets nothing; their claim is cancelled.
 */
function stillDueKeeper(deps: RunnerDeps): (row: OutboxRow) => Promise<boolean> {
  const started = deps.clock.now();
  const checkedAt = new Map<string, number>();
  return async (row) => {
    const now = deps.clock.now();
    if (deps.checkReplies && now - (checkedAt.get(row.mailbox) ?? started) >= REPLY_RECHECK_MS) {
      checkedAt.set(row.mailbox, now);
      await deps.checkReplies(row.mailbox);
    }
    return inTransaction(deps, async (s) => {
      const e = await s.enrollments.get(row.enrollmentId);
      if (e?.status === 'active' && e.stepIndex === row.stepIndex) return true;
      const current = await s.outbox.get(row.id);
      if (current?.fencing === row.fencing && current.state === 'claimed')
        await s.outbox.put({ ...current, state: 'cancelled' });
      return false;
    });
  };
}

/**
 * Step 1 of the outbox protocol: in one transaction, check each enrollment is still what the plan saw, and
 * move its step's outbox row to `claimed` with a new fencing token and a lease. The enrollment comes due
 * again when the lease ends, so a worker that dies mid-send is picked up by a later tick.
 */
async function claimAll(deps: RunnerDeps, requests: readonly SendRequest[], now: number) {
  return inTransaction(deps, async (s, events) => {
    const rows: (Claim | undefined)[] = [];
    for (const { action, version, ctx } of requests) {
      const e = await s.enrollments.get(action.enrollmentId);
      if (!e || e.status !== 'active' || e.stepIndex !== action.stepIndex || e.version !== version) {
        rows.push(undefined);
        continue;
      }
      if (await s.suppressions.get(ctx.contact.email)) {
        const ended = unenroll(e, now, 'unsubscribed', 'The address is on the do-not-contact list');
        await s.enrollments.put(ended);
        await events.add({
          id: `unenrolled:${e.id}`,
          at: now,
          type: 'unenrolled',
          reason: 'unsubscribed',
          enrollment: ended,
          stepIndex: e.stepIndex,
        });
        rows.push(undefined);
        continue;
      }
      const id = `${e.id}:${action.stepIndex}`;
      const prior = await s.outbox.get(id);
      if (prior?.state === 'claimed' && prior.leaseUntil > now) {
        rows.push(undefined);
        continue;
      }
      const row: OutboxRow = {
        id,
        enrollmentId: e.id,
        stepIndex: action.stepIndex,
        mailbox: e.mailbox,
        messageId: messageIdFor(e, action.stepIndex),
        state: 'claimed',
        fencing: (prior?.fencing ?? 0) + 1,
        leaseUntil: now + (deps.leaseMs ?? DEFAULT_LEASE_MS),
        attempts: (prior?.attempts ?? 0) + 1,
        createdAt: prior?.createdAt ?? now,
        payload: payloadOf(e, action, ctx, deps),
      };
      await s.outbox.put(row);
      await s.enrollments.put(deferTo(e, row.leaseUntil));
      const openedThread = openedThreadOf(e, action);
      rows.push(openedThread ? { row, openedThread } : { row });
    }
    return rows;
  });
}

/** What went out: the payload as sent, and the opened thread's newest message when it replied to it. */
interface Delivery {
  payload: OutgoingMessage;
  tip?: ThreadTip;
  /** The email went into an existing conversation (a follow-up, or the thread the rep enrolled from). */
  inThread: boolean;
}

/** Bounds of the body a sent event carries to the backend (a push stays well under its 1 MB body limit). */
export const SENT_TEXT_MAX = 8_000;
export const SENT_HTML_MAX = 16_000;

/** The text cut to its bound; the HTML only when whole within its bound (cut HTML would be broken). */
function sentBody(payload: OutgoingMessage): { text?: string; html?: string } {
  return {
    ...(payload.text ? { text: payload.text.slice(0, SENT_TEXT_MAX) } : {}),
    ...(payload.html && payload.html.length <= SENT_HTML_MAX ? { html: payload.html } : {}),
  };
}

/** Step 3: record the send, advance the enrollment; dropped if another claim superseded ours. */
async function commit(
  deps: RunnerDeps,
  row: OutboxRow,
  sent: SentMessage,
  { action, ctx }: SendRequest,
  at: number,
  delivery: Delivery,
) {
  await inTransaction(deps, async (s, events) => {
    const current = await s.outbox.get(row.id);
    if (!current || current.fencing !== row.fencing || current.state !== 'claimed') return;
    await s.outbox.put({
      ...current,
      state: 'sent',
      sentAt: at,
      providerMessageId: sent.providerMessageId,
      threadId: sent.threadId,
      payload: delivery.payload,
    });
    await s.sends.put({ id: row.id, mailbox: row.mailbox, sentAt: at });
    const e = await s.enrollments.get(row.enrollmentId);
    if (!e) return;
    const { tip } = delivery;
    // Follow-ups thread under this email: under the opened conversation's subject and References when it
    // replied there, under its own subject when it started a new conversation.
    const base: Enrollment = !delivery.inThread
      ? { ...e, threadSubject: undefined }
      : tip
        ? {
            ...e,
            threadSubject: tip.subject.trim() || e.threadSubject,
            messageIds: [...new Set([...tip.references, tip.messageId, ...e.messageIds])],
          }
        : e;
    let next = recordSent(base, { ...sent, subject: delivery.payload.subject });
    if ((e.status === 'active' || e.status === 'paused') && e.stepIndex === row.stepIndex) {
      const advanced = stepExecuted({ ...next, status: 'active' }, ctx.sequence, at, ctx.cal);
      // A pause that arrived while the email was in flight stays in force for the next step.
      next =
        e.status === 'paused'
          ? pause(
              { ...advanced, status: 'active' },
              e.pausedAt ?? at,
              e.pauseReason ?? 'manual',
              e.pausedUntil,
              e.detail,
            )
          : advanced;
    }
    await s.enrollments.put(next);
    await events.add({
      id: `sent:${row.id}`,
      at,
      type: 'sent',
      enrollment: next,
      stepIndex: row.stepIndex,
      stepId: action.step.id,
      data: {
        subject: delivery.payload.subject,
        threadId: sent.threadId,
        messageId: sent.messageId,
        variant: action.email.variant,
        // The body as sent, bounded, for the CRM's email activity (server/crm/activities.ts).
        ...sentBody(delivery.payload),
      },
    });
    await events.finishedIf(next, at, row.stepIndex);
  });
}

/**
 * A failed attempt as the runner takes it. Only a mail error the provider marked transient (or a mailbox not
 * connected yet) is tried again later; any other mail error stops for the rep. Anything that is not a mail
 * error is a defect in Threadline (a TypeError, a RangeError...): retrying it would only hide it behind a
 * back-off, so it stops for the rep too, named as ours (sendSteps then throws it on).
 */
interface Failure {
  retry: boolean;
  kind: MailError['kind'] | 'internal';
  message: string;
  status?: number;
  retryAfterMs?: number;
}

function failureOf(error: unknown): Failure {
  if (!(error instanceof MailError))
    return {
      retry: false,
      kind: 'internal',
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  return {
    retry: error.kind === 'transient' || error.kind === 'not_connected',
    kind: error.kind,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

async function fail(deps: RunnerDeps, row: OutboxRow, failure: Failure, now: number) {
  await inTransaction(deps, async (s, events) => {
    const current = await s.outbox.get(row.id);
    const e = await s.enrollments.get(row.enrollmentId);
    if (!current || current.fencing !== row.fencing || !e) return;
    let next: Enrollment;
    if (failure.retry) {
      next = retryLater(e, now, failure.retryAfterMs, failure.message);
      // Still claimed: the next attempt asks the mailbox first, in case this one reached it after all.
      await s.outbox.put({ ...current, leaseUntil: next.dueAt ?? now });
    } else {
      const why =
        failure.kind === 'internal'
          ? `Threadline failed (${failure.message}); it was not retried`
          : failure.message;
      const detail = `Step ${row.stepIndex + 1} was not sent: ${why}`.slice(0, 1000);
      next = pause(e, now, 'needs_attention', undefined, detail, { kind: 'send_refused', detail });
      await s.outbox.put({ ...current, state: 'cancelled' });
      await events.paused(e, next, now, { detail: next.detail });
    }
    await s.enrollments.put(next);
    await events.add({
      id: `send_failed:${row.id}:${current.attempts}`,
      at: now,
      type: 'send_failed',
      enrollment: next,
      stepIndex: row.stepIndex,
      data: { kind: failure.kind, message: failure.message, status: failure.status },
    });
  });
}

/**
 * What to send for a claim. An email continuing the thread the rep enrolled from asks the mailbox for that
 * conversation's newest message first (a read, safe to repeat on every attempt); when the mailbox no longer
 * has the conversation, the email starts a new one rather than not going at all.
 */
async function deliveryOf(provider: MailProvider, { row, openedThread }: Claim): Promise<Delivery> {
  if (!openedThread) return { payload: row.payload, inThread: row.payload.thread !== undefined };
  const tip = await provider.latestInThread(openedThread);
  return tip
    ? { payload: replyingTo(row.payload, tip), tip, inThread: true }
    : { payload: row.payload, inThread: false };
}

/**
 * Sends steps exactly once (ARCHITECTURE.md, "Sending exactly once"): claim them, then for each ask the
 * mailbox whether its deterministic Message-ID is already there (a crash after the provider accepted, or
 * another device), send only if not, and commit it before the next.
 */
export async function sendSteps(deps: RunnerDeps, requests: readonly SendRequest[]): Promise<SendOutcome[]> {
  const rows = await claimAll(deps, requests, deps.clock.now());
  const outcomes: SendOutcome[] = [];
  const holding = leaseKeeper(deps);
  const stillDue = stillDueKeeper(deps);
  let defect: { error: unknown } | undefined;
  for (const [i, claim] of rows.entries()) {
    // Another device took the mailbox over: the rest stay claimed until their claim runs out, then the
    // holder of the lease sends what the mailbox does not have yet.
    if (!claim || !(await holding(claim.row.mailbox)) || !(await stillDue(claim.row))) {
      outcomes.push('skipped');
      continue;
    }
    const { row } = claim;
    try {
      const provider = deps.mailFor(row.mailbox);
      if (!provider) throw new MailError(`The mailbox ${row.mailbox} is not connected`, 'not_connected');
      const already = await provider.findByMessageId(row.messageId);
      // The thread itself, right before a follow-up goes into it: a reply a filter or rule filed away that
      // the watch cycle has not seen yet is read and applied first (an error here sends nothing: retried later).
      const thread = row.payload.thread;
      if (
        !already &&
        thread &&
        (await checkThreadBeforeSend(deps, provider, row.mailbox, thread)).length > 0
      ) {
        if (!(await stillDue(row))) {
          outcomes.push('skipped');
          continue;
        }
      }
      let delivery = already
        ? { payload: row.payload, inThread: Boolean(row.payload.thread || claim.openedThread) }
        : await deliveryOf(provider, claim);
      if (!already && deps.decorate) {
        const ref = { enrollmentId: row.enrollmentId, stepIndex: row.stepIndex };
        delivery = { ...delivery, payload: await deps.decorate(delivery.payload, ref) };
      }
      const sent = already ?? (await provider.send(delivery.payload));
      await commit(deps, row, sent, requests[i]!, deps.clock.now(), delivery);
      outcomes.push('sent');
    } catch (error) {
      const failure = failureOf(error);
      await fail(deps, row, failure, deps.clock.now());
      outcomes.push('failed');
      if (failure.kind === 'internal') defect ??= { error };
    }
  }
  // Told to the rep above and the rest of the batch sent; thrown on so that a test fails and the worker logs it.
  if (defect) throw defect.error;
  return outcomes;
}
