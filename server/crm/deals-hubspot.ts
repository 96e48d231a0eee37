/**
 * The HubSpot calls of the deal bridge, in batches: the unique `threadline_deal_id` property (created once),
 * deals read by it, written with batch upsert by it (so a write repeated after a crash updates the same deal
 * and never makes a second one), associations v4 to contacts and companies, the pipelines, and the deals
 * modified since a time (search on hs_lastmodifieddate).
 */
import type { HubSpotClient } from './hubspot/client';
import { CrmError } from './provider';
import {
  CURRENCY_PROPERTY,
  DEAL_ID_PROPERTY,
  epochOf,
  type HubSpotDealState,
  type HubSpotPipeline,
} from './deals';
import { chunks } from './hubspot/batches';
import { companiesOf } from './hubspot/contacts';

const BATCH = 100;
/** HubSpot-defined association type ids: deal → contact, deal → company (primary). */
const DEAL_TO_CONTACT = 3;
const DEAL_TO_COMPANY_PRIMARY = 5;

interface BatchBody {
  results: {
    id: string;
    properties: Record<string, string | null>;
    propertiesWithHistory?: Record<string, { value: string; timestamp: string }[]>;
  }[];
  errors?: { category?: string; message?: string; id?: string; context?: { ids?: string[] } }[];
}

/**
 * When the deal entered its current stage: the newest dealstage history entry carrying that stage (HubSpot
 * lists history newest first); the modification date only when HubSpot sent no history.
 */
function stageTimeOf(r: BatchBody['results'][number]): number {
  const modified = epochOf(r.properties.hs_lastmodifieddate);
  const history = r.propertiesWithHistory?.dealstage;
  if (!history) return modified;
  const set = history
    .filter((h) => h.value === r.properties.dealstage)
    .map((h) => epochOf(h.timestamp))
    .sort((a, b) => b - a)[0];
  return set || modified;
}

const stateOf = (r: BatchBody['results'][number]): HubSpotDealState => ({
  id: r.id,
  properties: r.properties,
  modifiedAt: epochOf(r.properties.hs_lastmodifieddate),
  stageAt: stageTimeOf(r),
});

/** The history asked along with the properties, so stageAt is the stage's own time. */
const WITH_HISTORY = ['dealstage'];

export const DEAL_READ_PROPERTIES = [
  DEAL_ID_PROPERTY,
  'dealname',
  'amount',
  CURRENCY_PROPERTY,
  'closedate',
  'pipeline',
  'dealstage',
  'hubspot_owner_id',
  'hs_lastmodifieddate',
];

export class HubSpotDeals {
  /** `prepared`: the property was checked over this connection already (deals-sync.ts keeps that per team). */
  constructor(
    private readonly client: HubSpotClient,
    private prepared = false,
  ) {}

  /** Whether the id property is known to be there (checked or created). */
  get isPrepared(): boolean {
    return this.prepared;
  }

  /** The unique id property on deals: read, else created (HubSpot allows unique properties on deals). */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    const existing = await this.client
      .request<{ hasUniqueValue: boolean }>('GET', `/crm/v3/properties/deals/${DEAL_ID_PROPERTY}`)
      .catch((e: unknown) => {
        if (e instanceof CrmError && e.status === 404) return undefined;
        throw e;
      });
    if (existing && !existing.body.hasUniqueValue)
      throw new CrmError(
        `the HubSpot deal property ${DEAL_ID_PROPERTY} exists but is not unique: delete it in HubSpot so Threadline can create it`,
        400,
        false,
      );
    if (!existing)
      await this.client
        .request('POST', '/crm/v3/properties/deals', {
          name: DEAL_ID_PROPERTY,
          label: 'Threadline deal id',
          description: 'Set by Threadline: the id of the Threadline deal this deal mirrors.',
          type: 'string',
          fieldType: 'text',
          groupName: 'dealinformation',
          hasUniqueValue: true,
        })
        .catch((e: unknown) => {
          // Created meanwhile by another worker.
          if (!(e instanceof CrmError && e.status === 409)) throw e;
        });
    this.prepared = true;
  }

  /** The HubSpot deals carrying these Threadline ids, by Threadline id. */
  async readByThreadlineId(ids: string[], extra: string[] = []): Promise<Map<string, HubSpotDealState>> {
    const out = new Map<string, HubSpotDealState>();
    for (const part of chunks(ids, BATCH)) {
      const res = await this.client.request<BatchBody>('POST', '/crm/v3/objects/deals/batch/read', {
        idProperty: DEAL_ID_PROPERTY,
        inputs: part.map((id) => ({ id })),
        properties: [...new Set([...DEAL_READ_PROPERTIES, ...extra])],
        propertiesWithHistory: WITH_HISTORY,
      });
      for (const r of res.body.results) {
        const id = r.properties[DEAL_ID_PROPERTY];
        if (id) out.set(id, stateOf(r));
      }
    }
    return out;
  }

  /** One deal by HubSpot id (the thread panel's refresh); undefined when HubSpot has none. */
  async read(hubspotId: string, extra: string[] = []): Promise<HubSpotDealState | undefined> {
    try {
      const res = await this.client.request<BatchBody['results'][number]>(
        'GET',
        `/crm/v3/objects/deals/${encodeURIComponent(hubspotId)}`,
        undefined,
        {
          query: {
            properties: [...new Set([...DEAL_READ_PROPERTIES, ...extra])].join(','),
            propertiesWithHistory: WITH_HISTORY.join(','),
          },
        },
      );
      return stateOf(res.body);
    } catch (e) {
      if (e instanceof CrmError && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * These HubSpot deals by record id: those HubSpot has (by record id), and those it says it does not have
   * (OBJECT_NOT_FOUND: deleted, or archived, which a read without `archived` never returns). An id in neither
   * (HubSpot failed it some other way) is unknown: never taken as gone.
   */
  async readByRecordId(
    hubspotIds: string[],
    extra: string[] = [],
  ): Promise<{ found: Map<string, HubSpotDealState>; missing: Set<string> }> {
    const found = new Map<string, HubSpotDealState>();
    const missing = new Set<string>();
    for (const part of chunks([...new Set(hubspotIds)], BATCH)) {
      if (!part.length) continue;
      const res = await this.client.request<BatchBody>('POST', '/crm/v3/objects/deals/batch/read', {
        inputs: part.map((id) => ({ id })),
        properties: [...new Set([...DEAL_READ_PROPERTIES, ...extra])],
        propertiesWithHistory: WITH_HISTORY,
      });
      for (const r of res.body.results) found.set(r.id, stateOf(r));
      const asked = new Set(part);
      for (const err of res.body.errors ?? [])
        if (err.category === 'OBJECT_NOT_FOUND')
          for (const id of [...(err.context?.ids ?? []), ...(err.id ? [err.id] : [])])
            if (asked.has(id) && !found.has(id)) missing.add(id);
    }
    return { found, missing };
  }

  /** Puts the Threadline deal id back on HubSpot deals whose `threadline_deal_id` someone edited there. */
  async relabel(pairs: { hubspotId: string; dealId: string }[]): Promise<void> {
    for (const part of chunks(pairs, BATCH))
      await this.client.request('POST', '/crm/v3/objects/deals/batch/update', {
        inputs: part.map((p) => ({ id: p.hubspotId, properties: { [DEAL_ID_PROPERTY]: p.dealId } })),
      });
  }

  /**
   * Creates or updates deals by their Threadline id: HubSpot's id of each written one, and HubSpot's message
   * for each it refused, both by Threadline id. A 207 names the refused inputs; a batch HubSpot refuses whole
   * (400) is split in halves until the bad inputs stand alone, so one bad deal does not fail the good ones.
   */
  async upsert(
    inputs: { dealId: string; properties: Record<string, string> }[],
  ): Promise<{ ids: Map<string, string>; refused: Map<string, string> }> {
    const ids = new Map<string, string>();
    const refused = new Map<string, string>();
    const send = async (part: typeof inputs): Promise<void> => {
      let res;
      try {
        res = await this.client.request<BatchBody>('POST', '/crm/v3/objects/deals/batch/upsert', {
          inputs: part.map((i) => ({ id: i.dealId, idProperty: DEAL_ID_PROPERTY, properties: i.properties })),
        });
      } catch (e) {
        if (!(e instanceof CrmError && e.status === 400)) throw e;
        if (part.length === 1) refused.set(part[0]!.dealId, e.message);
        else {
          const half = Math.ceil(part.length / 2);
          await send(part.slice(0, half));
          await send(part.slice(half));
        }
        return;
      }
      for (const r of res.body.results) {
        const id = r.properties[DEAL_ID_PROPERTY];
        if (id) ids.set(id, r.id);
      }
      const sent = new Set(part.map((i) => i.dealId));
      for (const err of res.body.errors ?? []) {
        const named = [...(err.context?.ids ?? []), ...(err.id ? [err.id] : [])].filter((id) => sent.has(id));
        for (const id of named) refused.set(id, err.message ?? 'HubSpot refused this deal');
      }
      // An input HubSpot neither wrote nor named: not written, so not marked synced.
      for (const i of part)
        if (!ids.has(i.dealId) && !refused.has(i.dealId))
          refused.set(i.dealId, 'HubSpot did not write this deal (no result and no error for it)');
    };
    for (const part of chunks(inputs, BATCH)) await send(part);
    return { ids, refused };
  }

  /** HubSpot contact ids by (lower-case) email, for those HubSpot has. */
  async contactIds(emails: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks([...new Set(emails.map((e) => e.toLowerCase()))], BATCH)) {
      if (!part.length) continue;
      const res = await this.client.request<BatchBody>('POST', '/crm/v3/objects/contacts/batch/read', {
        idProperty: 'email',
        inputs: part.map((id) => ({ id })),
        properties: ['email'],
      });
      for (const r of res.body.results)
        if (r.properties.email) out.set(r.properties.email.toLowerCase(), r.id);
    }
    return out;
  }

  /** Each contact's company (the primary one when labelled): the same read the activity side makes. */
  companiesOf(contactIds: string[]): Promise<Map<string, string>> {
    return companiesOf(this.client, [...new Set(contactIds)]);
  }

  /** Associates deals with contacts and companies (an association that exists is left as it is). */
  async associate(pairs: { dealId: string; to: 'contacts' | 'companies'; toId: string }[]): Promise<void> {
    for (const to of ['contacts', 'companies'] as const) {
      const list = pairs.filter((p) => p.to === to);
      for (const part of chunks(list, 1000)) {
        if (!part.length) continue;
        const typeId = to === 'contacts' ? DEAL_TO_CONTACT : DEAL_TO_COMPANY_PRIMARY;
        await this.client.request('POST', `/crm/v4/associations/deals/${to}/batch/create`, {
          inputs: part.map((p) => ({
            from: { id: p.dealId },
            to: { id: p.toId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
          })),
        });
      }
    }
  }

  async pipelines(): Promise<HubSpotPipeline[]> {
    const res = await this.client.request<{ results: HubSpotPipeline[] }>('GET', '/crm/v3/pipelines/deals');
    return res.body.results.map((p) => ({
      id: p.id,
      label: p.label,
      stages: p.stages.map((s) => ({ id: s.id, label: s.label })),
    }));
  }

  /**
   * Threadline's deals in HubSpot modified at or after `since` (epoch ms), oldest first, up to `max`
   * (search pages of 100; search has its own, stricter rate limit, which the client keeps). Their stageAt is
   * the modification time: stageTimes gives the stage's own.
   */
  async modifiedSince(since: number, extra: string[] = [], max = 1000): Promise<HubSpotDealState[]> {
    const out: HubSpotDealState[] = [];
    let after: string | undefined;
    do {
      const res = await this.client.request<BatchBody & { paging?: { next?: { after: string } } }>(
        'POST',
        '/crm/v3/objects/deals/search',
        {
          filterGroups: [
            {
              filters: [
                { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) },
                { propertyName: DEAL_ID_PROPERTY, operator: 'HAS_PROPERTY' },
              ],
            },
          ],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
          properties: [...new Set([...DEAL_READ_PROPERTIES, ...extra])],
          limit: 100,
          ...(after ? { after } : {}),
        },
      );
      out.push(...res.body.results.map(stateOf));
      after = res.body.paging?.next?.after;
    } while (after && out.length < max);
    // Search gives no history: stageAt is the modification time until stageTimes reads it (for the deals whose
    // stage moved only, deals-pull.ts).
    return out;
  }

  /** When each of these HubSpot deals entered its current stage (its dealstage history), by HubSpot id. */
  async stageTimes(hubspotIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks([...new Set(hubspotIds)], BATCH)) {
      if (!part.length) continue;
      const res = await this.client.request<BatchBody>('POST', '/crm/v3/objects/deals/batch/read', {
        inputs: part.map((id) => ({ id })),
        properties: ['dealstage', 'hs_lastmodifieddate'],
        propertiesWithHistory: WITH_HISTORY,
      });
      for (const r of res.body.results) out.set(r.id, stageTimeOf(r));
    }
    return out;
  }
}
