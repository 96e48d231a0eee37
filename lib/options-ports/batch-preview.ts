import { Temporal } from 'temporal-polyfill';
import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Rep } from '../domain/rep';
import type { Sequence } from '../domain/sequence';
import { calendarOf, plan, type PlanItem } from '../engine/plan';
import { createEnrollment, deferTo } from '../engine/transitions';

export interface BatchDay {
  /** The day on the rep's clock, YYYY-MM-DD. */
  date: string;
  emails: number;
  tasks: number;
  first: number;
  last: number;
}

export interface BatchPreview {
  /** When each contact's first step happens, in the order given. */
  firsts: { email: string; at: number; kind: 'email' | 'task' }[];
  days: BatchDay[];
  zone: string;
}

/**
 * When the first step of every contact of a batch would happen: the engine's own createEnrollment and plan()
 * on a virtual clock, ticking as the runner does, with the mailbox's real sends of the last day as the start
 * of its ledger. So the daily cap, the per-minute cap, the spacing and the send window spread the batch
 * exactly as they will when it is enrolled (as long as nothing else is enrolled meanwhile).
 */
export function previewBatch(input: {
  sequence: Sequence;
  startStep: number;
  rep: Rep;
  contacts: readonly Contact[];
  now: number;
  recentSends?: readonly number[];
  teamHolidays?: readonly string[];
}): BatchPreview {
  const { sequence, rep, now, teamHolidays = [] } = input;
  const mailbox = rep.email;
  const sends = [...(input.recentSends ?? [])].sort((a, b) => a - b);
  const pending = new Map<string, PlanItem>();
  const firstAt = new Map<string, { at: number; kind: 'email' | 'task' }>();
  input.contacts.forEach((contact, i) => {
    const cal = calendarOf({ sequence, contact }, rep, teamHolidays);
    const enrollment: Enrollment = createEnrollment(
      {
        id: `preview-${i}`,
        sequenceId: sequence.id,
        contactId: contact.id,
        mailbox,
        startStep: input.startStep,
      },
      sequence,
      cal,
      now,
    );
    pending.set(enrollment.id, { enrollment, sequence, contact });
  });
  const emailOf = new Map([...pending.values()].map((p) => [p.enrollment.id, p.contact.email]));
  // Each round is one tick at the earliest moment someone is due; every tick settles at least one contact or
  // moves everyone due to a later slot, so rounds are bounded by a few per contact.
  for (let guard = 0; pending.size && guard < 20 * input.contacts.length + 100; guard++) {
    let t = Infinity;
    for (const p of pending.values()) t = Math.min(t, p.enrollment.dueAt ?? Infinity);
    if (t === Infinity) break;
    const due = [...pending.values()].filter((p) => (p.enrollment.dueAt ?? Infinity) <= t);
    const result = plan({ rep, teamHolidays, recentSends: { [mailbox]: sends }, items: due }, t);
    for (const action of result.actions) {
      if (action.type === 'send_email') {
        sends.push(t);
        firstAt.set(action.enrollmentId, { at: t, kind: 'email' });
      } else if (action.type === 'create_task') {
        firstAt.set(action.enrollmentId, { at: action.dueAt, kind: 'task' });
      }
      pending.delete(action.enrollmentId);
    }
    for (const n of result.next) {
      const p = pending.get(n.enrollmentId);
      if (p) pending.set(n.enrollmentId, { ...p, enrollment: deferTo(p.enrollment, n.dueAt) });
    }
  }
  const zone = rep.timeZone;
  const days = new Map<string, BatchDay>();
  const firsts: BatchPreview['firsts'] = [];
  for (const [id, first] of firstAt) {
    firsts.push({ email: emailOf.get(id)!, ...first });
    const date = Temporal.Instant.fromEpochMilliseconds(first.at)
      .toZonedDateTimeISO(zone)
      .toPlainDate()
      .toString();
    const day = days.get(date) ?? { date, emails: 0, tasks: 0, first: first.at, last: first.at };
    if (first.kind === 'email') day.emails++;
    else day.tasks++;
    day.first = Math.min(day.first, first.at);
    day.last = Math.max(day.last, first.at);
    days.set(date, day);
  }
  const order = new Map(input.contacts.map((c, i) => [c.email, i]));
  firsts.sort((a, b) => order.get(a.email)! - order.get(b.email)!);
  return { firsts, days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1)), zone };
}
