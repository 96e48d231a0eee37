import type { Contact, ContactInput } from '../domain/contact';
import { ContactInputSchema } from '../domain/contact';
import { describeZodError } from '../domain/common';
import type { Enrollment } from '../domain/enrollment';
import type { Event } from '../domain/event';
import { calendarOf } from '../engine/plan';
import { createEnrollment } from '../engine/transitions';
import { REJECT_MESSAGES, whyNotEnrollable, type RejectReason } from '../engine/eligibility';
import type { RunnerDeps } from './deps';
import { rearm } from './tick';
import { transact } from '../db/database';

export const MAX_BULK_ENROLL = 1000;

export interface EnrollRequest {
  sequenceId: string;
  contacts: readonly unknown[];
  /** 0-based step to start at; re-enrollment at any step. */
  startStep?: number;
  startAt?: number;
  /** Enroll even when a contact is active in another sequence. */
  override?: boolean;
  /** Per-step edits (keyed by step id) that apply to every contact of this request, e.g. a personalised first email. */
  edits?: Enrollment['edits'];
  /**
   * The connected mailbox that sends (and whose caps apply); the rep's own, as enrolling from a thread uses,
   * when absent.
   */
  mailbox?: string;
  /** Enrolling from an open thread: the first email continues it. */
  thread?: { threadId: string; subject: string; lastMessageId?: string; lastProviderMessageId?: string };
}

export interface EnrollReport {
  enrolled: { email: string; enrollmentId: string; contactId: string; firstDueAt?: number }[];
  rejected: { index: number; email?: string; reason: RejectReason; message: string }[];
}

/**
 * Enrolls up to 1,000 contacts in one transaction. Every contact that cannot be enrolled is listed with its
 * reason; the others are enrolled. Existing contacts are matched by address and updated with what is new.
 */
export async function enrollContacts(deps: RunnerDeps, req: EnrollRequest): Promise<EnrollReport> {
  const now = deps.clock.now();
  const report: EnrollReport = { enrolled: [], rejected: [] };
  const parsed: { index: number; input: ContactInput & { email: string } }[] = [];
  const seen = new Set<string>();
  req.contacts.forEach((raw, index) => {
    const email =
      typeof (raw as { email?: unknown })?.email === 'string' ? (raw as { email: string }).email : undefined;
    if (index >= MAX_BULK_ENROLL) {
      report.rejected.push({
        index,
        email,
        reason: 'too_many',
        message: `only ${MAX_BULK_ENROLL} contacts can be enrolled at once`,
      });
      return;
    }
    const result = ContactInputSchema.safeParse(raw);
    if (!result.success) {
      report.rejected.push({
        index,
        email,
        reason: 'invalid_contact',
        message: describeZodError(result.error, `contacts.${index}`),
      });
      return;
    }
    const input = result.data;
    if (seen.has(input.email)) {
      report.rejected.push({
        index,
        email: input.email,
        reason: 'duplicate_in_request',
        message: REJECT_MESSAGES.duplicate_in_request,
      });
      return;
    }
    seen.add(input.email);
    parsed.push({ index, input });
  });

  const announced: Event[] = [];
  await transact(deps.db, async (s) => {
    const sequence = await s.sequences.get(req.sequenceId);
    if (!sequence) throw new Error(`No sequence ${req.sequenceId}`);
    const rep = await deps.rep();
    const mailbox = req.mailbox?.trim().toLowerCase() ?? rep.email;
    // A mailbox chosen in the options page must be one this device can send from.
    if (req.mailbox !== undefined && !deps.mailFor(mailbox))
      throw new Error(`The mailbox ${mailbox} is not connected: connect it in Settings → Mailboxes`);
    const holidays = (await deps.teamHolidays?.()) ?? [];
    const emails = parsed.map((p) => p.input.email);
    const [existing, suppressed] = await Promise.all([
      s.contacts.where('email').anyOf(emails).toArray(),
      s.suppressions.bulkGet(emails),
    ]);
    const byEmail = new Map(existing.map((c) => [c.email, c]));
    const live = await s.enrollments
      .where('contactId')
      .anyOf(existing.map((c) => c.id))
      .filter((e) => e.status === 'active' || e.status === 'paused')
      .toArray();
    const liveByContact = new Map<string, Enrollment[]>();
    for (const e of live) liveByContact.set(e.contactId, [...(liveByContact.get(e.contactId) ?? []), e]);

    const contacts: Contact[] = [];
    const enrollments: Enrollment[] = [];
    const events: Event[] = [];
    parsed.forEach(({ index, input }, i) => {
      const prior = byEmail.get(input.email);
      const reason = whyNotEnrollable({
        email: input.email,
        sequence,
        liveEnrollments: prior ? (liveByContact.get(prior.id) ?? []) : [],
        suppressed: suppressed[i] !== undefined,
        override: req.override ?? false,
        repEmail: mailbox,
      });
      if (reason) {
        report.rejected.push({ index, email: input.email, reason, message: REJECT_MESSAGES[reason] });
        return;
      }
      const contact: Contact = {
        ...prior,
        ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
        id: prior?.id ?? input.id ?? deps.newId(),
        email: input.email,
        domain: input.domain ?? prior?.domain ?? input.email.split('@')[1],
        custom: { ...prior?.custom, ...input.custom },
      };
      const cal = calendarOf({ sequence, contact }, rep, holidays);
      const enrollment = createEnrollment(
        {
          id: deps.newId(),
          sequenceId: sequence.id,
          contactId: contact.id,
          mailbox,
          startStep: req.startStep,
          startAt: req.startAt,
          edits: req.edits,
          thread: req.thread,
        },
        sequence,
        cal,
        now,
      );
      contacts.push(contact);
      enrollments.push(enrollment);
      events.push({
        id: `enrolled:${enrollment.id}`,
        at: now,
        type: 'enrolled',
        enrollmentId: enrollment.id,
        sequenceId: sequence.id,
        contactId: contact.id,
        mailbox,
        stepIndex: enrollment.stepIndex,
      });
      report.enrolled.push({
        email: contact.email,
        enrollmentId: enrollment.id,
        contactId: contact.id,
        firstDueAt: enrollment.dueAt,
      });
    });
    await s.contacts.bulkPut(contacts);
    await s.enrollments.bulkAdd(enrollments);
    await s.events.bulkAdd(events);
    announced.push(...events);
  });
  for (const e of announced) deps.onEvent?.(e);
  report.rejected.sort((a, b) => a.index - b.index);
  await rearm(deps);
  return report;
}
