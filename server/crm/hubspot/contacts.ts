/**
 * The contacts of the activities in HubSpot: their ids by email (batch reads, batch creates when the admin
 * allows it), the fields Threadline knows filled where HubSpot has them empty (or where the mapping says
 * Threadline wins), and each contact's company.
 */
import {
  CONTACT_FIELDS,
  CrmError,
  type CrmActivity,
  type CrmContactHint,
  type LogOptions,
  type LogOutcome,
} from '../provider';
import { chunks } from './batches';
import type { HubSpotClient } from './client';

const BATCH = 100;
const lower = (s: string) => s.trim().toLowerCase();

interface BatchResult {
  results: { id: string; properties: Record<string, string | null> }[];
  errors?: { category?: string; message?: string; context?: Record<string, string[]> }[];
}

/** What Threadline knows of a contact, as HubSpot contact properties. */
function contactProperties(c: CrmContactHint): Record<string, string> {
  return {
    ...(c.firstName ? { firstname: c.firstName } : {}),
    ...(c.lastName ? { lastname: c.lastName } : {}),
    ...(c.company ? { company: c.company } : {}),
    ...(c.title ? { jobtitle: c.title } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
  };
}

/**
 * The fields to write to a contact HubSpot has: those it holds empty, and those it holds otherwise where the
 * mapping says Threadline wins; never a non-empty HubSpot value otherwise.
 */
export function contactUpdate(
  hint: CrmContactHint | undefined,
  held: Record<string, string | null>,
  threadlineWins: readonly string[],
): Record<string, string> {
  if (!hint) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(contactProperties(hint))) {
    const current = held[name]?.trim() ?? '';
    if (current === value) continue;
    if (current === '' || threadlineWins.includes(name)) out[name] = value;
  }
  return out;
}

/**
 * The HubSpot contact ids of the activities' contacts, by lower-case email: those in `known` (resolved ahead),
 * the others read in batches by email (their empty fields filled), and those HubSpot lacks created when the
 * admin allows it.
 */
export async function resolveContacts(
  client: HubSpotClient,
  activities: CrmActivity[],
  options: LogOptions,
): Promise<Map<string, string>> {
  const byEmail = new Map<string, CrmActivity['contact']>();
  for (const a of activities) byEmail.set(lower(a.contact.email), a.contact);
  const ids = new Map<string, string>(options.contacts ?? []);
  const emails = [...byEmail.keys()].filter((e) => !ids.has(e));
  const updates: { id: string; properties: Record<string, string> }[] = [];
  for (const part of chunks(emails, BATCH)) {
    const res = await client.request<BatchResult>('POST', '/crm/v3/objects/contacts/batch/read', {
      idProperty: 'email',
      inputs: part.map((id) => ({ id })),
      properties: ['email', ...CONTACT_FIELDS],
    });
    for (const r of res.body.results) {
      if (!r.properties.email) continue;
      const email = lower(r.properties.email);
      ids.set(email, r.id);
      const properties = contactUpdate(
        byEmail.get(email),
        r.properties,
        options.contactFieldsThreadlineWins ?? [],
      );
      if (Object.keys(properties).length) updates.push({ id: r.id, properties });
    }
  }
  await updateContacts(client, updates);
  const missing = emails.filter((e) => !ids.has(e));
  if (missing.length && options.createContacts) {
    for (const part of chunks(missing, BATCH)) {
      const res = await client.request<BatchResult>('POST', '/crm/v3/objects/contacts/batch/create', {
        inputs: part.map((email) => {
          const c = byEmail.get(email)!;
          return { objectWriteTraceId: email, properties: { email, ...contactProperties(c) } };
        }),
      });
      for (const r of res.body.results) if (r.properties.email) ids.set(lower(r.properties.email), r.id);
      // Created meanwhile by someone else (409 in the 207): read again.
      const raced = (res.body.errors ?? []).flatMap((e) => e.context?.objectWriteTraceId ?? []);
      if (raced.length) {
        const again = await client.request<BatchResult>('POST', '/crm/v3/objects/contacts/batch/read', {
          idProperty: 'email',
          inputs: raced.map((id) => ({ id })),
          properties: ['email'],
        });
        for (const r of again.body.results) if (r.properties.email) ids.set(lower(r.properties.email), r.id);
      }
    }
  }
  return ids;
}

/** The contact ids of the activities (resolveContacts); those whose contact HubSpot lacks are skipped. */
export async function contactIds(
  client: HubSpotClient,
  activities: CrmActivity[],
  options: LogOptions,
  outcomes: Map<string, LogOutcome>,
): Promise<Map<string, string>> {
  const ids = await resolveContacts(client, activities, options);
  for (const a of activities)
    if (!ids.has(lower(a.contact.email)))
      outcomes.set(a.id, {
        id: a.id,
        status: 'skipped',
        reason: options.createContacts
          ? `HubSpot has no contact ${a.contact.email} and did not create one`
          : `${a.contact.email} is not a HubSpot contact, and creating contacts is off`,
      });
  return ids;
}

/**
 * Fills the contacts' fields (batch updates of 100). Best effort: a refusal is left for the next activity of
 * the contact to try again, and never holds up the activities themselves.
 */
async function updateContacts(
  client: HubSpotClient,
  updates: { id: string; properties: Record<string, string> }[],
): Promise<void> {
  for (const part of chunks(updates, BATCH)) {
    try {
      await client.request('POST', '/crm/v3/objects/contacts/batch/update', { inputs: part });
    } catch (e) {
      if (e instanceof CrmError && e.name === 'CrmDailyLimitError') throw e;
    }
  }
}

/** Each contact's company in HubSpot (the primary one when labelled), in one batch read per 1,000. */
export async function companiesOf(client: HubSpotClient, contactIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(contactIds, 1000)) {
    if (!part.length) continue;
    const res = await client.request<{
      results: {
        from: { id: string };
        to: { toObjectId: number; associationTypes: { typeId: number }[] }[];
      }[];
    }>('POST', '/crm/v4/associations/contacts/companies/batch/read', {
      inputs: part.map((id) => ({ id })),
    });
    for (const r of res.body.results) {
      const primary = r.to.find((t) => t.associationTypes.some((x) => x.typeId === 1)) ?? r.to[0];
      if (primary) out.set(r.from.id, String(primary.toObjectId));
    }
  }
  return out;
}
