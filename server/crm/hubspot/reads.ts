/**
 * The thread panel's reads from HubSpot: contacts by email with their deals' ids (one contacts batch read and
 * one associations batch read for up to 100 addresses), deals by id (one batch read), the deal pipelines,
 * and the address of a record in HubSpot's app. HubSpot's property names stay here.
 */
import type { CrmContactRecord, CrmDealRecord, CrmPipeline } from '../provider';
import type { HubSpotClient } from './client';
import { chunks } from './batches';

const BATCH = 100;
const CONTACT_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'hubspot_owner_id',
  'lifecyclestage',
  // HubSpot's "Last activity date".
  'notes_last_updated',
  'company',
  'jobtitle',
  'hs_timezone',
];
const DEAL_PROPERTIES = [
  'dealname',
  'pipeline',
  'dealstage',
  'amount',
  'closedate',
  'hubspot_owner_id',
  // The Threadline deal a HubSpot deal stands for (the deal bridge's unique property; absent until created).
  'threadline_deal_id',
];

interface BatchRead {
  results: { id: string; properties: Record<string, string | null | undefined> }[];
}

const text = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? undefined : v);
const date = (v: string | null | undefined) => {
  if (!v) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
};
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * HubSpot's `hs_timezone` value (`america_slash_new_york`, `us_slash_eastern`) as an IANA zone the browser
 * knows, or undefined when it does not make one.
 */
export function ianaZoneOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const parts = value.toLowerCase().split('_slash_');
  const title = (s: string) =>
    s
      .split('_')
      .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
      .join('_');
  const candidates = [
    parts.map(title).join('/'),
    // US/Eastern, GB, UTC: short region names are upper case.
    parts.map((p, i) => (i === 0 && p.length <= 3 ? p.toUpperCase() : title(p))).join('/'),
  ];
  for (const zone of candidates) {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      // not a zone: try the next spelling
    }
  }
  return undefined;
}

export async function lookupContacts(client: HubSpotClient, emails: string[]): Promise<CrmContactRecord[]> {
  const found: CrmContactRecord[] = [];
  for (const part of chunks(emails, BATCH)) {
    if (!part.length) continue;
    const res = await client.request<BatchRead>('POST', '/crm/v3/objects/contacts/batch/read', {
      idProperty: 'email',
      inputs: part.map((id) => ({ id })),
      properties: CONTACT_PROPERTIES,
    });
    for (const r of res.body.results) {
      const p = r.properties;
      const email = text(p.email);
      if (!email) continue;
      found.push(
        defined({
          id: r.id,
          email: email.toLowerCase(),
          firstName: text(p.firstname),
          lastName: text(p.lastname),
          ownerId: text(p.hubspot_owner_id),
          lifecycleStage: text(p.lifecyclestage),
          lastActivityAt: date(p.notes_last_updated),
          company: text(p.company),
          jobTitle: text(p.jobtitle),
          timeZone: ianaZoneOf(text(p.hs_timezone)),
          dealIds: [],
        }),
      );
    }
  }
  if (!found.length) return found;
  const byId = new Map(found.map((c) => [c.id, c]));
  const res = await client.request<{
    results: { from: { id: string }; to: { toObjectId: number | string }[] }[];
  }>('POST', '/crm/v4/associations/contacts/deals/batch/read', {
    inputs: found.map((c) => ({ id: c.id })),
  });
  for (const r of res.body.results) {
    const contact = byId.get(String(r.from.id));
    if (contact) contact.dealIds = [...new Set(r.to.map((t) => String(t.toObjectId)))];
  }
  return found;
}

export async function lookupDeals(client: HubSpotClient, ids: string[]): Promise<CrmDealRecord[]> {
  const out: CrmDealRecord[] = [];
  for (const part of chunks([...new Set(ids)], BATCH)) {
    if (!part.length) continue;
    const res = await client.request<BatchRead>('POST', '/crm/v3/objects/deals/batch/read', {
      inputs: part.map((id) => ({ id })),
      properties: DEAL_PROPERTIES,
    });
    for (const r of res.body.results) {
      const p = r.properties;
      out.push(
        defined({
          id: r.id,
          name: text(p.dealname) ?? `Deal ${r.id}`,
          pipelineId: text(p.pipeline) ?? 'default',
          stageId: text(p.dealstage) ?? '',
          amount: text(p.amount),
          closeDate: date(p.closedate),
          ownerId: text(p.hubspot_owner_id),
          threadlineDealId: text(p.threadline_deal_id),
        }),
      );
    }
  }
  return out;
}

export async function lookupPipelines(client: HubSpotClient): Promise<CrmPipeline[]> {
  const res = await client.request<{
    results: {
      id: string;
      label: string;
      archived?: boolean;
      stages: {
        id: string;
        label: string;
        displayOrder: number;
        archived?: boolean;
        metadata?: { isClosed?: string };
      }[];
    }[];
  }>('GET', '/crm/v3/pipelines/deals');
  return res.body.results.map((p) => ({
    id: p.id,
    label: p.label,
    stages: p.stages.map((s) => ({
      id: s.id,
      label: s.label,
      closed: s.metadata?.isClosed === 'true',
      displayOrder: s.displayOrder,
    })),
  }));
}

/** A record in HubSpot's app (the portal id names the account; app.hubspot.com sends EU portals on). */
export function recordUrl(portalId: string, object: 'contact' | 'deal', id: string): string {
  const type = object === 'contact' ? '0-1' : '0-3';
  return `https://app.hubspot.com/contacts/${encodeURIComponent(portalId)}/record/${type}/${encodeURIComponent(id)}`;
}
