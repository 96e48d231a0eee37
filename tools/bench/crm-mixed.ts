/**
 * The CRM bench's runs, through the real path: a backend (in-process, PGlite) with a team connected to the
 * HubSpot sandbox, its reps' devices' sync pushes, and the CRM worker's rounds. 100 contacts (half already in
 * HubSpot with their company), 50 of them with a deal already linked in HubSpot; that setup is synced before
 * the count. Then one of two workloads (crm-workloads.ts) comes in and is counted:
 * - `activities`: 1,000 activities of the five kinds, each associated with its contact, the contact's company
 *   and, for the 50 contacts with one, the linked deal;
 * - `touches`: 920 activities (the bench's older mix) and 80 deal writes (30 deals created, the 50 linked
 *   deals moved to another stage).
 * Counted: every HubSpot request of the worker's rounds until nothing waits. The window starts a minute after
 * the setup's last poll, so the minute's poll of HubSpot's deal changes runs in it and is counted too.
 */
import { pino } from 'pino';
import type { Session } from '../../lib/contract/auth';
import type { Mutation } from '../../lib/contract/sync';
import { createCrmWorker } from '../../server/crm/worker';
import { crmSandboxForTests } from '../../server/testing/crm';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import type { HubSpotSandbox } from '../sandbox/hubspot/server';
import { activityKinds, activityMutations, CONTACTS } from './crm-workloads';

export type Workload = 'activities' | 'touches';
/** Deals linked in HubSpot before the count (contacts 0-49); the `touches` workload moves them. */
export const DEALS_LINKED = 50;
export const DEALS_CREATED = 30;

export interface MixedRun {
  requests: number;
  /** Of those, the requests to deal routes (deal reads, upsert, search, property; deal associations). */
  dealRequests: number;
  ms: number;
  /** Requests by `METHOD path` (ids replaced by {id}). */
  byRoute: Record<string, number>;
}

let mutationId = 0;
async function push(server: TestServer, s: Session, mutations: Omit<Mutation, 'id'>[]): Promise<void> {
  for (let i = 0; i < mutations.length; i += 500) {
    const res = await server.call<{ results: { status: string; reason?: string }[] }>('POST', '/sync/push', {
      token: s.accessToken,
      body: {
        clientId: 'bench-device',
        mutations: mutations.slice(i, i + 500).map((m) => ({ ...m, id: ++mutationId })),
      },
    });
    const bad = res.body.results?.filter((r) => r.status !== 'applied') ?? [res.body];
    if (res.status !== 200 || bad.length)
      throw new Error(`bench crm: push refused: ${JSON.stringify(bad[0]).slice(0, 300)}`);
  }
}

const email = (c: number) => `lead${c}@company${c % 20}.test`;

function deal(id: string, contact: number, at: number, stageId = 'discovery'): Omit<Mutation, 'id'> {
  return {
    name: 'deal.upsert',
    args: {
      id,
      name: `Company ${contact % 20} rollout ${id}`,
      companyDomain: `company${contact % 20}.test`,
      pipelineId: 'b2b',
      stageId,
      stageEnteredAt: at,
      amount: { value: 12_000, currency: 'USD' },
      closeDate: '2027-03-31',
      contacts: [{ contactId: `c${contact}`, role: 'champion' }],
      facts: { pain: { type: 'text', value: 'Follow-ups fall through' } },
      createdAt: at,
      updatedAt: at,
    },
  };
}

async function drain(worker: ReturnType<typeof createCrmWorker>): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const r = await worker.runOnce();
    if (r.waiting === 0) return;
  }
}

const routeOf = (path: string) => path.replace(/\/\d+(?=\/|$)/g, '/{id}');

/** One run: a fresh backend and portal, the setup synced, then the workload logged and counted. */
export async function mixedRun(run: number, workload: Workload): Promise<MixedRun> {
  let clock: () => number = Date.now;
  const { hs, config: base } = await crmSandboxForTests({ now: () => clock() });
  let server: TestServer | undefined;
  try {
    // The client's waits (its token bucket) move the shared virtual clock instead of sleeping.
    const config = { ...base, sleep: async (ms: number) => server!.advance(ms) };
    server = await createTestServer({ crm: config });
    clock = server.now;
    const { admin } = await server.newTeam();
    hs.addOwner({ email: admin.user.email, firstName: 'Rep' });
    await connect(server, hs, admin);
    for (let c = 0; c < CONTACTS; c += 2) {
      const company = hs.seed('companies', { name: `Company ${c % 20}`, domain: `company${c % 20}.test` });
      hs.seed('contacts', { email: email(c) }, [{ type: 'companies', id: company }]);
    }
    const at = server.now();
    // Before: the contacts, their enrollments and 50 deals linked in HubSpot, synced (not counted).
    await push(server, admin, [
      ...Array.from({ length: CONTACTS }, (_, c) => ({
        name: 'contact.upsert',
        args: { id: `c${c}`, email: email(c), firstName: `Lead${c}` },
      })),
      {
        name: 'sequence.upsert',
        args: {
          id: 'q',
          name: 'Intro',
          steps: [{ id: 's', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
        },
      },
      ...Array.from({ length: CONTACTS }, (_, c) => ({
        name: 'enroll',
        args: {
          id: `e${c}`,
          sequenceId: 'q',
          contactId: `c${c}`,
          mailbox: admin.user.email,
          status: 'active',
          enrolledAt: at,
          stepIndex: 0,
        },
      })),
      ...Array.from({ length: DEALS_LINKED }, (_, d) => deal(`d${d}`, d, at)),
    ]);
    const worker = createCrmWorker({
      db: server.database.db,
      log: pino({ level: 'silent' }),
      now: server.now,
      config,
    });
    await drain(worker);
    if (hs.records('deals').length !== DEALS_LINKED)
      throw new Error(`bench crm: the setup linked ${hs.records('deals').length} deals, not ${DEALS_LINKED}`);
    // A minute on (the poll of HubSpot's changes is due again), the workload comes in.
    server.advance(61_000);
    const now = server.now();
    const kinds = activityKinds(workload);
    await push(server, admin, [
      ...(workload === 'touches'
        ? [
            ...Array.from({ length: DEALS_CREATED }, (_, d) => deal(`n${d}`, DEALS_LINKED + d, now)),
            ...Array.from({ length: DEALS_LINKED }, (_, d) => ({
              name: 'deal.upsert',
              args: { id: `d${d}`, stageId: 'qualified', stageEnteredAt: now, updatedAt: now },
            })),
          ]
        : []),
      ...activityMutations(kinds, run, now),
    ]);
    const before = hs.requests().length;
    const started = performance.now();
    await drain(worker);
    const ms = performance.now() - started;
    const requests = hs.requests().slice(before);
    await check(server, hs, admin, workload, kinds.length);
    const byRoute: Record<string, number> = {};
    for (const r of requests) {
      const key = `${r.method} ${routeOf(r.path)}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    const dealRequests = requests.filter((r) => /\/deals(\/|$)/.test(r.path)).length;
    return { requests: requests.length, dealRequests, ms, byRoute };
  } finally {
    await server?.close();
    await hs.stop();
  }
}

async function connect(server: TestServer, hs: HubSpotSandbox, admin: Session): Promise<void> {
  const token = hs.privateAppToken();
  const res = await server.call('POST', '/crm/hubspot/private-app', {
    token: admin.accessToken,
    body: { token },
  });
  if (res.status !== 200) throw new Error(`bench crm: connect answered ${res.status}`);
  const patched = await server.call('PATCH', '/crm/settings', {
    token: admin.accessToken,
    body: {
      createContacts: true,
      deals: { enabled: true, pipelines: {}, facts: { pain: 'description' }, threadlineWins: [] },
    },
  });
  if (patched.status !== 200) throw new Error(`bench crm: settings answered ${patched.status}`);
}

/**
 * Every activity logged once and associated with its contact, the contact's company (the 50 seeded with one)
 * and its deal (contacts 0-49); for `touches`, 80 deals in HubSpot each with its contact, the 50 moved ones
 * at their new stage.
 */
async function check(
  server: TestServer,
  hs: HubSpotSandbox,
  admin: Session,
  workload: Workload,
  activities: number,
): Promise<void> {
  const status = await server.call<{ outbox: Record<string, number> }>('GET', '/crm/connection', {
    token: admin.accessToken,
  });
  const { outbox } = status.body;
  if (outbox.logged !== activities || outbox.waiting || outbox.failed || outbox.skipped)
    throw new Error(`bench crm: activities not all logged: ${JSON.stringify(outbox)}`);
  const contactNo = new Map(
    hs.records('contacts').map((c) => [c.id, Number(/^lead(\d+)@/.exec(c.properties.email ?? '')?.[1])]),
  );
  const logged = (['emails', 'notes', 'calls', 'tasks', 'meetings'] as const).flatMap((t) => hs.records(t));
  if (logged.length !== activities)
    throw new Error(`bench crm: HubSpot holds ${logged.length} activities, expected ${activities}`);
  for (const a of logged) {
    const contacts = a.associations.contacts ?? [];
    const c = contactNo.get(contacts[0] ?? '');
    if (contacts.length !== 1 || c === undefined || Number.isNaN(c))
      throw new Error(`bench crm: activity ${a.id} is not associated with one bench contact`);
    if (c % 2 === 0 && !(a.associations.companies ?? []).length)
      throw new Error(`bench crm: activity ${a.id} of lead${c} is not associated with its company`);
    if (c < DEALS_LINKED && (a.associations.deals ?? []).length !== 1)
      throw new Error(`bench crm: activity ${a.id} of lead${c} is not associated with its deal`);
  }
  if (workload === 'activities') return;
  const deals = hs.records('deals');
  if (deals.length !== DEALS_LINKED + DEALS_CREATED)
    throw new Error(`bench crm: ${deals.length} HubSpot deals, expected ${DEALS_LINKED + DEALS_CREATED}`);
  const moved = deals.filter((d) => /^d\d+$/.test(d.properties.threadline_deal_id ?? ''));
  if (moved.some((d) => d.properties.dealstage !== 'qualifiedtobuy'))
    throw new Error('bench crm: a moved deal is not at its new stage in HubSpot');
  if (deals.some((d) => !(d.associations.contacts ?? []).length))
    throw new Error('bench crm: a HubSpot deal is not associated with its contact');
}
