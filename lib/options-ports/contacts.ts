import { liveQuery } from 'dexie';
import type { ThreadlineDb } from '../db/database';
import { describeZodError } from '../domain/common';
import { ContactSchema, type Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Sequence } from '../domain/sequence';
import { DAY_MS } from '../engine/slots';
import { loadRep, loadTeamHolidays } from '../db/settings';
import { previewBatch } from './batch-preview';
import { preflight } from './bulk-preflight';
import { buildContactIndex } from './contacts-index';
import { contactTimeline } from './contact-timeline';
import { waitsOnlyForValues } from './attention';
import type { BulkReport, ContactDetail, ContactsPort } from './interfaces/contacts';

const LAST_REPORT_KEY = 'bulkEnroll.lastReport';

export interface ContactsDeps {
  db: ThreadlineDb;
  zone: string;
  now?: () => number;
  /** The background's enrollment.act (the runner's own pause/resume/unenroll rules). */
  act(enrollmentId: string, action: 'resume'): Promise<unknown>;
  /** The background's enroll.submit: the runner's bulk enrollment, one transaction. */
  submit(req: { sequenceId: string; startStep: number; mailbox?: string; contacts: unknown[] }): Promise<{
    enrolled: BulkReport['enrolled'];
    rejected: BulkReport['rejected'];
  }>;
  /** The background's accounts.list: the connected mailboxes. */
  mailboxes(): Promise<string[]>;
}

export function createContactsPort(deps: ContactsDeps): ContactsPort {
  const { db } = deps;
  const now = deps.now ?? (() => Date.now());
  const rep = () => loadRep(db, deps.zone);
  // The sender as the preflight and the preview see it: its own address is refused as a contact and its
  // caps spread the batch (the runner applies both to the chosen mailbox too).
  const sender = async (mailbox?: string) => {
    const r = await rep();
    return mailbox ? { ...r, email: mailbox.trim().toLowerCase() } : r;
  };

  async function liveByContact(contactIds: string[]) {
    const live = (await db.enrollments.where('contactId').anyOf(contactIds).toArray()).filter(
      (e) => e.status === 'active' || e.status === 'paused',
    );
    const map = new Map<string, Enrollment[]>();
    for (const e of live) map.set(e.contactId, [...(map.get(e.contactId) ?? []), e]);
    return map;
  }

  return {
    watchIndex(onChange, onError) {
      const sub = liveQuery(async () => {
        const [contacts, enrollments, suppressions, sequences] = await Promise.all([
          db.contacts.toArray(),
          db.enrollments.toArray(),
          db.suppressions.toArray(),
          db.sequences.toArray(),
        ]);
        return buildContactIndex({
          contacts,
          enrollments,
          suppressions: new Map(suppressions.map((s) => [s.email, s.reason])),
          sequenceNames: new Map(sequences.map((s) => [s.id, s.name])),
        });
      }).subscribe({ next: onChange, error: (e) => onError?.(e) });
      return () => sub.unsubscribe();
    },

    watchContact(id, onChange) {
      const sub = liveQuery(async (): Promise<ContactDetail | null> => {
        const contact = await db.contacts.get(id);
        if (!contact) return null;
        const [enrollments, tasks, suppression] = await Promise.all([
          db.enrollments.where('contactId').equals(id).toArray(),
          db.tasks
            .where('enrollmentId')
            .anyOf((await db.enrollments.where('contactId').equals(id).primaryKeys()) as string[])
            .toArray(),
          db.suppressions.get(contact.email),
        ]);
        const sequences = new Map(
          (await db.sequences.bulkGet([...new Set(enrollments.map((e) => e.sequenceId))]))
            .filter((s): s is Sequence => s !== undefined)
            .map((s) => [s.id, s]),
        );
        const events = await db.events
          .where('enrollmentId')
          .anyOf(enrollments.map((e) => e.id))
          .toArray();
        return {
          contact,
          ...(suppression ? { doNotContact: suppression.reason } : {}),
          enrollments: enrollments
            .sort((a, b) => b.enrolledAt - a.enrolledAt)
            .map((enrollment) => ({ enrollment, sequence: sequences.get(enrollment.sequenceId) })),
          tasks: tasks.sort((a, b) => a.dueAt - b.dueAt),
          timeline: contactTimeline(events, new Map([...sequences].map(([k, s]) => [k, s.name]))),
        };
      }).subscribe({ next: onChange, error: () => onChange(null) });
      return () => sub.unsubscribe();
    },

    async saveContact(input) {
      const parsed = ContactSchema.safeParse(input);
      if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
      const contact = { ...parsed.data, domain: parsed.data.domain ?? parsed.data.email.split('@')[1] };
      const clash = await db.contacts.where('email').equals(contact.email).first();
      if (clash && clash.id !== contact.id)
        return { ok: false, error: `email: ${contact.email} is another contact` };
      await db.contacts.put(contact);
      const r = await rep();
      const paused = await db.enrollments.where('contactId').equals(contact.id).toArray();
      let resumed = 0;
      for (const e of paused) {
        if (!waitsOnlyForValues(e, await db.sequences.get(e.sequenceId), contact, r)) continue;
        await deps.act(e.id, 'resume');
        resumed++;
      }
      return { ok: true, contact, resumed };
    },

    rep,

    mailboxes: () => deps.mailboxes(),

    async sequences() {
      return (await db.sequences.toArray())
        .filter((s) => !s.archived)
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async preflight(req) {
      const sequence = await db.sequences.get(req.sequenceId);
      if (!sequence) throw new Error(`No sequence ${req.sequenceId}`);
      const emails = req.candidates.flatMap((c) => {
        const email = (c as { email?: unknown } | null)?.email;
        return typeof email === 'string' ? [email.trim().toLowerCase()] : [];
      });
      const [known, suppressed, sequences] = await Promise.all([
        db.contacts.where('email').anyOf(emails).toArray(),
        db.suppressions.where('email').anyOf(emails).primaryKeys(),
        db.sequences.toArray(),
      ]);
      return preflight({
        sequence,
        startStep: req.startStep,
        rep: await sender(req.mailbox),
        candidates: req.candidates,
        known: new Map(known.map((c) => [c.email, c])),
        liveEnrollments: await liveByContact(known.map((c) => c.id)),
        suppressed: new Set(suppressed as string[]),
        sequenceNames: new Map(sequences.map((s) => [s.id, s.name])),
      });
    },

    async previewBatch(req) {
      const sequence = await db.sequences.get(req.sequenceId);
      if (!sequence) throw new Error(`No sequence ${req.sequenceId}`);
      const r = await sender(req.mailbox);
      const at = now();
      const recent = await db.sends
        .where('[mailbox+sentAt]')
        .between([r.email, at - DAY_MS], [r.email, at], true, true)
        .toArray();
      return previewBatch({
        sequence,
        startStep: req.startStep,
        rep: r,
        contacts: req.contacts.map((c, i) => {
          const given = c as Partial<Contact> & { email: string };
          return { ...given, id: given.id ?? `batch-${i}`, custom: given.custom ?? {} };
        }),
        now: at,
        recentSends: recent.map((s) => s.sentAt),
        teamHolidays: await loadTeamHolidays(db),
      });
    },

    async enroll(req) {
      const sequence = await db.sequences.get(req.sequenceId);
      const answer = await deps.submit({
        sequenceId: req.sequenceId,
        startStep: req.startStep,
        // The rep's own mailbox is the runner's default, which also enrolls before any mailbox is connected.
        ...(req.mailbox && req.mailbox !== (await rep()).email ? { mailbox: req.mailbox } : {}),
        contacts: req.contacts,
      });
      const report: BulkReport = {
        at: now(),
        sequenceName: sequence?.name ?? req.sequenceId,
        enrolled: answer.enrolled,
        rejected: answer.rejected,
        leftOut: req.leftOut,
      };
      await db.meta.put({ key: LAST_REPORT_KEY, value: report });
      return report;
    },

    async lastReport() {
      return (await db.meta.get(LAST_REPORT_KEY))?.value as BulkReport | undefined;
    },
  };
}
