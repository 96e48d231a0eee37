// @vitest-environment node
/**
 * Exactly once under crashes: the CRM worker is killed at random points of its send path, over and over,
 * while sync pushes keep queueing activities; HubSpot (the sandbox) must in the end hold each activity
 * once, with its associations, and every outbox row must name that record.
 *
 * A kill is a crash thrown at one of the worker's points (rows claimed; HubSpot answered but nothing
 * recorded; part-way through recording, which rolls the transaction back), or the sandbox losing its answer
 * after the write took effect (the connection dropped, or a 502), or HubSpot refusing with a 502 before
 * writing. Each round uses a fresh worker, as a restarted process would: no memory survives a kill but the
 * database and HubSpot. Both dedupe modes run: a unique id property, and search-before-create where HubSpot
 * does not allow one. Deals ride along: each is written once (batch upsert by its unique threadline_deal_id)
 * however the writes are cut, at the stage it was last moved to, with its contact and company. KILL_SEED
 * replays a run.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmWorkPlan, HS_STAGE, xorshift, type WorkMutation } from '../testing/crm-work';
import { createTestServer, type TestServer } from '../testing/harness';
import type { CrmConfig } from './config';
import { DEAL_ID_PROPERTY } from './deals';
import { dealsDb } from './deals-schema';
import { ACTIVITY_ID_PROPERTY } from './hubspot/mapping';
import { crmDb } from './schema';
import { createCrmWorker } from './worker';

const SEED = Number(process.env.KILL_SEED ?? 20261207);
const ROUNDS = 60;

class Kill extends Error {}

const OBJECTS = ['emails', 'notes', 'calls', 'tasks', 'meetings'] as const;

describe.each([
  { mode: 'unique', uniqueOnActivities: true },
  { mode: 'search', uniqueOnActivities: false },
])('the CRM worker killed at random points ($mode ids)', ({ uniqueOnActivities }) => {
  let hs: HubSpotSandbox;
  let server: TestServer;
  let clock: () => number = Date.now;
  let config: CrmConfig;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    hs = await startHubSpotSandbox({ now: () => clock(), uniqueOnActivities });
    // The client's waits (its token bucket, a 429's backoff) move the shared clock instead of sleeping.
    config = {
      tokenKey: randomBytes(32),
      hubspot: { apiBase: hs.url, authorizeUrl: `${hs.url}/oauth/authorize` },
      sleep: async (ms) => server.advance(ms),
    };
    server = await createTestServer({ crm: config });
    clock = server.now;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await hs?.stop();
  });

  it(`logs every activity and writes every deal exactly once with its associations after ${ROUNDS} kills`, async () => {
    const random = xorshift(SEED + (uniqueOnActivities ? 0 : 1));
    let { admin } = await server.newTeam();
    const token = hs.privateAppToken();
    expect(
      (await server.call('POST', '/crm/hubspot/private-app', { token: admin.accessToken, body: { token } }))
        .status,
    ).toBe(200);
    await server.call('PATCH', '/crm/settings', { token: admin.accessToken, body: { createContacts: true } });
    const company = hs.seed('companies', { name: 'Acme', domain: 'acme.test' });

    let mutationId = 0;
    const push = async (mutations: WorkMutation[]) => {
      const renewed = await server.call<Session>('POST', '/auth/refresh', {
        body: { refreshToken: admin.refreshToken },
      });
      admin = renewed.body;
      const res = await server.call<{ results: { status: string; reason?: string }[] }>(
        'POST',
        '/sync/push',
        {
          token: admin.accessToken,
          body: { clientId: 'device', mutations: mutations.map((m) => ({ ...m, id: ++mutationId })) },
        },
      );
      expect(res.body.results.filter((r) => r.status !== 'applied')).toEqual([]);
    };
    // Eight contacts at Acme (half already in HubSpot with the company), one enrollment each, and four deals,
    // each with a contact HubSpot has (with the company) and one it may not; then batches of the rep's work.
    const plan = crmWorkPlan(random, { mailbox: admin.user.email, now: server.now, domain: 'acme.test' });
    const { contacts, expected, dealStage } = plan;
    for (const [i, email] of contacts.entries())
      if (i % 2 === 0) hs.seed('contacts', { email }, [{ type: 'companies', id: company }]);
    await push(plan.people());
    await push(plan.deals());
    const queueSome = async () => {
      // A second between batches, so each stage move is later than HubSpot's record of the one before.
      server.advance(1000);
      await push(plan.next());
    };

    const points = [
      'claimed',
      'answered',
      'recording',
      'deals:claimed',
      'deals:answered',
      'deals:recording',
    ] as const;
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await queueSome();
      const how = random();
      let crashPoint: ((p: string) => void) | undefined;
      if (how < 0.5) {
        const at = points[Math.floor(random() * points.length)]!;
        let left = at.endsWith('recording') ? Math.floor(random() * 4) : 0;
        crashPoint = (p) => {
          if (p === at && left-- <= 0) throw new Kill(`killed at ${p}`);
        };
      } else {
        const pick = Math.floor(random() * (OBJECTS.length + 1));
        const route =
          pick === OBJECTS.length
            ? 'POST /crm/v3/objects/deals/batch/upsert'
            : `POST /crm/v3/objects/${OBJECTS[pick]!}/batch/create`;
        if (how < 0.7) hs.fault({ route, kind: 'drop', when: 'after' });
        else if (how < 0.85) hs.fault({ route, kind: 'status', status: 502, when: 'after' });
        else hs.fault({ route, kind: 'status', status: 502 });
      }
      const worker = createCrmWorker({
        db: server.database.db,
        log,
        now: server.now,
        config,
        ...(crashPoint ? { crashPoint } : {}),
      });
      await worker.runOnce();
      kills += 1;
      hs.clearFaults();
      // Sometimes the restarted worker runs at once; sometimes more work queues first.
      if (random() < 0.5)
        await createCrmWorker({ db: server.database.db, log, now: server.now, config }).runOnce();
    }
    expect(kills).toBe(ROUNDS);

    // Recovery: the worker runs until nothing waits (backoffs let pass).
    const db = crmDb(server.database.db);
    for (let i = 0; i < 20; i++) {
      await createCrmWorker({ db: server.database.db, log, now: server.now, config }).runOnce();
      const waiting = await db.selectFrom('crm_outbox').select('id').where('state', '=', 'pending').execute();
      const deals = await dealsDb(server.database.db)
        .selectFrom('crm_deal_links')
        .select('deal_id')
        .where('state', '!=', 'synced')
        .execute();
      if (!waiting.length && !deals.length) break;
      server.advance(60 * 60_000);
    }
    const rows = await db
      .selectFrom('crm_outbox')
      .selectAll()
      .where('team_id', '=', admin.user.teamId)
      .execute();
    expect(rows.filter((r) => r.state !== 'logged').map((r) => [r.id, r.state, r.last_error])).toEqual([]);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(expected.keys()));

    const contactIds = new Map(hs.records('contacts').map((c) => [c.properties.email, c.id]));
    const byActivity = new Map<
      string,
      { id: string; associations: Record<string, string[] | undefined> }[]
    >();
    for (const object of OBJECTS)
      for (const r of hs.records(object)) {
        const key = r.properties[ACTIVITY_ID_PROPERTY];
        if (key) byActivity.set(key, [...(byActivity.get(key) ?? []), r]);
      }
    for (const [id, i] of expected) {
      const records = byActivity.get(id) ?? [];
      expect(records.length, `${id} in HubSpot`).toBe(1);
      const record = records[0]!;
      expect(record.associations.contacts, `${id}'s contact`).toEqual([contactIds.get(contacts[i]!)]);
      if (i % 2 === 0) expect(record.associations.companies, `${id}'s company`).toEqual([company]);
      expect(rows.find((r) => r.id === id)!.crm_id).toBe(record.id);
    }
    expect(byActivity.size).toBe(expected.size);
    // Each deal once, at the stage it was last moved to, with its contact and company.
    for (const [id, stageId] of dealStage) {
      const deals = hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY] === id);
      expect(deals.length, `${id} in HubSpot`).toBe(1);
      expect(deals[0]!.properties.dealstage, `${id}'s stage`).toBe(HS_STAGE[stageId]);
      expect(deals[0]!.associations.contacts, `${id}'s contact`).toContain(
        contactIds.get(contacts[2 * Number(id.slice(1))]!),
      );
      expect(deals[0]!.associations.companies, `${id}'s company`).toEqual([company]);
    }
    // Each person once in HubSpot, however often their creation was cut short.
    expect(hs.records('contacts').filter((c) => c.properties.email?.endsWith('@acme.test'))).toHaveLength(
      contacts.length,
    );
  }, 300_000);
});
