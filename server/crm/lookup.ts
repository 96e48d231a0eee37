/**
 * The thread panel's CRM lookup: for each address, the team's CRM contact (owner, lifecycle stage, last
 * activity, company, title, time zone, a link to the record) and its open deals with their pipeline and stage
 * labels. A few CRM requests per lookup (contacts, their deal links, the deals), the owners and pipelines
 * kept ten minutes, and each address's answer kept a minute per team, so reopening a thread asks the CRM
 * nothing. Everything is keyed by the caller's team and the connected portal. The cache holds HubSpot's whole
 * answer; each caller's view is cut from it after (`DealScope`): a rep sees only the open deals their mapped
 * HubSpot owner owns, so a manager's cached answer never reaches a rep.
 */
import type { CrmLookupContact, CrmLookupDeal, CrmLookupPerson } from '../../lib/contract/crm-lookup';
import type { CrmContactRecord, CrmDealRecord, CrmOwner, CrmPipeline, CrmProvider } from './provider';

/** The answer's shapes: one schema for the server, the background and the panel (lib/contract/crm-lookup.ts). */
export type LookupDeal = CrmLookupDeal;
export type LookupContact = CrmLookupContact;
export type LookupPerson = CrmLookupPerson;

export interface LookupAccount {
  teamId: string;
  portalId: string;
  hubDomain: string | null;
}

export interface LookupOptions {
  now: () => number;
  /** How long an address's answer is kept (default 60 s). */
  ttlMs?: number;
  /** How long the owners and pipelines are kept (default 10 min). */
  metaTtlMs?: number;
  /** At most this many addresses kept in all (oldest dropped first). */
  maxEntries?: number;
}

/** Which open deals a caller sees: the team's (managers, admins) or one HubSpot owner's (a rep; null: none). */
export type DealScope = { all: true } | { all: false; ownerId: string | null };

type RawDeal = LookupDeal & { ownerId?: string };
type RawPerson = { email: string; contact: (Omit<LookupContact, 'deals'> & { deals: RawDeal[] }) | null };

interface Entry {
  at: number;
  value: Promise<RawPerson>;
}

/** The caller's view of a cached answer: deals outside their scope dropped, no owner ids on deals. */
export function scopePerson(person: RawPerson, scope: DealScope): LookupPerson {
  if (!person.contact) return { email: person.email, contact: null };
  const deals = person.contact.deals
    .filter((d) => scope.all || (scope.ownerId !== null && d.ownerId === scope.ownerId))
    .map(({ ownerId: _owner, ...d }) => d);
  return { email: person.email, contact: { ...person.contact, deals } };
}

interface Meta {
  at: number;
  value: Promise<{
    owners: Map<string, CrmOwner>;
    stages: Map<string, { pipeline: CrmPipeline; closed: boolean; label: string }>;
  }>;
}

const lower = (s: string) => s.trim().toLowerCase();

/** The lookup with its caches (one per server). */
export function createCrmLookup(options: LookupOptions) {
  const ttl = options.ttlMs ?? 60_000;
  const metaTtl = options.metaTtlMs ?? 10 * 60_000;
  const max = options.maxEntries ?? 5000;
  const entries = new Map<string, Entry>();
  const metas = new Map<string, Meta>();
  const keyOf = (account: LookupAccount, email: string) =>
    `${account.teamId}\u0000${account.portalId}\u0000${email}`;
  const metaKey = (account: LookupAccount) => `${account.teamId}\u0000${account.portalId}`;

  function meta(account: LookupAccount, provider: CrmProvider): Meta['value'] {
    const key = metaKey(account);
    const have = metas.get(key);
    if (have && options.now() - have.at < metaTtl) return have.value;
    const value = Promise.all([provider.owners(), provider.lookupPipelines()]).then(
      ([owners, pipelines]) => ({
        owners: new Map(owners.map((o) => [o.id, o])),
        stages: new Map(
          pipelines.flatMap((p) =>
            p.stages.map(
              (s) => [`${p.id}\u0000${s.id}`, { pipeline: p, closed: s.closed, label: s.label }] as const,
            ),
          ),
        ),
      }),
    );
    metas.set(key, { at: options.now(), value });
    value.catch(() => metas.delete(key));
    return value;
  }

  async function fetchPeople(
    account: LookupAccount,
    provider: CrmProvider,
    emails: string[],
  ): Promise<Map<string, RawPerson>> {
    const contacts: CrmContactRecord[] = await provider.lookupContacts(emails);
    const dealIds = [...new Set(contacts.flatMap((c) => c.dealIds))];
    const [deals, m]: [CrmDealRecord[], Awaited<Meta['value']>] = await Promise.all([
      dealIds.length ? provider.lookupDeals(dealIds) : Promise.resolve([]),
      meta(account, provider),
    ]);
    const dealById = new Map(deals.map((d) => [d.id, d]));
    const out = new Map<string, RawPerson>(emails.map((e) => [e, { email: e, contact: null }]));
    for (const c of contacts) {
      const owner = c.ownerId ? m.owners.get(c.ownerId) : undefined;
      const open: RawDeal[] = [];
      for (const id of c.dealIds) {
        const d = dealById.get(id);
        if (!d) continue;
        const stage = m.stages.get(`${d.pipelineId}\u0000${d.stageId}`);
        if (stage?.closed) continue;
        open.push({
          id: d.id,
          name: d.name,
          url: provider.recordUrl(account, 'deal', d.id),
          pipeline: { id: d.pipelineId, label: stage?.pipeline.label ?? d.pipelineId },
          stage: { id: d.stageId, label: stage?.label ?? d.stageId },
          ...(d.amount !== undefined && { amount: d.amount }),
          ...(d.closeDate !== undefined && { closeDate: d.closeDate }),
          ...(d.threadlineDealId !== undefined && { threadlineDealId: d.threadlineDealId }),
          ...(d.ownerId !== undefined && { ownerId: d.ownerId }),
        });
      }
      const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;
      out.set(c.email, {
        email: c.email,
        contact: {
          id: c.id,
          url: provider.recordUrl(account, 'contact', c.id),
          name,
          ...(c.firstName !== undefined && { firstName: c.firstName }),
          ...(c.lastName !== undefined && { lastName: c.lastName }),
          ...(owner && {
            owner: {
              id: owner.id,
              name: `${owner.firstName} ${owner.lastName}`.trim() || owner.email,
              email: owner.email,
            },
          }),
          ...(c.lifecycleStage !== undefined && { lifecycleStage: c.lifecycleStage }),
          ...(c.lastActivityAt !== undefined && { lastActivityAt: c.lastActivityAt }),
          ...(c.company !== undefined && { company: c.company }),
          ...(c.jobTitle !== undefined && { jobTitle: c.jobTitle }),
          ...(c.timeZone !== undefined && { timeZone: c.timeZone }),
          deals: open,
        },
      });
    }
    return out;
  }

  return {
    /**
     * Each address's contact and open deals, from the cache when looked up within the last minute. `open`
     * gives the CRM provider over the team's connection, asked only when something is not cached. `scope`
     * cuts the caller's view from the team's cached answer.
     */
    async lookup(
      account: LookupAccount,
      emails: string[],
      open: () => { provider: CrmProvider; done(): Promise<void> },
      scope: DealScope,
    ): Promise<{ people: LookupPerson[]; cached: boolean }> {
      const wanted = [...new Set(emails.map(lower))];
      const now = options.now();
      const answers = new Map<string, Promise<RawPerson>>();
      const missing = wanted.filter((e) => {
        const hit = entries.get(keyOf(account, e));
        if (hit && now - hit.at < ttl) answers.set(e, hit.value);
        return !answers.has(e);
      });
      if (missing.length) {
        const session = open();
        const batch = fetchPeople(account, session.provider, missing).finally(() => session.done());
        for (const e of missing) {
          const key = keyOf(account, e);
          const value = batch.then((m) => m.get(e)!);
          answers.set(e, value);
          entries.delete(key);
          entries.set(key, { at: now, value });
          value.catch(() => {
            if (entries.get(key)?.value === value) entries.delete(key);
          });
        }
        while (entries.size > max) entries.delete(entries.keys().next().value!);
        await batch;
      }
      const people = (await Promise.all(wanted.map((e) => answers.get(e)!))).map((p) =>
        scopePerson(p, scope),
      );
      return { people, cached: missing.length === 0 };
    },
    /** Forgets a team's answers (after disconnecting, or a change the rep made). */
    forget(teamId: string): void {
      for (const key of [...entries.keys(), ...metas.keys()])
        if (key.startsWith(`${teamId}\u0000`)) {
          entries.delete(key);
          metas.delete(key);
        }
    },
  };
}

export type CrmLookup = ReturnType<typeof createCrmLookup>;

/** The share of HubSpot's daily limit the thread panel's reads may use: the rest is kept for activity logging. */
export const LOOKUP_DAILY_SHARE = 0.8;

export interface DailyUsage {
  /** The UTC day the counts are for (YYYY-MM-DD). */
  day: string;
  /** Requests Threadline counted that day. */
  used: number;
  /** HubSpot's daily limit, when a response named it. */
  limit: number | null;
  /** HubSpot's count left that day (all apps of the portal), when a response named it. */
  remaining: number | null;
}

/**
 * Whether a request for `purpose` may spend the day's HubSpot budget: lookups stop once the day's usage passes
 * LOOKUP_DAILY_SHARE of a known limit, so the outbox keeps the rest; the outbox may go up to the limit itself.
 * Without a known limit both go (HubSpot's own 429 stops them).
 */
export function dailyBudgetAllows(usage: DailyUsage, today: string, purpose: 'lookup' | 'outbox'): boolean {
  if (usage.limit === null || usage.limit <= 0) return true;
  if (usage.day !== today) return true;
  const used = Math.max(usage.used, usage.remaining === null ? 0 : usage.limit - usage.remaining);
  return used < (purpose === 'lookup' ? usage.limit * LOOKUP_DAILY_SHARE : usage.limit);
}
