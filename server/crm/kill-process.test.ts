// @vitest-environment node
/**
 * Exactly once through real kills: the backend runs as `npm run server` starts it (server/main.ts in a child
 * process), its CRM worker every 0.1 s (CRM_SYNC_INTERVAL_S) against the HubSpot sandbox, which runs in this
 * test process and so outlives every kill. An admin signs in (the test issuer), connects HubSpot with a
 * private-app token over the HTTP API and turns contact creation on; then, round after round, real sync pushes
 * queue a rep's work (sent emails, replies, out-of-office and bounce notes, meetings booked, completed calls,
 * LinkedIn steps, to-dos and manual emails, deal stage moves), and the server is killed with SIGKILL and
 * started again on the same data.
 *
 * Half the kills land at a random moment of the CRM send path: within 1.5 times the time an unkilled round
 * takes from the push to an empty outbox (before HubSpot is called, between its calls, while the answers are
 * recorded). The other half land at the sharpest point: the sandbox has applied a create or upsert (half of
 * them the round's first write, often the deals' batch upsert or the emails' batch create; half the batch
 * create in one of the activity objects the new batch logs to), and the answer is held back (`onApplied`)
 * until the process is gone, so HubSpot holds the records and the server never heard of them. In the end HubSpot holds each activity exactly once with its contact, the contact's company and the deal,
 * each deal once at its last stage, each person once, and every outbox row names its HubSpot record. Both
 * dedupe modes run side by side, each with a sandbox, a database and a server process of its own: a unique id
 * property, and search-before-create (`uniqueOnActivities: false`).
 *
 * The sandbox's rate limits are raised: a restarted process forgets its token bucket, and waiting out 429s is
 * the client's tests' subject, not this one's. A restart takes about 1.1 s on PostgreSQL and 1.7 s on
 * embedded PGlite on the 2-core development machine, so the issue's 100+ kills run on the database the run
 * has (PostgreSQL when DATABASE_URL is set, in a database of its own created and dropped here; else PGlite
 * in a temporary DATA_DIR): 52 per dedupe mode, 104 in all. With DATABASE_URL set, PGlite's folder is also
 * reopened after 6 kills per mode. KILL_SEED replays a run's work (not where its kills land: that is timing).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it, type ExpectStatic } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { ChangedRow, Mutation, MutationResult, PullResponse } from '../../lib/contract/sync';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { openDatabase, type DatabaseOptions } from '../db/database';
import { crmWorkPlan, HS_STAGE, xorshift, type WorkMutation } from '../testing/crm-work';
import { startTestIssuer, type TestIssuer } from '../testing/issuer';
import { freePort, serverProcess, type ServerProcess } from '../testing/process';
import { DEAL_ID_PROPERTY } from './deals';
import { dealsDb } from './deals-schema';
import { ACTIVITY_ID_PROPERTY } from './hubspot/mapping';
import { crmDb } from './schema';

const SEED = Number(process.env.KILL_SEED ?? 20261208);
const OBJECTS = ['emails', 'notes', 'calls', 'tasks', 'meetings'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Engine {
  name: string;
  env(): Promise<Record<string, string>>;
  /** How this test opens the database once the server is stopped. */
  options(): DatabaseOptions;
  cleanUp(): Promise<void>;
}

function embedded(): Engine {
  let dir = '';
  return {
    name: 'embedded PGlite',
    async env() {
      dir = await mkdtemp(join(tmpdir(), 'threadline-crm-kill-'));
      return { DATA_DIR: join(dir, 'pglite'), DATABASE_URL: '' };
    },
    options: () => ({ dataDir: join(dir, 'pglite') }),
    cleanUp: () => (dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve()),
  };
}

/** A database of its own on the server, created and dropped here (main.ts takes no schema). */
function postgres(url: string): Engine {
  const name = `threadline_crm_kill_${randomBytes(6).toString('hex')}`;
  const own = new URL(url);
  own.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: url });
  let created = false;
  return {
    name: 'PostgreSQL',
    async env() {
      await admin.connect();
      await admin.query(`create database ${name}`);
      created = true;
      return { DATABASE_URL: own.toString() };
    },
    options: () => ({ url: own.toString() }),
    cleanUp: async () => {
      if (created) await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

const MODES = [
  { mode: 'unique', uniqueOnActivities: true },
  { mode: 'search', uniqueOnActivities: false },
];
const onPostgres = !!process.env.DATABASE_URL;
const engines = [
  { name: 'embedded PGlite', kills: onPostgres ? 6 : 52, make: () => embedded() },
  ...(onPostgres ? [{ name: 'PostgreSQL', kills: 52, make: () => postgres(process.env.DATABASE_URL!) }] : []),
];

/** The backend over HTTP, as the extension and Settings → CRM call it. */
function api(server: ServerProcess) {
  return async <T>(method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

const isWrite = (r: { method: string; path: string; status: number }) =>
  r.method === 'POST' && /\/batch\/(create|upsert)$/.test(r.path) && r.status < 300;

type Applied = (r: { method: string; path: string; status: number }) => Promise<void>;

/**
 * The run: the admin connects, the rep's work is queued, the server is killed `kills` times and restarted,
 * and what HubSpot and the outbox hold is checked. `kill` sets what the sandbox calls once it has applied a
 * request, before it answers.
 */
async function killRounds({
  server,
  hs,
  issuer,
  engine,
  kills,
  run,
  expect,
  kill,
  signal,
}: {
  server: ServerProcess;
  hs: HubSpotSandbox;
  issuer: TestIssuer;
  engine: Engine;
  kills: number;
  run: { mode: string; uniqueOnActivities: boolean };
  expect: ExpectStatic;
  kill: (f: Applied | undefined) => void;
  /** Aborted when the test times out: the rounds stop, so the server is not restarted after the end. */
  signal: AbortSignal;
}) {
  const call = api(server);
  const random = xorshift(SEED + (run.uniqueOnActivities ? 0 : 1));
  // The admin signs in with an ID token, as the extension does, and connects HubSpot with a private app.
  const post = <T>(path: string, body: unknown) => call<T>('POST', path, undefined, body);
  const { nonce } = await post<{ nonce: string }>('/auth/nonce', {});
  const idToken = await issuer.idToken({
    sub: randomUUID(),
    email: `admin-${randomUUID()}@threadline.test`,
    nonce,
  });
  const admin = await post<Session>('/auth/signin', { idToken, nonce });
  const token = admin.accessToken;
  await call('POST', '/crm/hubspot/private-app', token, { token: hs.privateAppToken() });
  await call('PATCH', '/crm/settings', token, { createContacts: true });
  const company = hs.seed('companies', { name: 'Acme', domain: 'acme.test' });
  const plan = crmWorkPlan(random, { mailbox: admin.user.email, now: Date.now, domain: 'acme.test' });
  // Half the people are in HubSpot already, with the company; the others are created by the first touch.
  for (const [i, email] of plan.contacts.entries())
    if (i % 2 === 0) hs.seed('contacts', { email }, [{ type: 'companies', id: company }]);

  let mutationId = 0;
  const push = async (mutations: WorkMutation[]) => {
    const { results } = await call<{ results: MutationResult[] }>('POST', '/sync/push', token, {
      clientId: 'device',
      mutations: mutations.map((m): Mutation => ({ ...m, id: ++mutationId })),
    });
    expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  };
  const waiting = async () =>
    (await call<{ outbox: { waiting: number } }>('GET', '/crm/connection', token)).outbox.waiting;
  const until = async (what: string, done: () => Promise<boolean> | boolean, ms = 60_000) => {
    for (const start = Date.now(); !(await done()); await sleep(20))
      if (signal.aborted || Date.now() - start > ms)
        throw new Error(`${what} did not happen within ${ms} ms; the server said:\n${server.output()}`);
  };
  const hsDeals = () => hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY]);

  // The deals are in HubSpot, and their ids back in Threadline, before any touch: every activity of a
  // deal's person then goes with that deal.
  await push(plan.people());
  await push(plan.deals());
  const dealCrmIds = async () => {
    const rows: ChangedRow[] = [];
    for (let cursor = 0, more = true; more;) {
      const page = await call<PullResponse>('GET', `/sync/pull?cursor=${cursor}`, token);
      rows.push(...page.rows);
      ({ cursor, more } = page);
    }
    return new Map(
      rows
        .filter((r) => r.kind === 'deal' && (r.data as { crm?: { id: string } }).crm)
        .map((r) => [r.id, (r.data as { crm: { id: string } }).crm.id]),
    );
  };
  let crmIdOf = new Map<string, string>();
  await until('the deals written to HubSpot', async () => (crmIdOf = await dealCrmIds()).size === 4);

  // Unkilled rounds: how long a push takes to reach HubSpot, the random kills' window.
  const calm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await push(plan.next());
    await until('an unkilled round', async () => (await waiting()) === 0);
    calm.push(performance.now() - started);
  }
  const killWindow = 1.5 * calm.sort((a, b) => a - b)[1]!;

  const landed = {
    'before HubSpot was called': 0,
    'after HubSpot was called': 0,
    'a write applied, its answer not heard': 0,
  };
  /** The writes the sharp kills followed, by route ("emails/batch/create": 9, …). */
  const writes: Record<string, number> = {};
  const restarts: number[] = [];
  for (let round = 0; round < kills && !signal.aborted; round++) {
    await push(plan.next());
    let calls = 0;
    if (round % 2) {
      // The sharpest point: HubSpot has applied a create or upsert (the round's first, or the create in one
      // of the activity objects this batch logs to); the answer waits for the kill.
      const objects = plan.lastObjects;
      const target = random() < 0.5 ? undefined : objects[Math.floor(random() * objects.length)];
      const killed = new Promise<void>((resolve) => {
        kill(async (r) => {
          calls++;
          if (!isWrite(r) || (target && r.path !== `/crm/v3/objects/${target}/batch/create`)) return;
          const route = r.path.replace(/^\/crm\/v3\/objects\//, '');
          writes[route] = (writes[route] ?? 0) + 1;
          kill(undefined);
          await server.stop();
          resolve();
        });
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        killed,
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            const seen = JSON.stringify(hs.requests().slice(-12));
            reject(
              new Error(
                `round ${round}: no write reached HubSpot within 60 s (KILL_SEED=${SEED}); its last ` +
                  `requests: ${seen}; the server said:\n${server.output()}`,
              ),
            );
          }, 60_000);
        }),
      ]).finally(() => clearTimeout(timer));
      landed['a write applied, its answer not heard']++;
    } else {
      kill(async () => void calls++);
      await sleep(random() * killWindow);
      kill(undefined);
      await server.stop();
      landed[calls ? 'after HubSpot was called' : 'before HubSpot was called']++;
    }
    restarts.push(await server.start());
  }
  kill(undefined);
  console.info(
    `${engine.name}, ${run.mode} ids: ${kills} kills landed ${JSON.stringify(landed)} (the writes: ` +
      `${JSON.stringify(writes)}); random ` +
      `window ${Math.round(killWindow)} ms; restarts took ` +
      `${Math.round(restarts.sort((a, b) => a - b)[restarts.length >> 1]!)} ms (median)`,
  );
  // Kills landed at random and right after activities were created (else this would not test what it says).
  expect(landed['before HubSpot was called'] + landed['after HubSpot was called']).toBeGreaterThan(0);
  expect(OBJECTS.some((o) => writes[`${o}/batch/create`])).toBe(true);

  // Recovery: the restarted worker empties the outbox and brings every deal to its last stage.
  await until('the outbox emptied and the deals at their stages', async () => {
    if (await waiting()) return false;
    const deals = hsDeals();
    return [...plan.dealStage].every(([id, stage]) =>
      deals.some((d) => d.properties[DEAL_ID_PROPERTY] === id && d.properties.dealstage === HS_STAGE[stage]),
    );
  });
  await server.stop('SIGTERM');
  const database = await openDatabase(engine.options());
  const rows = await crmDb(database.db)
    .selectFrom('crm_outbox')
    .selectAll()
    .where('team_id', '=', admin.user.teamId)
    .execute();
  const links = await dealsDb(database.db)
    .selectFrom('crm_deal_links')
    .select(['deal_id', 'state', 'hubspot_id'])
    .where('team_id', '=', admin.user.teamId)
    .execute();
  await database.close();
  expect(rows.filter((r) => r.state !== 'logged').map((r) => [r.id, r.state, r.last_error])).toEqual([]);
  expect(new Set(rows.map((r) => r.id))).toEqual(new Set(plan.expected.keys()));
  expect(links.map((l) => [l.deal_id, l.state, l.hubspot_id]).sort()).toEqual(
    [...crmIdOf].map(([id, crmId]) => [id, 'synced', crmId]).sort(),
  );

  // Each activity once in HubSpot, with its contact, the contact's company (when HubSpot has one) and
  // the deal; its outbox row names it.
  const contactIds = new Map(hs.records('contacts').map((c) => [c.properties.email, c.id]));
  const byActivity = new Map<string, { id: string; associations: Record<string, string[] | undefined> }[]>();
  for (const object of OBJECTS)
    for (const r of hs.records(object)) {
      const key = r.properties[ACTIVITY_ID_PROPERTY];
      if (key) byActivity.set(key, [...(byActivity.get(key) ?? []), r]);
    }
  for (const [id, i] of plan.expected) {
    const records = byActivity.get(id) ?? [];
    expect(records.length, `${id} in HubSpot (KILL_SEED=${SEED})`).toBe(1);
    const record = records[0]!;
    expect(record.associations.contacts, `${id}'s contact`).toEqual([contactIds.get(plan.contacts[i]!)]);
    expect(record.associations.companies, `${id}'s company`).toEqual(i % 2 === 0 ? [company] : undefined);
    expect(record.associations.deals, `${id}'s deal`).toEqual([crmIdOf.get(`d${i >> 1}`)]);
    expect(rows.find((r) => r.id === id)!.crm_id, `${id}'s outbox row`).toBe(record.id);
  }
  expect(byActivity.size).toBe(plan.expected.size);
  // Each deal once, at the stage it was last moved to, with its people and the company.
  for (const [id, stage] of plan.dealStage) {
    const deals = hsDeals().filter((d) => d.properties[DEAL_ID_PROPERTY] === id);
    expect(
      deals.map((d) => d.id),
      `${id} in HubSpot`,
    ).toEqual([crmIdOf.get(id)]);
    expect(deals[0]!.properties.dealstage, `${id}'s stage`).toBe(HS_STAGE[stage]);
    expect(deals[0]!.associations.contacts, `${id}'s contact`).toContain(
      contactIds.get(plan.contacts[2 * Number(id.slice(1))]!),
    );
    expect(deals[0]!.associations.companies, `${id}'s company`).toEqual([company]);
  }
  // Each person once in HubSpot, however often their creation was cut short.
  expect(hs.records('contacts').filter((c) => c.properties.email?.endsWith('@acme.test'))).toHaveLength(
    plan.contacts.length,
  );
}

describe.each(engines)('the backend process SIGKILLed in its CRM send path ($name)', ({ kills, make }) => {
  // The two dedupe modes run side by side, each with a sandbox, a database and a process of its own: a
  // restart is mostly one process starting, which leaves the other core to the other mode.
  it.for(MODES)(
    `logs every activity and writes every deal exactly once after ${kills} kills ($mode ids)`,
    { concurrent: true, timeout: 900_000 },
    async (run, { expect, signal }) => {
      const engine = make();
      const issuer = await startTestIssuer();
      /** Each request the sandbox has applied, before it answers (the test's kill switch). */
      let applied: Applied | undefined;
      const hs = await startHubSpotSandbox({
        uniqueOnActivities: run.uniqueOnActivities,
        limits: { privateBurst: 100_000, searchPerSecond: 10_000 },
        onApplied: async (r) => applied?.(r),
      });
      let server: ServerProcess | undefined;
      // Should this test's process end first (a timeout), the backend does not outlive it.
      const reap = () => void server?.stop();
      process.once('exit', reap);
      try {
        server = serverProcess({
          ...(await engine.env()),
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          SESSION_SECRET: randomBytes(32).toString('hex'), // the same for every start: sessions outlive a restart
          TRACKING_SECRET: randomBytes(32).toString('hex'),
          OIDC_ISSUERS: JSON.stringify([{ issuer: issuer.issuer, audiences: [issuer.audience] }]),
          RATE_LIMIT_AUTH_PER_MINUTE: '0',
          LOG_LEVEL: 'warn',
          CRM_TOKEN_KEY: randomBytes(32).toString('base64'),
          HUBSPOT_API_BASE: hs.url,
          HUBSPOT_AUTHORIZE_URL: `${hs.url}/oauth/authorize`,
          CRM_SYNC_INTERVAL_S: '0.1',
        });
        await server.start();
        await killRounds({
          server,
          hs,
          issuer,
          engine,
          kills,
          run,
          expect,
          kill: (f) => (applied = f),
          signal,
        });
      } finally {
        process.off('exit', reap);
        applied = undefined;
        await server?.stop();
        await hs.stop();
        await issuer.close();
        await engine.cleanUp();
      }
    },
  );
});
