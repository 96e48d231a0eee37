/**
 * What a sync mutation means for the CRM: the activities it makes (a sent email, a reply, an
 * out-of-office, bounce or unsubscribe note, a booked meeting, a completed task), each with its
 * deterministic id. Reads the rows it needs through `get`; writes nothing.
 */
import type { Contact } from '../../lib/domain/contact';
import type { Enrollment } from '../../lib/domain/enrollment';
import type { Event } from '../../lib/domain/event';
import type { Task } from '../../lib/domain/task';
import type { EntityKind } from '../../lib/contract/sync';
import { safeEmailHtml } from './email-html';
import type { CrmActivity, CrmContactHint } from './provider';

export type RowReader = (kind: EntityKind, id: string) => Promise<Record<string, unknown> | undefined>;

/** An activity as the outbox keeps it (owner and deals are added when it is sent). */
export type PlannedActivity = CrmActivity extends infer A
  ? A extends CrmActivity
    ? Omit<A, 'ownerId' | 'dealIds'>
    : never
  : never;

export interface Planned {
  activity: PlannedActivity;
  contactId: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function hint(c: Contact): CrmContactHint {
  return {
    email: c.email,
    ...(c.firstName ? { firstName: c.firstName } : {}),
    ...(c.lastName ? { lastName: c.lastName } : {}),
    ...(c.company ? { company: c.company } : {}),
    ...(c.title ? { title: c.title } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.domain ? { domain: c.domain } : {}),
  };
}

const BOUNCE_NOTE = (e: Event) => {
  const d = e.data ?? {};
  const permanent = d.permanent === true;
  const why = str(d.reason) ?? 'delivery failed';
  const status = str(d.status);
  return `Threadline: an email to this contact bounced (${permanent ? 'permanent' : 'temporary'}: ${why}${status ? `, ${status}` : ''}).${permanent ? ' The address is on the team’s do-not-contact list.' : ''}`;
};

/** The text bound the CRM gets (a device's event may carry anything: bounded again here). */
const TEXT_MAX = 8_000;

/** An email body from the event: the text bounded, the HTML only as cleaned (email-html.ts). */
function bodyOf(data: Record<string, unknown>): { text?: string; html?: string } {
  const text = str(data.text);
  const html = safeEmailHtml(data.html);
  return { ...(text ? { text: text.slice(0, TEXT_MAX) } : {}), ...(html ? { html } : {}) };
}

/** The activity of one recorded event, if it makes one. */
async function fromEvent(event: Event, get: RowReader, mailbox: string): Promise<Planned | undefined> {
  const enrollment = event.enrollmentId
    ? ((await get('enrollment', event.enrollmentId)) as Enrollment | undefined)
    : undefined;
  const contactId = event.contactId ?? enrollment?.contactId;
  if (!contactId) return undefined;
  const contact = (await get('contact', contactId)) as Contact | undefined;
  if (!contact?.email) return undefined;
  const data = event.data ?? {};
  const rep = { email: enrollment?.mailbox ?? event.mailbox ?? mailbox };
  const base = { at: event.at, contact: hint(contact) };
  const person = {
    email: contact.email,
    ...(contact.firstName ? { firstName: contact.firstName } : {}),
    ...(contact.lastName ? { lastName: contact.lastName } : {}),
  };
  const subject = str(data.subject) ?? enrollment?.threadSubject ?? '(no subject)';
  const planned = (activity: PlannedActivity): Planned => ({ activity, contactId });
  switch (event.type) {
    case 'sent':
      return planned({
        ...base,
        id: `email:${event.id}`,
        kind: 'email',
        direction: 'outgoing',
        subject,
        ...bodyOf(data),
        from: rep,
        to: [person],
      });
    case 'replied':
      return planned({
        ...base,
        id: `email:${event.id}`,
        kind: 'email',
        direction: 'incoming',
        subject: subject.startsWith('Re:') ? subject : `Re: ${subject}`,
        // The person's own words (the runner cuts the quoted thread off before recording them).
        ...bodyOf(data),
        from: person,
        to: [rep],
      });
    case 'out_of_office': {
      const until =
        typeof data.until === 'number' ? new Date(data.until).toISOString().slice(0, 10) : undefined;
      return planned({
        ...base,
        id: `note:${event.id}`,
        kind: 'note',
        body: `Threadline: out-of-office reply${until ? `; back on ${until}` : ''}. The sequence is paused until then.`,
      });
    }
    case 'bounced':
      return planned({ ...base, id: `note:${event.id}`, kind: 'note', body: BOUNCE_NOTE(event) });
    case 'unsubscribed':
      return planned({
        ...base,
        id: `note:${event.id}`,
        kind: 'note',
        body:
          data.complaint === true
            ? 'Threadline: this contact reported our email as spam. The address is on the team’s do-not-contact list.'
            : 'Threadline: this contact unsubscribed. The address is on the team’s do-not-contact list.',
      });
    case 'meeting_booked':
      return planned({
        ...base,
        id: `meeting:${event.id}`,
        kind: 'meeting',
        title: str(data.title) ?? `Meeting with ${contact.firstName ?? contact.email}`,
        start: typeof data.start === 'number' ? data.start : event.at,
        ...(typeof data.end === 'number' ? { end: data.end } : {}),
      });
    default:
      return undefined;
  }
}

/** The activity of a completed task. */
async function fromTask(taskId: string, get: RowReader): Promise<Planned | undefined> {
  const task = (await get('task', taskId)) as Task | undefined;
  if (!task || task.status !== 'completed') return undefined;
  const contact = (await get('contact', task.contactId)) as Contact | undefined;
  if (!contact?.email) return undefined;
  const enrollment = (await get('enrollment', task.enrollmentId)) as Enrollment | undefined;
  const at = task.doneAt ?? task.dueAt;
  const base = { id: `task:${task.id}`, at, contact: hint(contact) };
  const notes = [task.outcomeNotes, task.notes].filter(Boolean).join('\n\n');
  const planned = (activity: PlannedActivity): Planned => ({ activity, contactId: task.contactId });
  switch (task.type) {
    case 'call':
      return planned({
        ...base,
        kind: 'call',
        title: task.title,
        ...(notes ? { body: notes } : {}),
        ...(task.outcome ? { outcome: task.outcome } : {}),
      });
    case 'manual_email':
      return planned({
        ...base,
        kind: 'email',
        direction: 'outgoing',
        subject: task.title,
        ...(notes ? { text: notes } : {}),
        from: { email: enrollment?.mailbox ?? '' },
        to: [{ email: contact.email }],
      });
    case 'linkedin':
      return planned({
        ...base,
        kind: 'task',
        subject: task.title,
        ...(notes ? { body: notes } : {}),
        taskType: 'LINKED_IN_MESSAGE',
        completed: true,
      });
    default:
      return planned({
        ...base,
        kind: 'task',
        subject: task.title,
        ...(notes ? { body: notes } : {}),
        taskType: 'TODO',
        completed: true,
      });
  }
}

/** The activities one applied mutation makes. */
export async function activitiesOf(
  name: string,
  args: unknown,
  get: RowReader,
  mailbox: string,
): Promise<Planned[]> {
  if (typeof args !== 'object' || args === null) return [];
  const a = args as Record<string, unknown>;
  if (name === 'events.record' && Array.isArray(a.events)) {
    const out: Planned[] = [];
    for (const e of a.events as Event[]) {
      const p = await fromEvent(e, get, mailbox);
      if (p) out.push(p);
    }
    return out;
  }
  if (name === 'task.complete' && typeof a.taskId === 'string') {
    const p = await fromTask(a.taskId, get);
    return p ? [p] : [];
  }
  return [];
}
