// @vitest-environment node
/**
 * The settings-facing parts of /crm that Settings → CRM leans on: what the server is set up for (a token key,
 * an OAuth app) shown before an admin tries to connect; the connected portal's deal pipelines for the stage
 * mapping (HubSpot down answers 502, kept a few minutes per team, forgotten on reconnecting); the failures,
 * seen by managers and admins only, and a retry that keeps HubSpot's daily-limit block.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import { startDemoCrm } from '../../scripts/demo-crm';
import { REP } from '../../tools/sandbox/demo/people';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from '../testing/crm';
import { createTestServer, type TestServer } from '../testing/harness';
import { dealsDb } from './deals-schema';
import { CRM_READS_PER_MINUTE } from './guard';
import { crmDb } from './schema';
import { parseTokenKey } from './secrets';
import { PIPELINES_TTL_MS } from './team-reads';

let hs: HubSpotSandbox;
let server: TestServer;
let bare: TestServer;

beforeAll(async () => {
  const crm = await crmSandboxForTests();
  hs = crm.hs;
  server = await createTestServer({ crm: crm.config });
  // A server with HubSpot's address but neither CRM_TOKEN_KEY nor an OAuth app.
  bare = await createTestServer({
    crm: { hubspot: { apiBase: hs.url, authorizeUrl: `${hs.url}/oauth/authorize` } },
  });
}, 120_000);
afterAll(async () => {
  await Promise.all([server.close(), bare.close()]);
  await hs.stop();
});

describe('/crm for Settings → CRM', () => {
  it('says what the server is set up for, so the page can name a missing CRM_TOKEN_KEY before anyone tries', async () => {
    const { admin } = await bare.newTeam();
    const status = await bare.call<{ server: unknown }>('GET', '/crm/connection', {
      token: admin.accessToken,
    });
    expect(status.body.server).toEqual({ tokenKey: false, oauth: false });
    const tried = await bare.call<{ error: { code: string; message: string } }>(
      'POST',
      '/crm/hubspot/private-app',
      {
        token: admin.accessToken,
        body: { token: hs.privateAppToken() },
      },
    );
    expect(tried.status).toBe(503);
    expect(tried.body.error.code).toBe('crm_key_missing');
    expect(tried.body.error.message).toMatch(/CRM_TOKEN_KEY is not set/);

    const { admin: other } = await server.newTeam();
    const ready = await server.call<{ server: unknown }>('GET', '/crm/connection', {
      token: other.accessToken,
    });
    expect(ready.body.server).toEqual({ tokenKey: true, oauth: true });
  });

  it('lists the connected portal’s deal pipelines with their stages in order, to any member; 404 before connecting', async () => {
    const { admin, members } = await server.newTeam('rep');
    const before = await server.call('GET', '/crm/pipelines', { token: admin.accessToken });
    expect(before.status).toBe(404);
    const connected = await server.call('POST', '/crm/hubspot/private-app', {
      token: admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    expect(connected.status).toBe(200);
    const res = await server.call<{
      pipelines: { id: string; label: string; stages: { id: string; label: string; closed: boolean }[] }[];
    }>('GET', '/crm/pipelines', { token: members[0]!.accessToken });
    expect(res.status).toBe(200);
    const pipeline = res.body.pipelines.find((p) => p.id === 'default')!;
    expect(pipeline.label).toBe('Sales Pipeline');
    expect(pipeline.stages.map((s) => s.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    expect(pipeline.stages.filter((s) => s.closed).map((s) => s.id)).toEqual(['closedwon', 'closedlost']);
  });
});

describe('/crm/pipelines: HubSpot down, and kept a few minutes', () => {
  const pipelineReads = () => hs.requests().filter((r) => r.path === '/crm/v3/pipelines/deals').length;

  it('answers 429 past the per-member CRM read limit, as the other HubSpot reads do', async () => {
    const { admin, members } = await server.newTeam('rep');
    await server.call('POST', '/crm/hubspot/private-app', {
      token: admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    server.advance(60_000);
    const open = (s: Session) => server.call('GET', '/crm/pipelines', { token: s.accessToken });
    for (let i = 0; i < CRM_READS_PER_MINUTE; i++) expect((await open(admin)).status).toBe(200);
    const over = (await open(admin)) as {
      status: number;
      body: { error: { code: string; message: string } };
    };
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limited');
    expect(over.body.error.message).toMatch(/to the CRM/);
    // Counted per member: another member of the team still gets the list.
    expect((await open(members[0]!)).status).toBe(200);
  });

  it('answers 502 with HubSpot’s message when HubSpot is down (not a 500), and lists them once it is back', async () => {
    const { admin } = await server.newTeam();
    await server.call('POST', '/crm/hubspot/private-app', {
      token: admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    hs.fault({ route: 'GET /crm/v3/pipelines/deals', kind: 'status', status: 503, times: 10 });
    const down = await server.call<{ error: { code: string; message: string } }>('GET', '/crm/pipelines', {
      token: admin.accessToken,
    });
    hs.clearFaults();
    expect(down.status).toBe(502);
    expect(down.body.error.code).toBe('crm_unavailable');
    expect(down.body.error.message).toMatch(/HubSpot did not answer the pipelines list/);
    // The failure was not kept: HubSpot back, the list comes.
    const back = await server.call<{ pipelines: unknown[] }>('GET', '/crm/pipelines', {
      token: admin.accessToken,
    });
    expect(back.status).toBe(200);
    expect(back.body.pipelines.length).toBeGreaterThan(0);
  });

  it('asks HubSpot once per team for a few minutes, and again after reconnecting or once they pass', async () => {
    const { admin, members } = await server.newTeam('rep');
    const connect = () =>
      server.call('POST', '/crm/hubspot/private-app', {
        token: admin.accessToken,
        body: { token: hs.privateAppToken() },
      });
    const open = (s = admin) => server.call('GET', '/crm/pipelines', { token: s.accessToken });
    expect((await connect()).status).toBe(200);
    const before = pipelineReads();
    expect((await open()).status).toBe(200);
    expect(pipelineReads()).toBe(before + 1);
    // Settings opened again, by anyone of the team: nothing asked.
    expect((await open(members[0]!)).status).toBe(200);
    expect((await open()).status).toBe(200);
    expect(pipelineReads()).toBe(before + 1);
    // Another team is asked for its own.
    const other = await server.newTeam();
    await server.call('POST', '/crm/hubspot/private-app', {
      token: other.admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    await open(other.admin);
    expect(pipelineReads()).toBe(before + 2);
    // Disconnecting and connecting again forgets them.
    expect((await server.call('DELETE', '/crm/connection', { token: admin.accessToken })).status).toBe(200);
    expect((await open()).status).toBe(404);
    expect((await connect()).status).toBe(200);
    await open();
    expect(pipelineReads()).toBe(before + 3);
    server.advance(PIPELINES_TTL_MS + 1000);
    await open();
    expect(pipelineReads()).toBe(before + 4);
  });
});

describe('/crm/connection after reconnecting to another portal', () => {
  it('says which portal the deals were linked in before, to every member, until the deal round settles it', async () => {
    const { admin, members } = await server.newTeam('rep');
    await server.call('POST', '/crm/hubspot/private-app', {
      token: admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    type Status = { dealsPortalChange: unknown };
    const status = (s: Session) => server.call<Status>('GET', '/crm/connection', { token: s.accessToken });
    expect((await status(admin)).body.dealsPortalChange).toBeNull();
    // The team's deal links were settled for another portal (the deal round has not run since reconnecting).
    await dealsDb(server.database.db)
      .insertInto('crm_deal_cursor')
      .values({
        team_id: admin.user.teamId,
        polled_to: 0,
        polled_at: 0,
        portal_id: '11112222',
        connected_at: 1,
        previous_portal_id: null,
        portal_changed_at: null,
        requeued: null,
        swept_to: null,
      })
      .execute();
    for (const s of [admin, members[0]!])
      expect((await status(s)).body.dealsPortalChange).toEqual({
        previousPortalId: '11112222',
        at: null,
        requeued: null,
      });
  });
});

describe('/crm/failures: who sees them, and a retry under HubSpot’s daily limit', () => {
  async function teamWithFailure() {
    const team = await server.newTeam('rep', 'manager');
    await server.call('POST', '/crm/hubspot/private-app', {
      token: team.admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    const now = server.now();
    await crmDb(server.database.db)
      .insertInto('crm_outbox')
      .values({
        team_id: team.admin.user.teamId,
        id: 'email:sent:f1',
        kind: 'email',
        user_id: team.members[0]!.user.id,
        contact_id: null,
        payload: JSON.stringify({}),
        state: 'failed',
        attempts: 3,
        last_error: 'Property values were not valid: hs_email_subject (ada@acme.example, Globex renewal)',
        crm_id: null,
        created_at: now,
        updated_at: now,
        next_at: now,
      })
      .execute();
    return team;
  }

  it('lists them to managers and admins; a rep gets 403 and none of HubSpot’s messages', async () => {
    const { admin, members } = await teamWithFailure();
    const [rep, manager] = members as [Session, Session];
    // The attack: a rep reads the team's failures (HubSpot's messages about colleagues' contacts).
    const refused = await server.call('GET', '/crm/failures', { token: rep.accessToken });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toMatch(/hs_email_subject|ada@acme|Globex/);
    for (const s of [manager, admin]) {
      const seen = await server.call<{ failures: { id: string; message: string }[] }>(
        'GET',
        '/crm/failures',
        {
          token: s.accessToken,
        },
      );
      expect(seen.status).toBe(200);
      expect(seen.body.failures.map((f) => f.id)).toEqual(['email:sent:f1']);
    }
    // Retrying stays the admin's.
    expect(
      (await server.call('POST', '/crm/failures/retry', { token: manager.accessToken, body: {} })).status,
    ).toBe(403);
  });

  it('a retry keeps HubSpot’s daily-limit block: the rows go once it ends, not before', async () => {
    const { admin } = await teamWithFailure();
    const db = crmDb(server.database.db);
    const teamId = admin.user.teamId;
    const until = Math.floor(server.now() / 86_400_000 + 1) * 86_400_000;
    await db
      .updateTable('crm_connections')
      .set({ blocked_until: until })
      .where('team_id', '=', teamId)
      .execute();
    const res = await server.call<{ retried: number; blockedUntil: number | null }>(
      'POST',
      '/crm/failures/retry',
      { token: admin.accessToken, body: {} },
    );
    expect(res.status).toBe(200);
    const conn = await db
      .selectFrom('crm_connections')
      .select('blocked_until')
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    expect(Number(conn.blocked_until)).toBe(until);
    const row = await db
      .selectFrom('crm_outbox')
      .select(['state', 'next_at', 'attempts'])
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    expect(Number(row.next_at)).toBe(until);
    expect(res.body).toEqual({ retried: 1, blockedUntil: until });
    // Without a block (or once it passed) a retry goes now.
    await db.updateTable('crm_outbox').set({ state: 'failed' }).where('team_id', '=', teamId).execute();
    await db
      .updateTable('crm_connections')
      .set({ blocked_until: server.now() - 1 })
      .where('team_id', '=', teamId)
      .execute();
    const later = await server.call<{ blockedUntil: number | null }>('POST', '/crm/failures/retry', {
      token: admin.accessToken,
      body: {},
    });
    expect(later.body.blockedUntil).toBeNull();
    const now = await db
      .selectFrom('crm_outbox')
      .select('next_at')
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    expect(Number(now.next_at)).toBeLessThanOrEqual(server.now());
  });
});

describe('the demo portal npm start runs', () => {
  it('connects with OAuth through its consent page, and the demo rep is matched to their HubSpot owner', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-demo-crm-'));
    const demo = await startDemoCrm({ backendUrl: 'http://threadline.test', dataDir, port: 0, env: {} });
    const backend = await createTestServer({
      crm: {
        tokenKey: parseTokenKey(demo.env.CRM_TOKEN_KEY!),
        hubspot: {
          apiBase: demo.env.HUBSPOT_API_BASE!,
          authorizeUrl: demo.env.HUBSPOT_AUTHORIZE_URL!,
          clientId: demo.env.HUBSPOT_CLIENT_ID!,
          clientSecret: demo.env.HUBSPOT_CLIENT_SECRET!,
        },
        sleep: async () => {},
      },
    });
    try {
      const admin = await backend.signIn({ email: REP.address });
      const start = await backend.call<{ url: string }>('POST', '/crm/hubspot/authorize', {
        token: admin.accessToken,
      });
      const url = new URL(start.body.url);
      const consent = await fetch(`${demo.hubspot.url}/oauth/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...Object.fromEntries(url.searchParams), decision: 'allow' }),
        redirect: 'manual',
      });
      const back = new URL(consent.headers.get('location')!);
      const page = await backend.call<string>('GET', back.pathname + back.search);
      expect(String(page.body)).toContain('HubSpot is connected');
      const owners = await backend.call<{
        members: { email: string; ownerId: string | null }[];
        owners: { id: string; email: string; name: string }[];
      }>('GET', '/crm/owners', { token: admin.accessToken });
      const mine = owners.body.members.find((m) => m.email === REP.address)!;
      expect(owners.body.owners.find((o) => o.id === mine.ownerId)?.name).toBe(REP.name);
      expect(mine.ownerId).toBe(demo.seeded.owners.rep);
    } finally {
      await backend.close();
      await demo.hubspot.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
