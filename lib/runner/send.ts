import type { OutboxRow } from '../db/database';
import type { Enrollment } from '../domain/enrollment';
import type { Action } from '../engine/plan';
import { deferTo, pause, recordSent, retryLater, stepExecuted, unenroll } from '../engine/transitions';
import { MailError, type OutgoingMessage, type SentMessage } from '../mail/provider';
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

export interface SendRequest {
  action: SendAction;
  /** The enrollment version the plan saw; a claim on anything newer is dropped. */
  version: number;
  ctx: EnrollmentContext;
}

/**
 * Step 1 of the outbox protocol: in one transaction, check each enrollment is still what the plan saw, and
 * move its step's outbox row to `claimed` with a new fencing token and a lease. The enrollment comes due
 * again when the lease ends, so a worker that dies mid-send is picked up by a later tick.
 */
async function claimAll(deps: RunnerDeps, requests: readonly SendRequest[], now: number) {
  return inTransaction(deps, async (s, events) => {
    const rows: (OutboxRow | undefined)[] = [];
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
      rows.push(row);
    }
    return rows;
  });
}

/** Step 3: record the send, advance the enrollment; dropped if another claim superseded ours. */
async function commit(
  deps: RunnerDeps,
  row: OutboxRow,
  sent: SentMessage,
  { action, ctx }: SendRequest,
  at: number,
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
    });
    await s.sends.put({ id: row.id, mailbox: row.mailbox, sentAt: at });
    const e = await s.enrollments.get(row.enrollmentId);
    if (!e) return;
    let next = recordSent(e, { ...sent, subject: row.payload.subject });
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
        subject: row.payload.subject,
        threadId: sent.threadId,
        messageId: sent.messageId,
        variant: action.email.variant,
      },
    });
    await events.finishedIf(next, at, row.stepIndex);
  });
}

async function fail(deps: RunnerDeps, row: OutboxRow, error: unknown, now: number) {
  const mailError =
    error instanceof MailError
      ? error
      : new MailError(error instanceof Error ? error.message : String(error), 'transient');
  await inTransaction(deps, async (s, events) => {
    const current = await s.outbox.get(row.id);
    const e = await s.enrollments.get(row.enrollmentId);
    if (!current || current.fencing !== row.fencing || !e) return;
    const retryable = mailError.kind === 'transient' || mailError.kind === 'not_connected';
    let next: Enrollment;
    if (retryable) {
      next = retryLater(e, now, mailError.retryAfterMs, mailError.message);
      // Still claimed: the next attempt asks the mailbox first, in case this one reached it after all.
      await s.outbox.put({ ...current, leaseUntil: next.dueAt ?? now });
    } else {
      next = pause(
        e,
        now,
        'needs_attention',
        undefined,
        `Step ${row.stepIndex + 1} was not sent: ${mailError.message}`,
      );
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
      data: { kind: mailError.kind, message: mailError.message, status: mailError.status },
    });
  });
}

/**
 * Sends steps exactly once (ARCHITECTURE.md, "Sending exactly once"): claim them, then for each ask the
 * mailbox whether its deterministic Message-ID is already there (a crash after the provider accepted, or
 * another device), send only if not, and commit it before the next.
 */
export async function sendSteps(deps: RunnerDeps, requests: readonly SendRequest[]): Promise<SendOutcome[]> {
  const rows = await claimAll(deps, requests, deps.clock.now());
  const outcomes: SendOutcome[] = [];
  for (const [i, row] of rows.entries()) {
    if (!row) {
      outcomes.push('skipped');
      continue;
    }
    try {
      const provider = deps.mailFor(row.mailbox);
      if (!provider) throw new MailError(`The mailbox ${row.mailbox} is not connected`, 'not_connected');
      const sent = (await provider.findByMessageId(row.messageId)) ?? (await provider.send(row.payload));
      await commit(deps, row, sent, requests[i]!, deps.clock.now());
      outcomes.push('sent');
    } catch (error) {
      await fail(deps, row, error, deps.clock.now());
      outcomes.push('failed');
    }
  }
  return outcomes;
}
