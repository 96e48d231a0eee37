import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Rep } from '../domain/rep';
import type { Sequence } from '../domain/sequence';
import { calendarOf } from '../engine/plan';
import type { SendCalendar } from '../engine/calendar';
import type { RunnerDeps } from './deps';
import type { Store } from '../db/database';

export interface EnrollmentContext {
  sequence: Sequence;
  contact: Contact;
  rep: Rep;
  cal: SendCalendar;
}

/** Loads what the engine needs to reason about one enrollment. Call inside a transaction that covers the tables. */
export async function contextOf(deps: RunnerDeps, store: Store, e: Enrollment): Promise<EnrollmentContext> {
  const [sequence, contact] = await Promise.all([
    store.sequences.get(e.sequenceId),
    store.contacts.get(e.contactId),
  ]);
  if (!sequence) throw new Error(`Enrollment ${e.id}: sequence ${e.sequenceId} is missing`);
  if (!contact) throw new Error(`Enrollment ${e.id}: contact ${e.contactId} is missing`);
  const rep = await deps.rep();
  const holidays = (await deps.teamHolidays?.()) ?? [];
  return { sequence, contact, rep, cal: calendarOf({ sequence, contact }, rep, holidays) };
}

/** Deterministic RFC 5322 Message-ID for a step of an enrollment: the exactly-once key. */
export function messageIdFor(e: Pick<Enrollment, 'id' | 'mailbox'>, stepIndex: number): string {
  const domain = e.mailbox.split('@')[1] ?? 'threadline.invalid';
  const local = e.id.replace(/[^A-Za-z0-9.-]/g, '-');
  return `<tl.${local}.${stepIndex}@${domain}>`;
}
