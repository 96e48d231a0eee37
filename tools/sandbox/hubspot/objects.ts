/**
 * The HubSpot CRM object model the sandbox serves: object types and their ids, the built-in properties with
 * their types and allowed values, the HubSpot-defined association type ids, the default deal pipeline.
 * Facts from HubSpot's published API descriptions (see tools/sandbox/hubspot/README.md), in our own tables.
 */

export const OBJECT_TYPES = [
  'contacts',
  'companies',
  'deals',
  'emails',
  'notes',
  'calls',
  'meetings',
  'tasks',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];
export const ACTIVITY_TYPES = ['emails', 'notes', 'calls', 'meetings', 'tasks'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const TYPE_ID: Record<ObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tasks: '0-27',
  notes: '0-46',
  meetings: '0-47',
  calls: '0-48',
  emails: '0-49',
};

const SINGULAR: Record<string, ObjectType> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  email: 'emails',
  note: 'notes',
  call: 'calls',
  meeting: 'meetings',
  task: 'tasks',
};

/** The object type a path segment names: the plural name, the singular, or the type id (`0-49`). */
export function objectTypeOf(segment: string): ObjectType | undefined {
  const s = segment.toLowerCase();
  if ((OBJECT_TYPES as readonly string[]).includes(s)) return s as ObjectType;
  if (SINGULAR[s]) return SINGULAR[s];
  return OBJECT_TYPES.find((t) => TYPE_ID[t] === s);
}

export const isActivity = (t: ObjectType): t is ActivityType =>
  (ACTIVITY_TYPES as readonly string[]).includes(t);

/** HubSpot-defined association type ids (category HUBSPOT_DEFINED), by direction. */
const DEFINED: [from: ObjectType, to: ObjectType, typeId: number, label: string | null][] = [
  ['emails', 'contacts', 198, null],
  ['emails', 'companies', 186, null],
  ['emails', 'deals', 210, null],
  ['tasks', 'contacts', 204, null],
  ['tasks', 'companies', 192, null],
  ['tasks', 'deals', 216, null],
  ['calls', 'contacts', 194, null],
  ['calls', 'companies', 182, null],
  ['calls', 'deals', 206, null],
  ['notes', 'contacts', 202, null],
  ['notes', 'companies', 190, null],
  ['notes', 'deals', 214, null],
  ['meetings', 'contacts', 200, null],
  ['meetings', 'companies', 188, null],
  ['meetings', 'deals', 212, null],
  ['contacts', 'contacts', 449, null],
  ['contacts', 'companies', 279, null],
  ['contacts', 'companies', 1, 'Primary'],
  ['contacts', 'deals', 4, null],
  ['companies', 'contacts', 280, null],
  ['companies', 'contacts', 2, 'Primary'],
  ['companies', 'companies', 450, null],
  ['companies', 'deals', 342, null],
  ['companies', 'deals', 6, 'Primary'],
  ['deals', 'contacts', 3, null],
  ['deals', 'companies', 341, null],
  ['deals', 'companies', 5, 'Primary'],
  ['deals', 'deals', 451, null],
  ['contacts', 'emails', 197, null],
  ['contacts', 'tasks', 203, null],
  ['contacts', 'calls', 193, null],
  ['contacts', 'notes', 201, null],
  ['contacts', 'meetings', 199, null],
  ['companies', 'emails', 185, null],
  ['companies', 'tasks', 191, null],
  ['companies', 'calls', 181, null],
  ['companies', 'notes', 189, null],
  ['companies', 'meetings', 187, null],
  ['deals', 'emails', 209, null],
  ['deals', 'tasks', 215, null],
  ['deals', 'calls', 205, null],
  ['deals', 'notes', 213, null],
  ['deals', 'meetings', 211, null],
];

export interface AssociationKind {
  category: 'HUBSPOT_DEFINED';
  typeId: number;
  label: string | null;
}

/** The defined types from one object type to another (the unlabeled one first). */
export function definedTypes(from: ObjectType, to: ObjectType): AssociationKind[] {
  return DEFINED.filter(([f, t]) => f === from && t === to)
    .sort((a, b) => Number(a[3] !== null) - Number(b[3] !== null))
    .map(([, , typeId, label]) => ({ category: 'HUBSPOT_DEFINED', typeId, label }));
}

/** The type id of the opposite direction for a defined pair (the same label, the other way). */
export function reverseTypeId(from: ObjectType, to: ObjectType, typeId: number): number | undefined {
  const here = definedTypes(from, to);
  const back = definedTypes(to, from);
  const i = here.findIndex((k) => k.typeId === typeId);
  return i < 0 ? undefined : back[i]?.typeId;
}

export type PropertyType =
  'bool' | 'date' | 'datetime' | 'enumeration' | 'number' | 'phone_number' | 'string';
export const PROPERTY_TYPES: PropertyType[] = [
  'bool',
  'date',
  'datetime',
  'enumeration',
  'number',
  'phone_number',
  'string',
];
export const FIELD_TYPES = [
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
];

export interface PropertyDef {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: { label: string; value: string; displayOrder: number; hidden: boolean }[];
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  /** Written by HubSpot only: a client's value is ignored. */
  readOnlyValue: boolean;
  createdAt: string;
  updatedAt: string;
}

type Spec = [name: string, type: PropertyType, options?: string[], readOnly?: boolean];

const COMMON: Spec[] = [
  ['hs_object_id', 'number', undefined, true],
  ['hs_createdate', 'datetime', undefined, true],
  ['hs_lastmodifieddate', 'datetime', undefined, true],
  ['createdate', 'datetime', undefined, true],
  ['lastmodifieddate', 'datetime', undefined, true],
  ['hubspot_owner_id', 'enumeration'],
];
const ACTIVITY_COMMON: Spec[] = [
  ['hs_timestamp', 'datetime'],
  ['hs_attachment_ids', 'enumeration'],
  ['hs_activity_type', 'enumeration'],
];

/** The portal's currencies: its company currency first, then the ones added (multi-currency). */
export const SANDBOX_CURRENCIES = ['USD', 'EUR', 'GBP'] as const;

const BUILT_IN: Record<ObjectType, Spec[]> = {
  contacts: [
    ['email', 'string'],
    ['firstname', 'string'],
    ['lastname', 'string'],
    ['company', 'string'],
    ['jobtitle', 'string'],
    ['phone', 'string'],
    ['mobilephone', 'string'],
    ['website', 'string'],
    ['hs_timezone', 'enumeration'],
    [
      'lifecyclestage',
      'enumeration',
      [
        'subscriber',
        'lead',
        'marketingqualifiedlead',
        'salesqualifiedlead',
        'opportunity',
        'customer',
        'evangelist',
        'other',
      ],
    ],
    ['hs_email_optout', 'bool', undefined, true],
    ['notes_last_updated', 'datetime', undefined, true],
    ['hs_additional_emails', 'enumeration', undefined, true],
  ],
  companies: [
    ['name', 'string'],
    ['domain', 'string'],
    ['industry', 'string'],
    ['city', 'string'],
    ['hs_lastmodifieddate', 'datetime', undefined, true],
  ],
  deals: [
    ['dealname', 'string'],
    ['dealstage', 'enumeration'],
    ['pipeline', 'enumeration'],
    ['amount', 'number'],
    ['deal_currency_code', 'enumeration', [...SANDBOX_CURRENCIES]],
    ['closedate', 'datetime'],
    ['dealtype', 'enumeration', ['newbusiness', 'existingbusiness']],
    ['description', 'string'],
    ['hs_lastmodifieddate', 'datetime', undefined, true],
  ],
  emails: [
    ...ACTIVITY_COMMON,
    ['hs_email_direction', 'enumeration', ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']],
    ['hs_email_status', 'enumeration', ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT']],
    ['hs_email_subject', 'string'],
    ['hs_email_text', 'string'],
    ['hs_email_html', 'string'],
    ['hs_email_headers', 'string'],
    ['hs_email_from_email', 'string', undefined, true],
    ['hs_email_from_firstname', 'string', undefined, true],
    ['hs_email_from_lastname', 'string', undefined, true],
    ['hs_email_to_email', 'string', undefined, true],
    ['hs_email_to_firstname', 'string', undefined, true],
    ['hs_email_to_lastname', 'string', undefined, true],
  ],
  notes: [...ACTIVITY_COMMON, ['hs_note_body', 'string']],
  calls: [
    ...ACTIVITY_COMMON,
    ['hs_call_title', 'string'],
    ['hs_call_body', 'string'],
    ['hs_call_direction', 'enumeration', ['INBOUND', 'OUTBOUND']],
    [
      'hs_call_status',
      'enumeration',
      [
        'BUSY',
        'CALLING_CRM_USER',
        'CANCELED',
        'COMPLETED',
        'CONNECTING',
        'FAILED',
        'IN_PROGRESS',
        'NO_ANSWER',
        'QUEUED',
        'RINGING',
      ],
    ],
    ['hs_call_duration', 'number'],
    ['hs_call_disposition', 'enumeration'],
    ['hs_call_from_number', 'string'],
    ['hs_call_to_number', 'string'],
    ['hs_call_recording_url', 'string'],
  ],
  meetings: [
    ...ACTIVITY_COMMON,
    ['hs_meeting_title', 'string'],
    ['hs_meeting_body', 'string'],
    ['hs_internal_meeting_notes', 'string'],
    ['hs_meeting_start_time', 'datetime'],
    ['hs_meeting_end_time', 'datetime'],
    ['hs_meeting_outcome', 'enumeration', ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED']],
    ['hs_meeting_location', 'string'],
    ['hs_meeting_external_url', 'string'],
  ],
  tasks: [
    ...ACTIVITY_COMMON,
    ['hs_task_subject', 'string'],
    ['hs_task_body', 'string'],
    ['hs_task_status', 'enumeration', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']],
    ['hs_task_priority', 'enumeration', ['NONE', 'LOW', 'MEDIUM', 'HIGH']],
    ['hs_task_type', 'enumeration', ['EMAIL', 'CALL', 'TODO', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE']],
    ['hs_task_reminders', 'enumeration'],
  ],
};

const GROUP: Record<ObjectType, string> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
  emails: 'email',
  notes: 'note',
  calls: 'call',
  meetings: 'meeting',
  tasks: 'task',
};

const FIELD_FOR: Record<PropertyType, string> = {
  bool: 'booleancheckbox',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  number: 'number',
  phone_number: 'phonenumber',
  string: 'text',
};

export function builtInProperties(type: ObjectType, at: string): PropertyDef[] {
  const seen = new Set<string>();
  const out: PropertyDef[] = [];
  for (const [name, ptype, options, readOnly] of [...COMMON, ...BUILT_IN[type]]) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({
      name,
      label: name,
      type: ptype,
      fieldType: FIELD_FOR[ptype],
      groupName: GROUP[type],
      description: '',
      options: (options ?? []).map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })),
      hasUniqueValue: false,
      hidden: false,
      hubspotDefined: true,
      readOnlyValue: readOnly ?? false,
      createdAt: at,
      updatedAt: at,
    });
  }
  return out;
}

/** Properties returned when the request names none. */
export const DEFAULT_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'createdate', 'lastmodifieddate', 'hs_object_id'],
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  deals: [
    'dealname',
    'amount',
    'closedate',
    'pipeline',
    'dealstage',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
  ],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  calls: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  meetings: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Free-text `query` of search covers these. */
export const SEARCHABLE: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'hs_additional_emails', 'mobilephone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
  emails: ['hs_email_subject'],
  notes: ['hs_note_body'],
  tasks: ['hs_task_body', 'hs_task_subject'],
  calls: ['hs_call_title', 'hs_body_preview'],
  meetings: ['hs_meeting_title', 'hs_meeting_body'],
};

/** Not filterable in search. */
export const NOT_FILTERABLE: Partial<Record<ObjectType, string[]>> = {
  emails: ['hs_email_html', 'hs_body_preview', 'hs_body_preview_html'],
  notes: ['hs_body_preview_html'],
  calls: ['hs_body_preview_html'],
  meetings: ['hs_body_preview_html'],
  tasks: ['hs_body_preview_html'],
};

export interface Stage {
  id: string;
  label: string;
  displayOrder: number;
  probability: string;
  isClosed: boolean;
}

export const DEFAULT_STAGES: Stage[] = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
  ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
  ['contractsent', 'Contract Sent', '0.9', false],
  ['closedwon', 'Closed Won', '1.0', true],
  ['closedlost', 'Closed Lost', '0.0', true],
].map(([id, label, probability, isClosed], displayOrder) => ({
  id: id as string,
  label: label as string,
  probability: probability as string,
  isClosed: isClosed as boolean,
  displayOrder,
}));
