// @vitest-environment node
/**
 * POST /crm/lookup against the HubSpot sandbox: a member sees the team's HubSpot contacts (owner, lifecycle
 * stage, last activity, company, title, time zone, link) and their open deals with pipeline and stage labels;
 * reopening within the minute asks HubSpot nothing; another team never reads through this team's connection;
 * not connected, bad input and HubSpot down each answer a named error; no token in any answer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { CrmLookupPerson } from '../../lib/contract/crm-lookup';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from '../testing/crm';
import { createTestServer, type TestServer } from '../testing/harness';
import type { CrmConfig } from './config';
import { crmLookupHandlers } from '../../lib/background/crm-lookup';
import { CrmLookupAnswer } from '../../lib/protocol/crm-lookup';
import { ianaZoneOf } from './hubspot/reads';
import { CRM_READS_PER_MINUTE } from './lookup-routes';
import { dailyBudgetAllows } from './lookup';
import { crmDb } from './schema';

let hs: HubSpotSandbox;
let server: TestServer;
let config: CrmConfig;
let clock: () => number = Date.now;
let team: { admin: Session; members: Session[] };
let privateToken: string;
const answers: string[] = [];

interface LookupBody {
  portalId: string;
  cached: boolean;
  people: CrmLookupPerson[];
}

async function lookup(s: Session | undefined, body: unknown) {
  const res = await server.call<LookupBody & { error?: { code: string; message: string } }>(
    'POST',
    '/crm/lookup',
    { ...(s ? { token: s.accessToken } : {}), body },
  );
  answers.push(JSON.stringify(res.body));
  return res;
}

/** Changes Ada's title in HubSpot, as someone in HubSpot's app would. */
async function setAdaTitle(jobtitle: string) {
  const res = await fetch(`${hs.url}/crm/v3/objects/contacts/${adaId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${hs.privateAppToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { jobtitle } }),
  });
  expect(res.status).toBe(200);
}

const hubspotReads = () => hs.requests().filter((r) => r.path.startsWith('/crm/')).length;

let adaId: string;
let openDealId: string;
let writtenDealId: string;
let samDealId: string;
let repDealId: string;

beforeAll(async () => {
  ({ hs, config } = await crmSandboxForTests({ now: () => clock() }));
  server = await createTestServer({ crm: config });
  clock = server.now;
  // members: [0] a rep, [1] a manager, [2] a rep spending their lookups, [3] a rep with no HubSpot owner.
  team = await server.newTeam('rep', 'manager', 'rep', 'rep');
  const owner = hs.addOwner({ email: team.admin.user.email, firstName: 'Sam', lastName: 'Rivera' });
  const repOwner = hs.addOwner({ email: team.members[0]!.user.email, firstName: 'Ria', lastName: 'Patel' });
  const cy = hs.seed('contacts', { email: 'cy@globex.example', firstname: 'Cy', hubspot_owner_id: owner.id });
  samDealId = hs.seed(
    'deals',
    {
      dealname: 'Globex renewal',
      pipeline: 'default',
      dealstage: 'qualifiedtobuy',
      amount: '98000',
      hubspot_owner_id: owner.id,
    },
    [{ type: 'contacts', id: cy }],
  );
  repDealId = hs.seed(
    'deals',
    {
      dealname: 'Globex add-on',
      pipeline: 'default',
      dealstage: 'qualifiedtobuy',
      amount: '1200',
      hubspot_owner_id: repOwner.id,
    },
    [{ type: 'contacts', id: cy }],
  );
  const company = hs.seed('companies', { name: 'Acme Analytics', domain: 'acme.example' });
  adaId = hs.seed(
    'contacts',
    {
      email: 'ada@acme.example',
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Acme Analytics',
      jobtitle: 'Head of Data',
      hs_timezone: 'europe_slash_london',
      lifecyclestage: 'opportunity',
      hubspot_owner_id: owner.id,
      notes_last_updated: '2026-11-30T10:00:00.000Z',
    },
    [{ type: 'companies', id: company }],
  );
  openDealId = hs.seed(
    'deals',
    { dealname: 'Acme expansion', pipeline: 'default', dealstage: 'qualifiedtobuy' },
    [{ type: 'contacts', id: adaId }],
  );
  // The deal bridge's property, as it creates it on connect: a HubSpot deal written from a Threadline deal.
  const made = await fetch(`${hs.url}/crm/v3/properties/deals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hs.privateAppToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'threadline_deal_id',
      label: 'Threadline deal id',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
      hasUniqueValue: true,
    }),
  });
  expect(made.status).toBe(201);
  writtenDealId = hs.seed(
    'deals',
    {
      dealname: 'Acme analysts',
      pipeline: 'default',
      dealstage: 'contractsent',
      threadline_deal_id: 'deal-acme-1',
    },
    [{ type: 'contacts', id: adaId }],
  );
  hs.seed('deals', { dealname: 'Acme pilot (lost)', pipeline: 'default', dealstage: 'closedlost' }, [
    { type: 'contacts', id: adaId },
  ]);
  hs.seed('contacts', { email: 'ben@acme.example', firstname: 'Ben' });
  privateToken = hs.privateAppToken();
  const connected = await server.call('POST', '/crm/hubspot/private-app', {
    token: team.admin.accessToken,
    body: { token: privateToken },
  });
  expect(connected.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await hs?.stop();
});

describe('POST /crm/lookup', () => {
  it('answers each address with its HubSpot contact and open deals (stage labels from the pipelines), in a few requests', async () => {
    const before = hubspotReads();
    const res = await lookup(team.members[1], {
      emails: ['Ada@Acme.example', 'ben@acme.example', 'nobody@else.example'],
    });
    expect(res.status).toBe(200);
    expect(res.body.cached).toBe(false);
    const [ada, ben, nobody] = res.body.people;
    expect(ada).toMatchObject({
      email: 'ada@acme.example',
      contact: {
        id: adaId,
        name: 'Ada Lovelace',
        owner: { name: 'Sam Rivera', email: team.admin.user.email },
        lifecycleStage: 'opportunity',
        lastActivityAt: Date.parse('2026-11-30T10:00:00.000Z'),
        company: 'Acme Analytics',
        jobTitle: 'Head of Data',
        timeZone: 'Europe/London',
        url: `https://app.hubspot.com/contacts/${hs.portalId}/record/0-1/${adaId}`,
      },
    });
    // The lost deal is closed: the open ones, with HubSpot's labels and the Threadline deal one came from.
    expect(ada!.contact!.deals).toEqual([
      {
        id: openDealId,
        name: 'Acme expansion',
        url: `https://app.hubspot.com/contacts/${hs.portalId}/record/0-3/${openDealId}`,
        pipeline: { id: 'default', label: 'Sales Pipeline' },
        stage: { id: 'qualifiedtobuy', label: 'Qualified To Buy' },
      },
      {
        id: writtenDealId,
        name: 'Acme analysts',
        url: `https://app.hubspot.com/contacts/${hs.portalId}/record/0-3/${writtenDealId}`,
        pipeline: { id: 'default', label: 'Sales Pipeline' },
        stage: { id: 'contractsent', label: 'Contract Sent' },
        threadlineDealId: 'deal-acme-1',
      },
    ]);
    expect(ben).toMatchObject({ email: 'ben@acme.example', contact: { name: 'Ben', deals: [] } });
    expect(nobody).toEqual({ email: 'nobody@else.example', contact: null });
    // contacts, their deal links, the deals; owners and pipelines once (kept ten minutes).
    expect(hubspotReads() - before).toBeLessThanOrEqual(5);
  });

  it('asks HubSpot nothing when the thread is reopened within the minute, and again after it', async () => {
    const emails = ['ada@acme.example', 'ben@acme.example'];
    await lookup(team.admin, { emails });
    const before = hubspotReads();
    const again = await lookup(team.members[0], { emails });
    expect(again.status).toBe(200);
    expect(again.body.cached).toBe(true);
    expect(again.body.people[0]!.contact!.name).toBe('Ada Lovelace');
    expect(hubspotReads()).toBe(before);
    server.advance(61_000);
    const later = await lookup(team.members[0], { emails });
    expect(later.body.cached).toBe(false);
    // Owners and pipelines are still kept: the contacts, their deal links and the deals.
    expect(hubspotReads() - before).toBe(3);
  });

  it('counts the requests in the day’s usage Settings → CRM shows', async () => {
    server.advance(61_000);
    const before = await server.call<{ usage: { used: number } }>('GET', '/crm/connection', {
      token: team.admin.accessToken,
    });
    await lookup(team.admin, { emails: ['ada@acme.example'] });
    const after = await server.call<{ usage: { used: number } }>('GET', '/crm/connection', {
      token: team.admin.accessToken,
    });
    expect(after.body.usage.used).toBeGreaterThan(before.body.usage.used);
  });

  it('never reads through another team’s connection, even for an address this team has cached', async () => {
    await lookup(team.members[0], { emails: ['ada@acme.example'] });
    const other = await server.newTeam('rep');
    const before = hubspotReads();
    for (const s of [other.admin, other.members[0]!]) {
      const res = await lookup(s, { emails: ['ada@acme.example'] });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_connected' });
      expect(JSON.stringify(res.body)).not.toContain('Lovelace');
    }
    expect(hubspotReads()).toBe(before);
  });

  it('refuses without a session, and names the bad input', async () => {
    expect((await lookup(undefined, { emails: ['ada@acme.example'] })).status).toBe(401);
    const cases: [unknown, string][] = [
      [{ emails: [] }, 'emails'],
      [{ emails: ['not an address'] }, 'emails'],
      [{ emails: Array.from({ length: 51 }, (_, i) => `p${i}@x.example`) }, 'emails'],
      [{ emails: ['a@x.example'], extra: 1 }, 'extra'],
      [{}, 'emails'],
    ];
    for (const [body, field] of cases) {
      const res = await lookup(team.admin, body);
      expect(res.status).toBe(400);
      expect(res.body.error!.code).toBe('invalid_request');
      expect(res.body.error!.message).toContain(field);
    }
  });

  it('answers 502 with HubSpot’s message when HubSpot is down, and serves again once it is back', async () => {
    server.advance(61_000);
    hs.fault({ route: 'POST /crm/v3/objects/contacts/batch/read', kind: 'status', status: 503, times: 10 });
    const down = await lookup(team.admin, { emails: ['ada@acme.example'] });
    expect(down.status).toBe(502);
    expect(down.body.error).toMatchObject({ code: 'crm_unavailable' });
    expect(down.body.error!.message).toMatch(/HubSpot/);
    hs.clearFaults();
    const back = await lookup(team.admin, { emails: ['ada@acme.example'] });
    expect(back.status).toBe(200);
    expect(back.body.people[0]!.contact!.name).toBe('Ada Lovelace');
  });

  it('shows a rep only their own HubSpot owner’s open deals, even from a manager’s cached answer', async () => {
    server.advance(61_000);
    const manager = await lookup(team.members[1], { emails: ['cy@globex.example'] });
    expect(manager.status).toBe(200);
    expect(manager.body.cached).toBe(false);
    expect(manager.body.people[0]!.contact!.deals.map((d) => d.id).sort()).toEqual(
      [samDealId, repDealId].sort(),
    );
    expect(JSON.stringify(manager.body)).toContain('98000');
    // The attack: a rep asks for a contact whose deal belongs to another owner, right after the manager
    // (the team's minute-long cache holds the manager's answer).
    const rep = await lookup(team.members[0], { emails: ['cy@globex.example'] });
    expect(rep.status).toBe(200);
    expect(rep.body.cached).toBe(true);
    const contact = rep.body.people[0]!.contact!;
    expect(contact).toMatchObject({ name: 'Cy', owner: { name: 'Sam Rivera' } });
    expect(contact.deals.map((d) => d.id)).toEqual([repDealId]);
    expect(JSON.stringify(rep.body)).not.toContain('98000');
    expect(JSON.stringify(rep.body)).not.toContain('Globex renewal');
    // A rep with no HubSpot owner sees no deal at all; unowned deals are not theirs either.
    const unmapped = await lookup(team.members[3], { emails: ['cy@globex.example', 'ada@acme.example'] });
    expect(unmapped.status).toBe(200);
    expect(unmapped.body.people.map((p) => p.contact!.deals)).toEqual([[], []]);
    expect(JSON.stringify(unmapped.body)).not.toMatch(/98000|Acme expansion|ownerId/);
  });

  it('refuses a member’s lookups past the minute’s share with 429 and Retry-After, others still served', async () => {
    server.advance(61_000);
    const ask = () =>
      server.app.request('/crm/lookup', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${team.members[2]!.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ emails: ['ben@acme.example'] }),
      });
    for (let i = 0; i < CRM_READS_PER_MINUTE; i++) expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toContain(`${CRM_READS_PER_MINUTE} a minute`);
    expect((await lookup(team.admin, { emails: ['ben@acme.example'] })).status).toBe(200);
    server.advance(60_000);
    expect((await ask()).status).toBe(200);
  });

  it('counts a member’s lookups per member, not per session: signing in again adds none', async () => {
    server.advance(61_000);
    // The attack: one member signs in again and again (a script, or many devices) to multiply the limit.
    const sub = randomUUID();
    const email = `many-sessions-${sub}@example.com`;
    const sessions: Session[] = [];
    for (let i = 0; i < 4; i++) sessions.push(await server.signIn({ sub, email }));
    expect(new Set(sessions.map((s) => s.user.id)).size).toBe(1);
    expect(new Set(sessions.map((s) => s.accessToken)).size).toBe(4);
    const statuses: number[] = [];
    for (let i = 0; i < CRM_READS_PER_MINUTE + 8; i++)
      statuses.push((await lookup(sessions[i % sessions.length], { emails: ['ben@acme.example'] })).status);
    // Their team has no CRM (404), but each request is counted before that, across all four sessions.
    expect(statuses.slice(0, CRM_READS_PER_MINUTE).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(CRM_READS_PER_MINUTE)).toEqual(Array(8).fill(429));
    // A new session the next second is refused too.
    const again = await lookup(await server.signIn({ sub, email }), { emails: ['ben@acme.example'] });
    expect(again.status).toBe(429);
  });

  it('forgets a team’s answers when it disconnects, so reconnecting never serves the old connection’s', async () => {
    server.advance(61_000);
    const other = await server.newTeam('rep');
    const connect = () =>
      server.call('POST', '/crm/hubspot/private-app', {
        token: other.admin.accessToken,
        body: { token: hs.privateAppToken() },
      });
    expect((await connect()).status).toBe(200);
    const first = await lookup(other.members[0], { emails: ['ada@acme.example'] });
    expect(first.body.cached).toBe(false);
    expect((await lookup(other.members[0], { emails: ['ada@acme.example'] })).body.cached).toBe(true);
    // HubSpot changes Ada; the admin disconnects and connects again within the minute.
    await setAdaTitle('Chief Data Officer');
    expect((await server.call('DELETE', '/crm/connection', { token: other.admin.accessToken })).status).toBe(
      200,
    );
    expect((await lookup(other.members[0], { emails: ['ada@acme.example'] })).status).toBe(404);
    expect((await connect()).status).toBe(200);
    const after = await lookup(other.members[0], { emails: ['ada@acme.example'] });
    expect(after.status).toBe(200);
    expect(after.body.cached).toBe(false);
    expect(after.body.people[0]!.contact!.jobTitle).toBe('Chief Data Officer');
    await setAdaTitle('Head of Data');
  });

  it('limits a member’s deal refreshes the same way', async () => {
    server.advance(61_000);
    const refresh = () =>
      server.call<{ error: { code: string } }>('POST', '/crm/deals/refresh', {
        token: team.members[3]!.accessToken,
        body: { dealId: 'no-such-deal' },
      });
    for (let i = 0; i < CRM_READS_PER_MINUTE; i++) expect((await refresh()).status).toBe(404);
    const refused = await refresh();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
  });

  it('stops lookups once the day’s HubSpot usage passes the reserve kept for activity logging', async () => {
    const db = crmDb(server.database.db);
    const day = new Date(server.now()).toISOString().slice(0, 10);
    const row = await db
      .selectFrom('crm_connections')
      .select(['daily_day', 'daily_used', 'daily_limit', 'daily_remaining'])
      .where('team_id', '=', team.admin.user.teamId)
      .executeTakeFirstOrThrow();
    const set = (v: { daily_used: number; daily_limit: number | null; daily_remaining: number | null }) =>
      db
        .updateTable('crm_connections')
        .set({ ...v, daily_day: day })
        .where('team_id', '=', team.admin.user.teamId)
        .execute();
    try {
      await set({ daily_used: 850, daily_limit: 1000, daily_remaining: null });
      const refused = await lookup(team.members[1], { emails: ['ada@acme.example'] });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ code: 'crm_lookup_budget' });
      expect(refused.body.error!.message).toMatch(/80%.*1000/);
      // HubSpot's own count (all apps of the portal) counts too.
      await set({ daily_used: 10, daily_limit: 1000, daily_remaining: 150 });
      expect((await lookup(team.members[1], { emails: ['ada@acme.example'] })).status).toBe(429);
      await set({ daily_used: 700, daily_limit: 1000, daily_remaining: 300 });
      expect((await lookup(team.members[1], { emails: ['ada@acme.example'] })).status).toBe(200);
    } finally {
      await db
        .updateTable('crm_connections')
        .set({ ...row, daily_used: Number(row.daily_used) })
        .where('team_id', '=', team.admin.user.teamId)
        .execute();
    }
  });

  it('never answers a token', async () => {
    // Its own lookup (the answers of the tests above are checked too).
    server.advance(61_000);
    const own = await lookup(team.members[1], { emails: ['ada@acme.example', 'cy@globex.example'] });
    expect(own.status).toBe(200);
    expect(own.body.people[0]!.contact!.name).toBe('Ada Lovelace');
    const all = answers.join('\n');
    expect(answers.length).toBeGreaterThan(1);
    expect(all).not.toContain(privateToken);
    expect(all).not.toMatch(/access_?token|refresh_?token/i);
  });
});

describe('the extension’s background (crmLookup.people) over the backend', () => {
  const fetchApp: typeof fetch = (input, init) =>
    Promise.resolve(server.app.request(String(input), init as RequestInit));
  const handlerFor = (s: Session | undefined) =>
    crmLookupHandlers({
      session: {
        load: async () =>
          s ? ({ url: 'http://threadline.test', clientId: 'c', session: s } as never) : undefined,
        token: async () => s!.accessToken,
      },
      fetch: fetchApp,
      now: () => server.now(),
    })['crmLookup.people']!;

  it('answers the mail page the participants’ display fields, or a quiet state', async () => {
    const sender = { id: 'ext', url: 'https://outlook.office.com/mail/' };
    const found = CrmLookupAnswer.parse(
      await handlerFor(team.members[0])({ emails: ['ada@acme.example'] }, sender),
    );
    expect(found).toMatchObject({
      state: 'found',
      people: [{ email: 'ada@acme.example', contact: { name: 'Ada Lovelace' } }],
    });
    expect(JSON.stringify(found)).not.toContain(privateToken);
    expect(JSON.stringify(found)).not.toContain(team.members[0]!.accessToken);
    const other = await server.newTeam();
    expect(await handlerFor(other.admin)({ emails: ['ada@acme.example'] }, sender)).toEqual({
      state: 'not_connected',
    });
    expect(await handlerFor(undefined)({ emails: ['ada@acme.example'] }, sender)).toEqual({
      state: 'no_backend',
    });
    server.advance(61_000);
    hs.fault({ route: 'POST /crm/v3/objects/contacts/batch/read', kind: 'status', status: 500, times: 5 });
    const failed = await handlerFor(team.admin)({ emails: ['ada@acme.example'] }, sender);
    hs.clearFaults();
    expect(failed).toMatchObject({ state: 'error', message: expect.stringMatching(/502.*HubSpot/) });
  });
});

describe('dailyBudgetAllows', () => {
  const today = '2026-12-07';
  it('stops lookups past 80% of a known daily limit while the outbox may write up to the limit', () => {
    const past = { day: today, used: 850, limit: 1000, remaining: null };
    expect(dailyBudgetAllows(past, today, 'lookup')).toBe(false);
    expect(dailyBudgetAllows(past, today, 'outbox')).toBe(true);
    expect(dailyBudgetAllows({ ...past, used: 799 }, today, 'lookup')).toBe(true);
    expect(dailyBudgetAllows({ ...past, used: 1000 }, today, 'outbox')).toBe(false);
    // HubSpot's remaining count (other apps of the portal too) wins over Threadline's own.
    expect(dailyBudgetAllows({ ...past, used: 5, remaining: 100 }, today, 'lookup')).toBe(false);
    // Yesterday's count, or no known limit: both go.
    expect(dailyBudgetAllows({ ...past, day: '2026-12-06' }, today, 'lookup')).toBe(true);
    expect(dailyBudgetAllows({ ...past, limit: null }, today, 'lookup')).toBe(true);
  });
});

describe('ianaZoneOf', () => {
  it('reads HubSpot’s time zone values as IANA zones, and nothing for an unknown one', () => {
    expect(ianaZoneOf('america_slash_new_york')).toBe('America/New_York');
    expect(ianaZoneOf('europe_slash_london')).toBe('Europe/London');
    expect(ianaZoneOf('us_slash_eastern')).toMatch(/^(US\/Eastern|America\/New_York)$/);
    expect(ianaZoneOf('nowhere_slash_atlantis')).toBeUndefined();
    expect(ianaZoneOf(undefined)).toBeUndefined();
  });
});
