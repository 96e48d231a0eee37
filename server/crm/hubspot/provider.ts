/**
 * The HubSpot CrmProvider: activities logged with batch creates (≤ 100 per call, associations inline), the
 * contacts and their companies looked up in batches (contacts.ts), and exactly once through the deterministic id each
 * activity carries in the `threadline_activity_id` property: unique where HubSpot lets us make it so (a
 * repeat is refused and found by that id), else looked up by search before creating.
 */
import {
  CrmError,
  type ActivityKind,
  type CrmActivity,
  type CrmContactRecord,
  type CrmDealRecord,
  type CrmPipeline,
  type CrmOwner,
  type CrmProvider,
  type DedupeModes,
  type LogOptions,
  type LogOutcome,
} from '../provider';
import type { HubSpotClient } from './client';
import * as reads from './reads';
import {
  ACTIVITY_ID_PROPERTY,
  associationsOf,
  GROUP_OF,
  OBJECT_OF,
  propertiesOf,
  type Targets,
} from './mapping';
import { chunks } from './batches';
import { companiesOf, contactIds, resolveContacts } from './contacts';

const KINDS: ActivityKind[] = ['email', 'note', 'call', 'task', 'meeting'];
const BATCH = 100;

interface BatchResult {
  status?: string;
  results: { id: string; properties: Record<string, string | null>; objectWriteTraceId?: string }[];
  errors?: { category?: string; message?: string; context?: Record<string, string[]> }[];
}

const lower = (s: string) => s.trim().toLowerCase();

/**
 * The inputs a 207 refused, by objectWriteTraceId, with HubSpot's own message (a CONFLICT on the unique id
 * property is not a refusal: the record exists).
 */
function refusalsOf(body: BatchResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of body.errors ?? [])
    if (e.category !== 'CONFLICT')
      for (const id of e.context?.objectWriteTraceId ?? []) out.set(id, e.message ?? 'refused');
  return out;
}

export class HubSpotProvider implements CrmProvider {
  readonly name = 'hubspot' as const;

  constructor(
    private readonly client: HubSpotClient,
    private readonly modes: DedupeModes = {
      email: 'unique',
      note: 'unique',
      call: 'unique',
      task: 'unique',
      meeting: 'unique',
    },
  ) {}

  /**
   * Makes sure each activity object has the id property: unique when HubSpot accepts `hasUniqueValue` there,
   * a plain text property (searched before creating) when it refuses.
   */
  async prepare(): Promise<DedupeModes> {
    const modes = { ...this.modes };
    for (const kind of KINDS) {
      const object = OBJECT_OF[kind];
      const existing = await this.client
        .request<{ hasUniqueValue: boolean }>('GET', `/crm/v3/properties/${object}/${ACTIVITY_ID_PROPERTY}`)
        .catch((e: unknown) => {
          if (e instanceof CrmError && e.status === 404) return undefined;
          throw e;
        });
      if (existing) {
        modes[kind] = existing.body.hasUniqueValue ? 'unique' : 'search';
        continue;
      }
      const definition = {
        name: ACTIVITY_ID_PROPERTY,
        label: 'Threadline activity id',
        description: 'Set by Threadline: the id of the touch this activity records, so it is logged once.',
        type: 'string',
        fieldType: 'text',
        groupName: GROUP_OF[kind],
      };
      try {
        await this.client.request('POST', `/crm/v3/properties/${object}`, {
          ...definition,
          hasUniqueValue: true,
        });
        modes[kind] = 'unique';
      } catch (e) {
        if (!(e instanceof CrmError) || e.status !== 400) throw e;
        await this.client.request('POST', `/crm/v3/properties/${object}`, definition);
        modes[kind] = 'search';
      }
    }
    Object.assign(this.modes, modes);
    return modes;
  }

  lookupContacts(emails: string[]): Promise<CrmContactRecord[]> {
    return reads.lookupContacts(this.client, emails);
  }

  lookupDeals(ids: string[]): Promise<CrmDealRecord[]> {
    return reads.lookupDeals(this.client, ids);
  }

  lookupPipelines(): Promise<CrmPipeline[]> {
    return reads.lookupPipelines(this.client);
  }

  recordUrl(account: { portalId: string }, object: 'contact' | 'deal', id: string): string {
    return reads.recordUrl(account.portalId, object, id);
  }

  async owners(): Promise<CrmOwner[]> {
    const out: CrmOwner[] = [];
    let after: string | undefined;
    do {
      const res = await this.client.request<{
        results: CrmOwner[];
        paging?: { next?: { after: string } };
      }>('GET', '/crm/v3/owners', undefined, { query: { limit: '100', ...(after ? { after } : {}) } });
      out.push(
        ...res.body.results.map((o) => ({
          id: o.id,
          email: o.email,
          firstName: o.firstName ?? '',
          lastName: o.lastName ?? '',
        })),
      );
      after = res.body.paging?.next?.after;
    } while (after);
    return out;
  }

  /**
   * HubSpot has no client-settable do-not-contact flag on a contact: `hs_email_optout` is read-only (set by
   * its subscription tools). So the reason is logged as a note (by the outbox) and this says so.
   */
  async markDoNotContact(): Promise<'not_supported'> {
    return 'not_supported';
  }

  resolveContacts(activities: CrmActivity[], options: LogOptions): Promise<Map<string, string>> {
    return resolveContacts(this.client, activities, options);
  }

  async contactCompanies(contactIds: string[]): Promise<Map<string, string | null>> {
    const found = await companiesOf(this.client, [...new Set(contactIds)]);
    return new Map(contactIds.map((id) => [id, found.get(id) ?? null]));
  }

  async logActivities(activities: CrmActivity[], options: LogOptions): Promise<LogOutcome[]> {
    const outcomes = new Map<string, LogOutcome>();
    const contacts = await contactIds(this.client, activities, options, outcomes);
    // The companies read ahead this round are not read again.
    const ahead = options.companies;
    const companies = await companiesOf(
      this.client,
      [...new Set(contacts.values())].filter((id) => !ahead?.has(id)),
    );
    for (const [id, company] of ahead ?? []) if (company) companies.set(id, company);
    for (const kind of KINDS) {
      const ready = activities.filter((a) => a.kind === kind && !outcomes.has(a.id));
      for (const batch of chunks(ready, BATCH)) {
        const targets = new Map<string, Targets>();
        for (const a of batch) {
          const contactId = contacts.get(lower(a.contact.email))!;
          const companyId = companies.get(contactId);
          targets.set(a.id, { contactId, ...(companyId ? { companyId } : {}), dealIds: a.dealIds ?? [] });
        }
        try {
          const results =
            this.modes[kind] === 'unique'
              ? await this.createUnique(kind, batch, targets)
              : await this.createSearched(kind, batch, targets);
          for (const r of results) outcomes.set(r.id, r);
        } catch (e) {
          const error = e instanceof CrmError ? e : new CrmError(String(e), 0, true);
          if (error.name === 'CrmDailyLimitError') throw error;
          for (const a of batch)
            outcomes.set(a.id, {
              id: a.id,
              status: 'failed',
              message: error.message,
              retryable: error.retryable,
            });
        }
      }
    }
    return activities.map(
      (a) => outcomes.get(a.id) ?? { id: a.id, status: 'failed', message: 'not attempted', retryable: true },
    );
  }

  /** Creates with the id in a unique property: a repeat comes back as a CONFLICT, then found by that id. */
  private async createUnique(
    kind: ActivityKind,
    batch: CrmActivity[],
    targets: Map<string, Targets>,
  ): Promise<LogOutcome[]> {
    const object = OBJECT_OF[kind];
    const res = await this.client.request<BatchResult>('POST', `/crm/v3/objects/${object}/batch/create`, {
      inputs: batch.map((a) => ({
        properties: propertiesOf(a, true),
        associations: associationsOf(kind, targets.get(a.id)!),
        objectWriteTraceId: a.id,
      })),
    });
    const out: LogOutcome[] = [];
    const byTrace = new Map(
      res.body.results.map((r) => [r.objectWriteTraceId ?? r.properties[ACTIVITY_ID_PROPERTY], r.id]),
    );
    const conflicts = (res.body.errors ?? [])
      .filter((e) => e.category === 'CONFLICT')
      .flatMap((e) => e.context?.objectWriteTraceId ?? []);
    const errors = refusalsOf(res.body);
    const existing = conflicts.length
      ? await this.findByActivityId(kind, conflicts, 'read')
      : new Map<string, string>();
    for (const a of batch) {
      const created = byTrace.get(a.id);
      const found = existing.get(a.id);
      if (created) out.push({ id: a.id, status: 'logged', crmId: created });
      else if (found) out.push({ id: a.id, status: 'logged', crmId: found, duplicate: true });
      else
        out.push({
          id: a.id,
          status: 'failed',
          message: errors.get(a.id) ?? 'HubSpot did not create it',
          retryable: !errors.has(a.id),
        });
    }
    return out;
  }

  /** Without a unique property: those HubSpot already has (searched by id) are not created again. */
  private async createSearched(
    kind: ActivityKind,
    batch: CrmActivity[],
    targets: Map<string, Targets>,
  ): Promise<LogOutcome[]> {
    const object = OBJECT_OF[kind];
    const existing = await this.findByActivityId(
      kind,
      batch.map((a) => a.id),
      'search',
    );
    const fresh = batch.filter((a) => !existing.has(a.id));
    const out: LogOutcome[] = batch
      .filter((a) => existing.has(a.id))
      .map((a) => ({ id: a.id, status: 'logged', crmId: existing.get(a.id)!, duplicate: true }));
    if (!fresh.length) return out;
    // Not retried on a lost answer: the next attempt searches first.
    const res = await this.client.request<BatchResult>(
      'POST',
      `/crm/v3/objects/${object}/batch/create`,
      {
        // Trace ids turn one refused input into a 207 for it alone, instead of a 400 for the whole batch.
        inputs: fresh.map((a) => ({
          properties: propertiesOf(a, true),
          associations: associationsOf(kind, targets.get(a.id)!),
          objectWriteTraceId: a.id,
        })),
      },
      { retryUnsafe: false },
    );
    const created = new Map(
      res.body.results.map((r) => [r.objectWriteTraceId ?? r.properties[ACTIVITY_ID_PROPERTY], r.id]),
    );
    const refused = refusalsOf(res.body);
    for (const a of fresh) {
      const crmId = created.get(a.id);
      const message = refused.get(a.id);
      out.push(
        crmId
          ? { id: a.id, status: 'logged', crmId }
          : {
              id: a.id,
              status: 'failed',
              message: message ?? 'HubSpot did not create it',
              retryable: message === undefined,
            },
      );
    }
    return out;
  }

  /** HubSpot ids of the activities carrying these ids: a batch read by the unique property, or a search. */
  private async findByActivityId(
    kind: ActivityKind,
    ids: string[],
    how: 'read' | 'search',
  ): Promise<Map<string, string>> {
    const object = OBJECT_OF[kind];
    const found = new Map<string, string>();
    for (const part of chunks(ids, BATCH)) {
      if (how === 'read') {
        const res = await this.client.request<BatchResult>('POST', `/crm/v3/objects/${object}/batch/read`, {
          idProperty: ACTIVITY_ID_PROPERTY,
          inputs: part.map((id) => ({ id })),
          properties: [ACTIVITY_ID_PROPERTY],
        });
        for (const r of res.body.results) {
          const v = r.properties[ACTIVITY_ID_PROPERTY];
          if (v) found.set(v, r.id);
        }
      } else {
        let after: string | undefined;
        do {
          const res = await this.client.request<BatchResult & { paging?: { next?: { after: string } } }>(
            'POST',
            `/crm/v3/objects/${object}/search`,
            {
              // IN on a string property takes lower-case values: the ids are lower case.
              filterGroups: [
                {
                  filters: [{ propertyName: ACTIVITY_ID_PROPERTY, operator: 'IN', values: part.map(lower) }],
                },
              ],
              properties: [ACTIVITY_ID_PROPERTY],
              limit: 200,
              ...(after ? { after } : {}),
            },
          );
          for (const r of res.body.results) {
            const v = r.properties[ACTIVITY_ID_PROPERTY];
            if (v) found.set(v, r.id);
          }
          after = (res.body as { paging?: { next?: { after: string } } }).paging?.next?.after;
        } while (after);
      }
    }
    return found;
  }
}
