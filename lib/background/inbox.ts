import { Temporal } from 'temporal-polyfill';
import type { Store } from '../db/database';
import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Sequence } from '../domain/sequence';
import type { Task } from '../domain/task';
import { nextSendableMoment } from '../engine/calendar';
import { transact } from '../db/database';
import { messageUrl } from '../mail/message-url';
import type { Handlers } from '../protocol/endpoints';
import type { ParticipantStateWire } from '../protocol/inbox';
import {
  applyContactSignal,
  finishTask,
  pauseEnrollment,
  resumeEnrollment,
  unenrollEnrollment,
} from '../runner/actions';
import { contextOf } from '../runner/context';
import type { RunnerDeps } from '../runner/deps';
import { enrollContacts } from '../runner/enroll';
import { inTransaction } from '../runner/events';
import { rearm } from '../runner/tick';
import { attentionHandlers } from './attention';

const live = (e: Enrollment) => e.status === 'active' || e.status === 'paused';

/** Where a contact stands: their live enrollment, else the most recent one. */
export function participantState(
  e: Enrollment | undefined,
  seq: Sequence | undefined,
  /** Where the mail client opens a message of the enrollment's mailbox, by its provider id. */
  openUrl?: (providerMessageId: string) => string | undefined,
): ParticipantStateWire {
  if (!e || !seq) return { kind: 'not_enrolled' };
  const step = seq.steps[Math.min(e.stepIndex, seq.steps.length - 1)];
  const where = {
    enrollmentId: e.id,
    sequenceName: seq.name,
    stepIndex: e.stepIndex,
    stepCount: seq.steps.length,
    stepType: step?.type ?? 'auto_email',
  };
  switch (e.status) {
    case 'active':
      return {
        kind: 'active',
        ...where,
        ...(e.dueAt !== undefined ? { nextAt: e.dueAt } : {}),
        ...(e.waitingTaskId ? { waitingForTask: true } : {}),
      };
    case 'paused':
      return {
        kind: 'paused',
        ...where,
        reason: e.pauseReason ?? 'manual',
        ...(e.pausedUntil !== undefined ? { until: e.pausedUntil } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
        ...(e.attention ? { attention: withOpenUrl(e.attention, openUrl) } : {}),
      };
    case 'finished':
      return {
        kind: 'finished',
        enrollmentId: e.id,
        sequenceName: seq.name,
        ...(e.endedAt !== undefined ? { endedAt: e.endedAt } : {}),
      };
    case 'unenrolled':
      return {
        kind: 'unenrolled',
        enrollmentId: e.id,
        sequenceName: seq.name,
        reason: e.reason ?? 'manual',
        ...(e.endedAt !== undefined ? { endedAt: e.endedAt } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
      };
  }
}

function withOpenUrl(
  attention: NonNullable<Enrollment['attention']>,
  openUrl: ((providerMessageId: string) => string | undefined) | undefined,
) {
  const url = attention.providerMessageId ? openUrl?.(attention.providerMessageId) : undefined;
  return url ? { ...attention, openUrl: url } : attention;
}

function stepLabel(seq: Sequence | undefined, index: number, title: string): string {
  return seq ? `Step ${index + 1} of ${seq.steps.length}${title ? `: ${title}` : ''}` : title;
}

/** Open tasks as the queue shows them, with their contact and step; a task whose contact is gone is left out. */
async function queueItems(deps: RunnerDeps, open: Task[]) {
  const contacts = new Map(
    (await deps.db.contacts.bulkGet([...new Set(open.map((t) => t.contactId))]))
      .filter((c) => c !== undefined)
      .map((c) => [c.id, c]),
  );
  const sequences = new Map(
    (await deps.db.sequences.bulkGet([...new Set(open.map((t) => t.sequenceId))]))
      .filter((s) => s !== undefined)
      .map((s) => [s.id, s]),
  );
  return open.flatMap((task) => {
    const contact = contacts.get(task.contactId);
    if (!contact) return [];
    const seq = sequences.get(task.sequenceId);
    const step = seq?.steps[task.stepIndex];
    return [
      {
        task,
        contact,
        sequenceName: seq?.name ?? '',
        stepLabel: stepLabel(seq, task.stepIndex, task.title),
        ...(step?.type === 'call' && step.callScript ? { callScript: step.callScript } : {}),
        ...(contact.linkedinUrl ? { linkedinUrl: contact.linkedinUrl } : {}),
      },
    ];
  });
}

/** Open tasks due in [from, to), by the [status+dueAt] index. */
const openDue = (deps: RunnerDeps, from: number, to: number) =>
  deps.db.tasks.where('[status+dueAt]').between(['open', from], ['open', to], true, false);

/** Moves the current step's delay out of the way: it goes at the next moment the window and caps allow. */
async function sendNow(deps: RunnerDeps, id: string, now: number) {
  await inTransaction(deps, async (s: Store) => {
    const e = await s.enrollments.get(id);
    if (!e || e.status !== 'active' || e.waitingTaskId) return;
    const ctx = await contextOf(deps, s, e);
    await s.enrollments.put({
      ...e,
      readyAt: now,
      dueAt: nextSendableMoment(now, ctx.cal),
      version: e.version + 1,
    });
  });
  await rearm(deps);
}

/**
 * The background's answers to the inbox UI (thread panel, enroll flow, task queue). `tick` runs the engine
 * right after an action that may have made something due; `changed` tells open views about a change that
 * records no event (a snoozed task).
 */
export function inboxHandlers(
  deps: RunnerDeps,
  tick: () => Promise<unknown>,
  changed: () => void = () => {},
): Handlers {
  const now = () => deps.clock.now();
  return {
    ...attentionHandlers(deps, tick),
    'thread.state': async ({ participants }, sender) => {
      const out = [];
      for (const p of participants) {
        const contact = await deps.db.contacts.where('email').equals(p.email).first();
        const enrollments = contact
          ? await deps.db.enrollments.where('contactId').equals(contact.id).toArray()
          : [];
        const current = enrollments.find(live) ?? enrollments.sort((a, b) => b.enrolledAt - a.enrolledAt)[0];
        const seq = current ? await deps.db.sequences.get(current.sequenceId) : undefined;
        const kind = current ? deps.mailFor(current.mailbox)?.kind : undefined;
        // Links open on the Outlook origin the asking page is on (outlook.cloud.microsoft's accounts need it).
        const link = (id: string) => messageUrl(kind, id, sender?.url);
        const state = participantState(current, seq, link);
        // Whether the rep may enroll them again (a bounce suppresses only an address that cannot receive mail).
        if (state.kind === 'unenrolled' && contact)
          state.suppressed = (await deps.db.suppressions.get(contact.email)) !== undefined;
        out.push({ ...p, state });
      }
      return { participants: out };
    },

    'enroll.options': async ({ emails }) => {
      const sequences = (await deps.db.sequences.toArray()).filter((s) => !s.archived);
      const lastUsed = new Map<string, number>();
      for (const e of await deps.db.enrollments.toArray())
        lastUsed.set(e.sequenceId, Math.max(lastUsed.get(e.sequenceId) ?? 0, e.enrolledAt));
      const known = emails.length ? await deps.db.contacts.where('email').anyOf(emails).toArray() : [];
      const byEmail = new Map(known.map((c) => [c.email, c]));
      const contacts: Contact[] = emails.map(
        (email) => byEmail.get(email) ?? { id: `new:${email}`, email, custom: {} },
      );
      return {
        sequences: sequences
          .map((s) => ({
            id: s.id,
            name: s.name,
            steps: s.steps,
            updatedAt: s.updatedAt,
            ...(lastUsed.has(s.id) ? { lastUsedAt: lastUsed.get(s.id)! } : {}),
          }))
          .sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0) || b.updatedAt - a.updatedAt),
        contacts,
        rep: await deps.rep(),
      };
    },

    'enroll.submit': async (req) => {
      // Contacts not yet known carry a provisional id from enroll.options; the database gives them a real one.
      const contacts = req.contacts.map((c) =>
        typeof c === 'object' && c && String((c as { id?: unknown }).id).startsWith('new:')
          ? { ...c, id: undefined }
          : c,
      );
      const report = await enrollContacts(deps, { ...req, contacts });
      await tick();
      return report;
    },

    'enrollment.act': async ({ enrollmentId, action }) => {
      const at = now();
      switch (action) {
        case 'pause':
          await pauseEnrollment(deps, enrollmentId, at);
          break;
        case 'resume':
          await resumeEnrollment(deps, enrollmentId, at);
          await tick();
          break;
        case 'unenroll':
          await unenrollEnrollment(deps, enrollmentId, at, 'manual');
          break;
        case 'meeting_booked': {
          const e = await deps.db.enrollments.get(enrollmentId);
          const contact = e ? await deps.db.contacts.get(e.contactId) : undefined;
          if (contact) await applyContactSignal(deps, contact.email, { type: 'meeting_booked' }, at);
          break;
        }
        case 'send_now':
          await sendNow(deps, enrollmentId, at);
          await tick();
          break;
      }
      return { ok: true as const };
    },

    'tasks.list': async () => ({
      tasks: await queueItems(deps, await deps.db.tasks.where('status').equals('open').toArray()),
    }),

    'tasks.first': async ({ limit, timeZone }) => {
      const today0 = Temporal.Instant.fromEpochMilliseconds(now()).toZonedDateTimeISO(timeZone).toPlainDate();
      const todayStart = today0.toZonedDateTime({ timeZone }).epochMilliseconds;
      const tomorrowStart = today0.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
      const [first, overdue, today, upcoming] = await Promise.all([
        openDue(deps, -Infinity, Infinity).limit(limit).toArray(),
        openDue(deps, -Infinity, todayStart).count(),
        openDue(deps, todayStart, tomorrowStart).count(),
        openDue(deps, tomorrowStart, Infinity).count(),
      ]);
      return { tasks: await queueItems(deps, first), counts: { overdue, today, upcoming } };
    },

    'tasks.act': async (req) => {
      if (req.action === 'complete' || req.action === 'skip') {
        await finishTask(
          deps,
          req.taskId,
          req.action === 'complete' ? 'completed' : 'skipped',
          now(),
          req.action === 'complete' ? { outcome: req.outcome, notes: req.notes } : {},
        );
        await tick();
      } else {
        const dueAt = req.action === 'snooze' ? req.until : req.dueAt;
        await transact(deps.db, async (s) => {
          const task = await s.tasks.get(req.taskId);
          // A task already done stays done: completion wins over a reschedule.
          if (task?.status === 'open') await s.tasks.put({ ...task, dueAt });
        });
        changed();
      }
      return { ok: true as const };
    },
  };
}
