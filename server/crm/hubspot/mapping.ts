/**
 * Threadline's activities as HubSpot records: the object, its properties and its inline associations
 * (HubSpot-defined association type ids, activity to contact, company and deal). Pure.
 */
import type { ActivityKind, CrmActivity } from '../provider';

/** The custom property, created on connect, that carries each activity's deterministic id. */
export const ACTIVITY_ID_PROPERTY = 'threadline_activity_id';

export const OBJECT_OF: Record<ActivityKind, 'emails' | 'notes' | 'calls' | 'tasks' | 'meetings'> = {
  email: 'emails',
  note: 'notes',
  call: 'calls',
  task: 'tasks',
  meeting: 'meetings',
};

/** The property group each activity object's own properties live in. */
export const GROUP_OF: Record<ActivityKind, string> = {
  email: 'email',
  note: 'note',
  call: 'call',
  task: 'task',
  meeting: 'meeting',
};

/** HubSpot-defined association type ids from each activity object to contact, company and deal. */
export const ASSOCIATION_TYPE: Record<ActivityKind, { contact: number; company: number; deal: number }> = {
  email: { contact: 198, company: 186, deal: 210 },
  task: { contact: 204, company: 192, deal: 216 },
  call: { contact: 194, company: 182, deal: 206 },
  note: { contact: 202, company: 190, deal: 214 },
  meeting: { contact: 200, company: 188, deal: 212 },
};

/** HubSpot's default call outcomes (hs_call_disposition GUIDs). */
const DISPOSITION: Record<string, string> = {
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  left_message: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  left_voicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  no_answer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrong_number: '17b47fee-58de-441e-a44c-c6300d46f273',
};

/** Threadline's call outcome word (any spelling of the default outcomes) as HubSpot's GUID. */
export function dispositionOf(outcome: string | undefined): string | undefined {
  if (!outcome) return undefined;
  const key = outcome
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return DISPOSITION[key] ?? (key === 'voicemail' ? DISPOSITION.left_voicemail : undefined);
}

const MAX_TEXT = 65_536;
const cap = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

const person = (p: { email: string; firstName?: string; lastName?: string }) => ({
  email: p.email,
  ...(p.firstName ? { firstName: p.firstName } : {}),
  ...(p.lastName ? { lastName: p.lastName } : {}),
});

/** The HubSpot properties of an activity. */
export function propertiesOf(a: CrmActivity, withId: boolean): Record<string, string> {
  const props: Record<string, string> = {
    hs_timestamp: String(a.at),
    ...(a.ownerId ? { hubspot_owner_id: a.ownerId } : {}),
    ...(withId ? { [ACTIVITY_ID_PROPERTY]: a.id } : {}),
  };
  switch (a.kind) {
    case 'email':
      return {
        ...props,
        hs_email_direction: a.direction === 'outgoing' ? 'EMAIL' : 'INCOMING_EMAIL',
        hs_email_status: 'SENT',
        hs_email_subject: cap(a.subject),
        ...(a.text !== undefined ? { hs_email_text: cap(a.text) } : {}),
        ...(a.html !== undefined ? { hs_email_html: cap(a.html) } : {}),
        hs_email_headers: JSON.stringify({ from: person(a.from), to: a.to.map(person), cc: [], bcc: [] }),
      };
    case 'note':
      return { ...props, hs_note_body: cap(a.body) };
    case 'call': {
      const disposition = dispositionOf(a.outcome);
      return {
        ...props,
        hs_call_title: cap(a.title),
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        ...(a.body ? { hs_call_body: cap(a.body) } : {}),
        ...(disposition ? { hs_call_disposition: disposition } : {}),
      };
    }
    case 'task':
      return {
        ...props,
        hs_task_subject: cap(a.subject),
        hs_task_type: a.taskType,
        hs_task_status: a.completed ? 'COMPLETED' : 'NOT_STARTED',
        ...(a.body ? { hs_task_body: cap(a.body) } : {}),
      };
    case 'meeting':
      return {
        ...props,
        hs_timestamp: String(a.start),
        hs_meeting_title: cap(a.title),
        hs_meeting_start_time: String(a.start),
        hs_meeting_end_time: String(a.end ?? a.start + 30 * 60_000),
        hs_meeting_outcome: 'SCHEDULED',
        ...(a.body ? { hs_meeting_body: cap(a.body) } : {}),
      };
  }
}

export interface Targets {
  contactId: string;
  companyId?: string;
  dealIds: string[];
}

/** Inline associations of a create input. */
export function associationsOf(kind: ActivityKind, t: Targets) {
  const types = ASSOCIATION_TYPE[kind];
  const one = (id: string, typeId: number) => ({
    to: { id },
    types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
  });
  return [
    one(t.contactId, types.contact),
    ...(t.companyId ? [one(t.companyId, types.company)] : []),
    ...t.dealIds.map((d) => one(d, types.deal)),
  ];
}
