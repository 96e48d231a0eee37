/**
 * A written deal's associations in HubSpot: the deal's contacts HubSpot has (matched by email) and their
 * company, each made once. What was associated is remembered on the link (`associated`), so a round never
 * asks HubSpot to make an association twice.
 */
import type { HubSpotDeals } from './deals-hubspot';
import type { DealPlan } from './deals-push';
import type { DealsDb } from './deals-schema';
import { jsonOf } from './deals-store';

/** What the worker's round resolved before the deal round: contact ids by lower-case email, their companies. */
export interface ContactsAhead {
  contacts: ReadonlyMap<string, string>;
  /** Each contact's company by contact id (null: none), for the contacts read. */
  companies?: ReadonlyMap<string, string | null>;
}

/** Makes the missing associations of the written deals; returns each deal's associated list after it. */
export async function associationsFor(
  db: DealsDb,
  teamId: string,
  hubspot: HubSpotDeals,
  plans: DealPlan[],
  ids: Map<string, string>,
  /** The contacts and companies the worker's round already resolved (not looked up again). */
  known?: ContactsAhead,
): Promise<Map<string, string[]>> {
  const contactIdsOf = new Map<string, string[]>();
  const emails = new Map<string, string>();
  const contactRows = await db
    .selectFrom('entities')
    .select(['id', 'data'])
    .where('team_id', '=', teamId)
    .where('kind', '=', 'contact')
    .where('deleted', '=', false)
    .where('id', 'in', [...new Set(plans.flatMap((p) => p.deal.contacts.map((c) => c.contactId))), ''])
    .execute();
  for (const r of contactRows) {
    const email = (r.data as { email?: string } | null)?.email;
    if (email) emails.set(r.id, email.toLowerCase());
  }
  const hsContacts = await hubspot.contactIds([...emails.values()].filter((e) => !known?.contacts.has(e)));
  for (const e of emails.values()) {
    const id = known?.contacts.get(e);
    if (id) hsContacts.set(e, id);
  }
  for (const p of plans)
    contactIdsOf.set(
      p.deal.id,
      p.deal.contacts
        .map((c) => hsContacts.get(emails.get(c.contactId) ?? ''))
        .filter((id): id is string => !!id),
    );
  const companies = await hubspot.companiesOf(
    [...contactIdsOf.values()].flat().filter((id) => !known?.companies?.has(id)),
  );
  for (const [id, company] of known?.companies ?? []) if (company) companies.set(id, company);
  const pairs: { dealId: string; to: 'contacts' | 'companies'; toId: string }[] = [];
  const associatedAfter = new Map<string, string[]>();
  for (const p of plans) {
    const hubspotId = ids.get(p.deal.id) ?? p.hubspotAfter;
    if (!hubspotId) continue;
    const done = new Set(jsonOf<string[]>(p.link.associated, []));
    const contacts = contactIdsOf.get(p.deal.id) ?? [];
    const company = contacts.map((c) => companies.get(c)).find((c) => c);
    const wanted = [
      ...contacts.map((c) => ({ dealId: hubspotId, to: 'contacts' as const, toId: c })),
      ...(company ? [{ dealId: hubspotId, to: 'companies' as const, toId: company }] : []),
    ];
    const fresh = wanted.filter((x) => !done.has(`${x.to}:${x.toId}`));
    pairs.push(...fresh);
    associatedAfter.set(p.deal.id, [...done, ...fresh.map((x) => `${x.to}:${x.toId}`)]);
  }
  if (pairs.length) await hubspot.associate(pairs);
  return associatedAfter;
}
