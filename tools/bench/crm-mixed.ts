/**
 * The CRM bench's workload, through the real path: a backend (in-process, PGlite) with a team connected to
 * the HubSpot sandbox, its reps' devices' sync pushes, and the CRM worker's round. 1,000 mixed touches for 100
 * contacts (half already in HubSpot with their company): 920 activities (emails out and in, notes, calls,
 * tasks, meetings, in the proportions the bench always had) and 80 deal writes (30 deals created, 50 existing
 * deals moved to another stage), the activities associated with their contact's deal. Counted: every HubSpot
 * request of the worker's rounds until nothing waits (the minute's poll of HubSpot's deal changes included).
 */
import { pino } from 'pino';
import type { Session } from '../../lib/contract/auth';
import type { Mutation } from '../../lib/contract/sync';
import { createCrmWorker } from '../../server/crm/worker';
import { crmSandboxForTests } from '../../server/testing/crm';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import type { HubSpotSandbox } from '../sandbox/hubspot/server';

export const CONTACTS = 100;
export const ACTIVITIES = 920;
export const DEALS_CREATED = 30;
export const DEALS_MOVED = 50;

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

/** The 920 activities as the devices report them: events, and calls and tasks created then completed. */
function activityMutations(run: number, at: number): Omit<Mutation, 'id'>[] {
  const events: Record<string, unknown>[] = [];
  const tasks: Omit<Mutation, 'id'>[] = [];
  for (let i = 0; i < ACTIVITIES; i++) {
    const c = i % CONTACTS;
    const base = { id: `b${run}-${i}`, at: at + i, enrollmentId: `e${c}`, stepIndex: 0 };
    switch (i % 6) {
      case 0:
        events.push({
          ...base,
          type: 'sent',
          data: { subject: `Follow-up ${i}`, text: 'Hello', html: '<p>Hello</p>' },
        });
        break;
      case 1:
        events.push({ ...base, type: 'replied', data: { text: 'Thursday works.' } });
        break;
      case 2:
        events.push({ ...base, type: 'out_of_office', data: { until: at + 7 * 86_400_000 } });
        break;
      case 5:
        events.push({ ...base, type: 'meeting_booked', data: { title: 'Demo', start: at + 86_400_000 } });
        break;
      default: {
        const call = i % 6 === 3;
        const taskId = `t${run}-${i}`;
        tasks.push(
          {
            name: 'task.create',
            args: {
              id: taskId,
              enrollmentId: `e${c}`,
              sequenceId: 'q',
              contactId: `c${c}`,
              stepId: 's',
              stepIndex: 0,
              type: call ? 'call' : 'linkedin',
              title: call ? 'Discovery call' : 'LinkedIn message',
              notes: '',
              priority: 'medium',
              createdAt: at,
              dueAt: at,
              blocking: false,
              status: 'open',
            },
          },
          {
            name: 'task.complete',
            args: { taskId, at: at + i, ...(call ? { outcome: 'connected', notes: 'Good fit' } : {}) },
          },
        );
      }
    }
  }
  return [{ name: 'events.record', args: { events } }, ...tasks];
}

async function drain(worker: ReturnType<typeof createCrmWorker>): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const r = await worker.runOnce();
    if (r.waiting === 0) return;
  }
}

const routeOf = (path: string) => path.replace(/\/\d+(?=\/|$)/g, '/{id}');

/** One run: a fresh backend and portal, the setup synced, then the 1,000 touches logged and counted. */
export async function mixedRun(run: number): Promise<MixedRun> {
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
    // Before: the contacts, their enrollments and 50 deals, already synced to HubSpot (not counted).
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
      ...Array.from({ length: DEALS_MOVED }, (_, d) => deal(`d${d}`, d, at)),
    ]);
    const worker = createCrmWorker({
      db: server.database.db,
      log: pino({ level: 'silent' }),
      now: server.now,
      config,
    });
    await drain(worker);
    // A minute on (the poll of HubSpot's changes is due again), the 1,000 touches come in.
    server.advance(61_000);
    const now = server.now();
    await push(server, admin, [
      ...Array.from({ length: DEALS_CREATED }, (_, d) => deal(`n${d}`, DEALS_MOVED + d, now)),
      ...Array.from({ length: DEALS_MOVED }, (_, d) => ({
        name: 'deal.upsert',
        args: { id: `d${d}`, stageId: 'qualified', stageEnteredAt: now, updatedAt: now },
      })),
      ...activityMutations(run, now),
    ]);
    const before = hs.requests().length;
    const started = performance.now();
    await drain(worker);
    const ms = performance.now() - started;
    const requests = hs.requests().slice(before);
    await check(server, hs, admin);
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
 * Every touch arrived: 920 activities logged once, 80 deals in HubSpot each with its contact, the 50 moved
 * ones at their new stage, activities associated with their deal.
 */
async function check(server: TestServer, hs: HubSpotSandbox, admin: Session): Promise<void> {
  const status = await server.call<{ outbox: Record<string, number> }>('GET', '/crm/connection', {
    token: admin.accessToken,
  });
  const { outbox } = status.body;
  if (outbox.logged !== ACTIVITIES || outbox.waiting || outbox.failed || outbox.skipped)
    throw new Error(`bench crm: activities not all logged: ${JSON.stringify(outbox)}`);
  const deals = hs.records('deals');
  if (deals.length !== DEALS_MOVED + DEALS_CREATED)
    throw new Error(`bench crm: ${deals.length} HubSpot deals, expected ${DEALS_MOVED + DEALS_CREATED}`);
  const moved = deals.filter((d) => /^d\d+$/.test(d.properties.threadline_deal_id ?? ''));
  if (moved.some((d) => d.properties.dealstage !== 'qualifiedtobuy'))
    throw new Error('bench crm: a moved deal is not at its new stage in HubSpot');
  if (deals.some((d) => !(d.associations.contacts ?? []).length))
    throw new Error('bench crm: a HubSpot deal is not associated with its contact');
  const withDeal = hs.records('emails').filter((e) => (e.associations.deals ?? []).length > 0).length;
  if (withDeal === 0) throw new Error('bench crm: no activity is associated with its deal');
}
