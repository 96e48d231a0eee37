import type { Contact } from '../../lib/domain/contact';
import type { CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import type { Runtime } from '../../lib/protocol/endpoints';
import { lookupCrm } from './crm-lookup-cache';

export type CrmField = 'firstName' | 'company' | 'title' | 'timeZone';

/** Which fields of which contact came from the CRM: shown to the rep in the enroll form. */
export interface CrmFilled {
  email: string;
  fields: CrmField[];
}

/**
 * The contacts about to be enrolled with their first name, company, title and time zone taken from the CRM
 * where they have none: what the thread (or the contact as saved) shows always wins.
 */
export function withCrmDetails(
  contacts: Contact[],
  answer: CrmLookupReceived | undefined,
): { contacts: Contact[]; filled: CrmFilled[] } {
  if (answer?.state !== 'found') return { contacts, filled: [] };
  const byEmail = new Map(answer.people.map((p) => [p.email.toLowerCase(), p.contact]));
  const filled: CrmFilled[] = [];
  const out = contacts.map((c) => {
    const crm = byEmail.get(c.email.toLowerCase());
    if (!crm) return c;
    const from: Record<CrmField, string | undefined> = {
      firstName: crm.firstName,
      company: crm.company,
      title: crm.jobTitle,
      timeZone: crm.timeZone,
    };
    const next: Contact = { ...c };
    const fields: CrmField[] = [];
    for (const field of ['firstName', 'company', 'title', 'timeZone'] as const) {
      const value = from[field]?.trim();
      if (!value || c[field]?.trim()) continue;
      next[field] = value;
      fields.push(field);
    }
    if (fields.length) filled.push({ email: c.email, fields });
    return next;
  });
  return { contacts: out, filled };
}

/** The filled fields by contact id, as the enroll form marks them (it edits contacts by id). */
export function crmFilledById(filled: CrmFilled[], contacts: Contact[]): Record<string, CrmField[]> {
  const out: Record<string, CrmField[]> = {};
  for (const f of filled) {
    const contact = contacts.find((c) => c.email.toLowerCase() === f.email.toLowerCase());
    if (contact) out[contact.id] = f.fields;
  }
  return out;
}

/**
 * The CRM answer for the enroll form: the one the CRM section already has, or a fresh one, never waited on
 * longer than `waitMs` (enrolling does not depend on HubSpot).
 */
export async function crmForEnroll(
  runtime: Runtime,
  emails: string[],
  waitMs = 2000,
): Promise<CrmLookupReceived | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
  try {
    return await Promise.race([lookupCrm(runtime, emails).catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
