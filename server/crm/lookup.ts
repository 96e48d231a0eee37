/**
 * The thread panel's CRM lookup: for each address, the team's CRM contact (owner, lifecycle stage, last
 * activity, company, title, time zone, a link to the record) and its open deals with their pipeline and stage
 * labels. A few CRM requests per lookup (contacts, their deal links, the deals), the owners and pipelines
 * kept ten minutes, and each address's answer kept a minute per team, so reopening a thread asks the CRM
 * nothing. Everything is keyed by the caller's team and the connected portal.
 */
import type { CrmContactRecord, CrmDealRecord, CrmOwner, CrmPipeline, CrmProvider } from './provider';

export interface LookupDeal {
  id: string;
  name: string;
  url: string;
  pipeline: { id: string; label: string };
  stage: { id: string; label: string };
  amount?: string;
  closeDate?: number;
  /** The Threadline deal it stands for, when the deal bridge wrote it. */
  threadlineDealId?: string;
}

export interface LookupContact {
  id: string;
  url: string;
  name: string;
  firstName?: string;
  lastName?: string;
  owner?: { id: string; name: string; email: string };
  lifecycleStage?: string;
  lastActivityAt?: number;
  company?: string;
  jobTitle?: string;
  timeZone?: string;
  /** Open deals only (their stage is not a closed one). */
  deals: LookupDeal[];
}

export interface LookupPerson {
  email: string;
  /** Null: the CRM has no contact with this address. */
  contact: LookupContact | null;
}

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

interface Entry {
  at: number;
  value: Promise<LookupPerson>;
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
  ): Promise<Map<string, LookupPerson>> {
    const contacts: CrmContactRecord[] = await provider.lookupContacts(emails);
    const dealIds = [...new Set(contacts.flatMap((c) => c.dealIds))];
    const [deals, m]: [CrmDealRecord[], Awaited<Meta['value']>] = await Promise.all([
      dealIds.length ? provider.lookupDeals(dealIds) : Promise.resolve([]),
      meta(account, provider),
    ]);
    const dealById = new Map(deals.map((d) => [d.id, d]));
    const out = new Map<string, LookupPerson>(emails.map((e) => [e, { email: e, contact: null }]));
    for (const c of contacts) {
      const owner = c.ownerId ? m.owners.get(c.ownerId) : undefined;
      const open: LookupDeal[] = [];
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
     * gives the CRM provider over the team's connection, asked only when something is not cached.
     */
    async lookup(
      account: LookupAccount,
      emails: string[],
      open: () => { provider: CrmProvider; done(): Promise<void> },
    ): Promise<{ people: LookupPerson[]; cached: boolean }> {
      const wanted = [...new Set(emails.map(lower))];
      const now = options.now();
      const answers = new Map<string, Promise<LookupPerson>>();
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
      const people = await Promise.all(wanted.map((e) => answers.get(e)!));
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
