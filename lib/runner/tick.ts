import type { Enrollment } from '../domain/enrollment';
import { calendarOf, plan, type Action, type PlanItem } from '../engine/plan';
import { DAY_MS } from '../engine/slots';
import { deferTo, pause, resume, stepExecuted, unenroll, waitForTask } from '../engine/transitions';
import { contextOf } from './context';
import { DEFAULT_BATCH, DEFAULT_LEASE_MS, LEASE_RETRY_MS, type RunnerDeps } from './deps';
import { inTransaction } from './events';
import { transact } from '../db/database';
import { sendSteps, type SendRequest } from './send';
import { defaultTaskTitle } from './task-titles';

export interface TickResult {
  sent: number;
  tasks: number;
  deferred: number;
  /** When the alarm is now set for, if anything is scheduled. */
  nextDueAt?: number;
}

async function loadItems(deps: RunnerDeps, due: Enrollment[], now: number): Promise<PlanItem[]> {
  const seqIds = [...new Set(due.map((e) => e.sequenceId))];
  const contactIds = [...new Set(due.map((e) => e.contactId))];
  const [seqs, contacts] = await Promise.all([
    deps.db.sequences.bulkGet(seqIds),
    deps.db.contacts.bulkGet(contactIds),
  ]);
  const seqById = new Map(seqs.filter((s) => s !== undefined).map((s) => [s.id, s]));
  const contactById = new Map(contacts.filter((c) => c !== undefined).map((c) => [c.id, c]));
  const items: PlanItem[] = [];
  for (const enrollment of due) {
    const sequence = seqById.get(enrollment.sequenceId);
    const contact = contactById.get(enrollment.contactId);
    if (sequence && contact) items.push({ enrollment, sequence, contact });
    // Without its sequence or contact an enrollment can never act again: end it visibly instead of spinning.
    else
      await deps.db.enrollments.put(
        unenroll(enrollment, now, 'error', sequence ? 'The contact was deleted' : 'The sequence was deleted'),
      );
  }
  return items;
}

async function recentSends(
  deps: RunnerDeps,
  mailboxes: string[],
  now: number,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const mailbox of mailboxes) {
    const rows = await deps.db.sends
      .where('[mailbox+sentAt]')
      .between([mailbox, now - DAY_MS], [mailbox, now], true, true)
      .toArray();
    out[mailbox] = rows.map((r) => r.sentAt);
  }
  return out;
}

/** Applies a non-send action in its own transaction, if the enrollment is still as planned. */
async function applyAction(
  deps: RunnerDeps,
  action: Exclude<Action, { type: 'send_email' }>,
  version: number,
) {
  let createdTask = false;
  await inTransaction(deps, async (s, events) => {
    const e = await s.enrollments.get(action.enrollmentId);
    if (!e || e.version !== version) return;
    const ctx = await contextOf(deps, s, e);
    const at = action.at;
    switch (action.type) {
      case 'resume': {
        const next = resume(e, at, ctx.cal);
        await s.enrollments.put(next);
        await events.resumed(e, next, at);
        return;
      }
      case 'finish': {
        const next = {
          ...e,
          status: 'finished' as const,
          dueAt: undefined,
          endedAt: at,
          version: e.version + 1,
        };
        await s.enrollments.put(next);
        await events.add({
          id: `finished:${e.id}`,
          at,
          type: 'finished',
          enrollment: next,
          stepIndex: Math.max(0, e.stepIndex - 1),
        });
        return;
      }
      case 'needs_attention': {
        const next = pause(e, at, 'needs_attention', undefined, action.detail, {
          kind: 'missing_token',
          detail: action.detail,
        });
        await s.enrollments.put(next);
        await events.paused(e, next, at, { detail: action.detail });
        return;
      }
      case 'create_task': {
        const id = `${e.id}:${action.stepIndex}`;
        const step = action.step;
        if (!(await s.tasks.get(id))) {
          await s.tasks.add({
            id,
            enrollmentId: e.id,
            sequenceId: e.sequenceId,
            contactId: e.contactId,
            stepId: step.id,
            stepIndex: action.stepIndex,
            type: step.type,
            title: step.title || defaultTaskTitle(step.type, ctx.contact.firstName ?? ctx.contact.email),
            notes: step.notes,
            priority: step.priority,
            createdAt: at,
            dueAt: action.dueAt,
            blocking: action.blocking,
            status: 'open',
          });
          createdTask = true;
        }
        const next = action.blocking ? waitForTask(e, id) : stepExecuted(e, ctx.sequence, at, ctx.cal);
        await s.enrollments.put(next);
        await events.add({
          id: `task_created:${id}`,
          at,
          type: 'task_created',
          enrollment: next,
          stepIndex: action.stepIndex,
          stepId: step.id,
          data: { taskId: id, taskType: step.type, dueAt: action.dueAt },
        });
        await events.finishedIf(next, at, action.stepIndex);
        return;
      }
    }
  });
  return createdTask;
}

/** Moves enrollments' next look later, unless they changed since the plan saw them. */
async function deferAll(
  deps: RunnerDeps,
  next: { enrollmentId: string; dueAt: number }[],
  versions: Map<string, number>,
) {
  await transact(deps.db, async (s) => {
    for (const n of next) {
      const e = await s.enrollments.get(n.enrollmentId);
      if (e && e.version === versions.get(e.id)) await s.enrollments.put(deferTo(e, n.dueAt));
    }
  });
}

/** Sets the one alarm to the earliest due time (or clears it). Called after every tick and at worker start. */
export async function rearm(deps: RunnerDeps): Promise<number | undefined> {
  const first = await deps.db.enrollments.orderBy('dueAt').first();
  if (first?.dueAt === undefined) {
    await deps.alarm.clear();
    return undefined;
  }
  await deps.alarm.set(first.dueAt);
  return first.dueAt;
}

/**
 * One pass of the engine: take the enrollments that are due (by index, never a scan), let the pure planner
 * decide, act on each through the injected effects, then re-arm the alarm.
 */
export async function tick(deps: RunnerDeps): Promise<TickResult> {
  const now = deps.clock.now();
  const result: TickResult = { sent: 0, tasks: 0, deferred: 0 };
  const due = await deps.db.enrollments
    .where('dueAt')
    .belowOrEqual(now)
    .limit(deps.batchSize ?? DEFAULT_BATCH)
    .toArray();
  if (due.length) {
    const items = await loadItems(deps, due, now);
    const mailboxes = [...new Set(items.map((i) => i.enrollment.mailbox))];
    const rep = await deps.rep();
    const holidays = (await deps.teamHolidays?.()) ?? [];
    const p = plan(
      { rep, teamHolidays: holidays, recentSends: await recentSends(deps, mailboxes, now), items },
      now,
    );
    const versions = new Map(items.map((i) => [i.enrollment.id, i.enrollment.version]));
    if (p.next.length) {
      await deferAll(deps, p.next, versions);
      result.deferred = p.next.length;
    }
    const sendingFrom = new Set(
      p.actions
        .filter((a) => a.type === 'send_email')
        .map((a) => items.find((i) => i.enrollment.id === a.enrollmentId)!.enrollment.mailbox),
    );
    // Another device holds the mailbox's lease: it sends; this one looks again later.
    const notHeld = new Set<string>();
    for (const mailbox of sendingFrom) {
      if (
        deps.lease &&
        !(await deps.lease.port.acquire(
          mailbox,
          deps.lease.holder,
          now,
          now + (deps.leaseMs ?? DEFAULT_LEASE_MS),
        ))
      )
        notHeld.add(mailbox);
    }
    // A reply that arrived since the last watch cycle must stop its sequence before anything is sent.
    for (const mailbox of sendingFrom) if (!notHeld.has(mailbox)) await deps.checkReplies?.(mailbox);
    const itemById = new Map(items.map((i) => [i.enrollment.id, i]));
    const sends: SendRequest[] = [];
    const later: { enrollmentId: string; dueAt: number }[] = [];
    for (const action of p.actions) {
      const version = versions.get(action.enrollmentId)!;
      if (action.type === 'send_email') {
        const item = itemById.get(action.enrollmentId)!;
        if (notHeld.has(item.enrollment.mailbox)) {
          later.push({ enrollmentId: item.enrollment.id, dueAt: now + LEASE_RETRY_MS });
          continue;
        }
        sends.push({
          action,
          version,
          ctx: { sequence: item.sequence, contact: item.contact, rep, cal: calendarOf(item, rep, holidays) },
        });
      } else if (await applyAction(deps, action, version)) {
        result.tasks++;
      }
    }
    if (later.length) await deferAll(deps, later, versions);
    if (sends.length) result.sent = (await sendSteps(deps, sends)).filter((o) => o === 'sent').length;
  }
  result.nextDueAt = await rearm(deps);
  return result;
}
