// @vitest-environment node
/**
 * The settings-facing parts of /crm that Settings → CRM leans on: what the server is set up for (a token key,
 * an OAuth app) shown before an admin tries to connect, and the connected portal's deal pipelines for the
 * stage mapping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCrm } from '../../scripts/demo-crm';
import { REP } from '../../tools/sandbox/demo/people';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from '../testing/crm';
import { createTestServer, type TestServer } from '../testing/harness';
import { parseTokenKey } from './secrets';

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
