// @vitest-environment node
/**
 * The CRM bridge end to end: an admin connects HubSpot (the sandbox) through the backend, sync pushes queue
 * activities, the worker logs them once each with their associations; tokens stay sealed, out of answers
 * and logs; only an admin connects or disconnects, and a team sees only its own connection.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { Mutation } from '../../lib/contract/sync';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { oneEnrollment } from '../testing/fixtures';
import { crmSandboxForTests } from '../testing/crm';
import { createTestServer, type TestServer } from '../testing/harness';
import type { CrmConfig } from './config';
import { ACTIVITY_ID_PROPERTY } from './hubspot/mapping';
import { crmDb } from './schema';
import { createCrmWorker } from './worker';

let hs: HubSpotSandbox;
let server: TestServer;
let config: CrmConfig;
let clock: () => number = Date.now;
const logLines: string[] = [];
const log = pino(
  { level: 'trace' },
  new Writable({ write: (chunk, _enc, done) => void (logLines.push(String(chunk)), done()) }),
);
/** Every answer the backend gave in this file, to search for tokens. */
const answers: string[] = [];

beforeAll(async () => {
  ({ hs, config } = await crmSandboxForTests({ now: () => clock() }));
  server = await createTestServer({ crm: config });
  clock = server.now;
}, 120_000);
afterAll(async () => {
  await server.close();
  await hs.stop();
});

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) {
  const res = await server.call<T>(method, path, {
    ...(token ? { token } : {}),
    ...(body !== undefined ? { body } : {}),
  });
  answers.push(JSON.stringify(res.body));
  return res;
}

/** The OAuth code flow as the admin's browser runs it: authorize, consent on HubSpot, back to the callback. */
async function connectOAuth(admin: Session): Promise<{ status: number; page: string }> {
  const start = await call<{ url: string }>('POST', '/crm/hubspot/authorize', admin.accessToken);
  expect(start.status).toBe(200);
  const url = new URL(start.body.url);
  const consent = await fetch(`${hs.url}/oauth/authorize/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: url.searchParams.get('client_id')!,
      redirect_uri: url.searchParams.get('redirect_uri')!,
      scope: url.searchParams.get('scope')!,
      state: url.searchParams.get('state')!,
      decision: 'allow',
    }),
    redirect: 'manual',
  });
  const back = new URL(consent.headers.get('location')!);
  const res = await server.call<string>('GET', back.pathname + back.search);
  return { status: res.status, page: String(res.body) };
}

let mutationId = 100;
const push = (s: Session, mutations: Omit<Mutation, 'id'>[]) =>
  call<{ results: { status: string; reason?: string }[] }>('POST', '/sync/push', s.accessToken, {
    clientId: 'device-1',
    mutations: mutations.map((m) => ({ ...m, id: ++mutationId })),
  });

describe('connecting', () => {
  it('connects with OAuth through the backend, stores the tokens sealed, creates the id property and maps owners by email', async () => {
    const { admin, members } = await server.newTeam('rep');
    hs.addOwner({ email: admin.user.email, firstName: 'Ad' });
    const done = await connectOAuth(admin);
    expect(done.status).toBe(200);
    expect(done.page).toContain('HubSpot is connected');
    const status = await call<Record<string, unknown>>('GET', '/crm/connection', members[0]!.accessToken);
    expect(status.body).toMatchObject({
      connected: true,
      kind: 'oauth',
      portalId: String(hs.portalId),
      dedupe: { email: 'unique', note: 'unique' },
    });
    const row = await crmDb(server.database.db)
      .selectFrom('crm_connections')
      .selectAll()
      .where('team_id', '=', admin.user.teamId)
      .executeTakeFirstOrThrow();
    expect(row.access_token).toMatch(/^v1\./);
    expect(hs.accessTokenActive(row.access_token)).toBe(false);
    const owners = await call<{ members: { email: string; ownerId: string | null }[] }>(
      'GET',
      '/crm/owners',
      admin.accessToken,
    );
    expect(owners.body.members.find((m) => m.email === admin.user.email)!.ownerId).toMatch(/^\d+$/);
    expect(owners.body.members.find((m) => m.email === members[0]!.user.email)!.ownerId).toBeNull();
  });

  it('refuses to connect when HubSpot does not say which portal the OAuth token belongs to', async () => {
    const { admin } = await server.newTeam();
    hs.fault({ route: 'GET /oauth/v1/access-tokens/.+', kind: 'status', status: 500 });
    const done = await connectOAuth(admin);
    expect(done.status).toBe(400);
    expect(done.page).toContain('HubSpot did not say which portal');
    expect(
      (await call<{ connected: boolean }>('GET', '/crm/connection', admin.accessToken)).body.connected,
    ).toBe(false);
  });

  it('refuses a used or unknown state', async () => {
    const bad = await server.call<string>('GET', '/crm/hubspot/callback?code=x&state=forged');
    expect(bad.status).toBe(400);
    expect(String(bad.body)).toContain('unknown, used or expired');
  });

  it('lets only an admin connect, disconnect, change options or owners; another team sees only its own state', async () => {
    const { admin, members } = await server.newTeam('rep', 'manager');
    const [rep, manager] = members as [Session, Session];
    const token = hs.privateAppToken();
    for (const s of [rep, manager]) {
      expect((await call('POST', '/crm/hubspot/authorize', s.accessToken)).status).toBe(403);
      expect((await call('POST', '/crm/hubspot/private-app', s.accessToken, { token })).status).toBe(403);
    }
    expect((await call('POST', '/crm/hubspot/private-app', admin.accessToken, { token })).status).toBe(200);
    for (const s of [rep, manager]) {
      expect((await call('DELETE', '/crm/connection', s.accessToken)).status).toBe(403);
      expect((await call('PATCH', '/crm/settings', s.accessToken, { createContacts: true })).status).toBe(
        403,
      );
      expect((await call('PUT', `/crm/owners/${s.user.id}`, s.accessToken, { ownerId: '123' })).status).toBe(
        403,
      );
      expect((await call('POST', '/crm/failures/retry', s.accessToken, {})).status).toBe(403);
    }
    const other = await server.newTeam();
    const theirs = await call<{ connected: boolean }>('GET', '/crm/connection', other.admin.accessToken);
    expect(theirs.body.connected).toBe(false);
    // Another team's admin cannot map this team's member, nor disconnect it.
    expect(
      (await call('PUT', `/crm/owners/${rep.user.id}`, other.admin.accessToken, { ownerId: '123' })).status,
    ).toBe(404);
    expect((await call('DELETE', '/crm/connection', other.admin.accessToken)).status).toBe(404);
    expect(
      (await call<{ connected: boolean }>('GET', '/crm/connection', rep.accessToken)).body.connected,
    ).toBe(true);
  });

  it('refuses to store tokens without CRM_TOKEN_KEY, saying so', async () => {
    const keyless = await createTestServer({ crm: { ...config, tokenKey: undefined } });
    try {
      const { admin } = await keyless.newTeam();
      const res = await keyless.call<{ error: { code: string; message: string } }>(
        'POST',
        '/crm/hubspot/private-app',
        {
          token: admin.accessToken,
          body: { token: hs.privateAppToken() },
        },
      );
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('crm_key_missing');
      expect(res.body.error.message).toContain('CRM_TOKEN_KEY');
      const rows = await crmDb(keyless.database.db).selectFrom('crm_connections').selectAll().execute();
      expect(rows).toEqual([]);
    } finally {
      await keyless.close();
    }
  });
});

describe('logging', () => {
  it('logs each sent email, reply, out-of-office, bounce and completed task once, with contact and company; refreshes the token before it expires; disconnect revokes', async () => {
    const { admin } = await server.newTeam();
    const owner = hs.addOwner({ email: admin.user.email });
    expect((await connectOAuth(admin)).status).toBe(200);
    await call('PATCH', '/crm/settings', admin.accessToken, {
      createContacts: true,
      neverLog: ['@private.test'],
    });
    const company = hs.seed('companies', { name: 'Acme', domain: 'acme.test' });
    const contact = hs.seed('contacts', { email: 'lead@acme.test' }, [{ type: 'companies', id: company }]);
    const base = oneEnrollment({ mailbox: admin.user.email }).map(({ name, args }) => ({ name, args }));
    const events = (list: { id: string; type: string; data?: Record<string, unknown> }[]) => ({
      name: 'events.record',
      args: { events: list.map((e) => ({ ...e, at: server.now(), enrollmentId: 'e', stepIndex: 0 })) },
    });
    const pushed = await push(admin, [
      ...base,
      { name: 'contact.upsert', args: { id: 'c2', email: 'friend@private.test' } },
      // The device records the thread's subject on the enrollment when the email leaves (lib/runner/send.ts).
      { name: 'enrollment.progress', args: { enrollmentId: 'e', threadSubject: 'Quick question' } },
      events([
        { id: 'sent:1', type: 'sent', data: { subject: 'Quick question' } },
        { id: 'replied:1', type: 'replied' },
        { id: 'ooo:1', type: 'out_of_office', data: { until: Date.parse('2026-12-14T00:00:00Z') } },
        {
          id: 'bounced:1',
          type: 'bounced',
          data: { permanent: true, reason: 'no_such_user', status: '5.1.1' },
        },
      ]),
      {
        name: 'task.create',
        args: {
          id: 'e:1',
          enrollmentId: 'e',
          sequenceId: 'q',
          contactId: 'c',
          stepId: 's',
          stepIndex: 1,
          type: 'call',
          title: 'Call Lead',
          notes: '',
          priority: 'medium',
          createdAt: 1,
          dueAt: 2,
          blocking: true,
          status: 'open',
        },
      },
      {
        name: 'task.complete',
        args: { taskId: 'e:1', at: server.now(), outcome: 'Left voicemail', notes: 'Will try Tuesday' },
      },
    ]);
    expect(pushed.body.results.every((r) => r.status === 'applied')).toBe(true);
    // The same events again (a device's retry under new mutation ids): queued once.
    await push(admin, [events([{ id: 'sent:1', type: 'sent', data: { subject: 'Quick question' } }])]);

    const worker = createCrmWorker({ db: server.database.db, log, now: server.now, config });
    // 26 minutes on: the 30-minute token is refreshed before the round uses it.
    server.advance(26 * 60_000);
    const round = await worker.runOnce();
    expect(round).toMatchObject({ logged: 5, failed: 0 });
    const emails = hs.records('emails').filter((e) => e.associations.contacts?.includes(contact));
    expect(emails.map((e) => [e.properties.hs_email_direction, e.properties.hs_email_subject])).toEqual([
      ['EMAIL', 'Quick question'],
      ['INCOMING_EMAIL', 'Re: Quick question'],
    ]);
    expect(emails[0]!.associations.companies).toEqual([company]);
    expect(emails[0]!.properties.hubspot_owner_id).toBe(owner.id);
    expect(emails[0]!.properties[ACTIVITY_ID_PROPERTY]).toBe('email:sent:1');
    const note = hs.records('notes').find((n) => n.associations.contacts?.includes(contact))!;
    expect(note.properties.hs_note_body).toContain('back on 2026-12-14');
    const bounce = hs.records('notes').filter((n) => n.associations.contacts?.includes(contact))[1]!;
    expect(bounce.properties.hs_note_body).toContain('bounced (permanent: no_such_user, 5.1.1)');
    const call_ = hs.records('calls').find((c) => c.associations.contacts?.includes(contact))!;
    expect(call_.properties).toMatchObject({
      hs_call_disposition: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
      hs_call_body: 'Will try Tuesday',
    });
    // The private-domain contact is never logged.
    expect(hs.records('contacts').some((c) => c.properties.email === 'friend@private.test')).toBe(false);
    expect((await worker.runOnce()).logged).toBe(0);
    // The session token outlived by the clock's jump: the extension would refresh it.
    const renewed = await server.call<Session>('POST', '/auth/refresh', {
      body: { refreshToken: admin.refreshToken },
    });
    admin.accessToken = renewed.body.accessToken;

    const status = await call<{
      outbox: Record<string, number>;
      usage: { used: number };
      lastSyncAt: number;
    }>('GET', '/crm/connection', admin.accessToken);
    expect(status.body.outbox).toMatchObject({ waiting: 0, logged: 5, failed: 0 });
    expect(status.body.usage.used).toBeGreaterThan(0);

    const row = await crmDb(server.database.db)
      .selectFrom('crm_connections')
      .selectAll()
      .where('team_id', '=', admin.user.teamId)
      .executeTakeFirstOrThrow();
    expect(row.expires_at).toBeGreaterThan(server.now() + 20 * 60_000);
    const { tokenCipher } = await import('./secrets');
    const refresh = tokenCipher(config.tokenKey).open(row.refresh_token!, admin.user.teamId);
    const access = tokenCipher(config.tokenKey).open(row.access_token, admin.user.teamId);
    expect(hs.refreshTokenActive(refresh)).toBe(true);
    const gone = await call<{ revoked: boolean }>('DELETE', '/crm/connection', admin.accessToken);
    expect(gone.body.revoked).toBe(true);
    expect(hs.refreshTokenActive(refresh)).toBe(false);
    expect(hs.accessTokenActive(access)).toBe(false);
    // Tokens never appear in an answer or a log line.
    for (const secret of [refresh, access]) {
      expect(answers.some((a) => a.includes(secret))).toBe(false);
      expect(logLines.some((l) => l.includes(secret))).toBe(false);
    }
  });

  it('shows HubSpot’s own message for an activity it refuses, and retries it on request', async () => {
    const { admin } = await server.newTeam();
    const token = hs.privateAppToken();
    expect((await call('POST', '/crm/hubspot/private-app', admin.accessToken, { token })).status).toBe(200);
    await call('PATCH', '/crm/settings', admin.accessToken, { createContacts: true });
    await push(admin, [
      ...oneEnrollment({
        mailbox: admin.user.email,
        email: 'refused@acme.test',
        ids: { contact: 'rc', sequence: 'rq', enrollment: 're' },
      }).map(({ name, args }) => ({ name, args })),
      {
        name: 'events.record',
        args: {
          events: [
            {
              id: 'sent:r1',
              type: 'sent',
              at: server.now(),
              enrollmentId: 're',
              stepIndex: 0,
              data: { subject: 'Hi' },
            },
          ],
        },
      },
    ]);
    hs.fault({
      route: 'POST /crm/v3/objects/emails/batch/create',
      kind: 'status',
      status: 400,
      body: {
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: 'Property values were not valid: hs_email_subject',
      },
    });
    const worker = createCrmWorker({ db: server.database.db, log, now: server.now, config });
    expect((await worker.runTeam(admin.user.teamId)).failed).toBe(1);
    const failures = await call<{ failures: { id: string; message: string; state: string }[] }>(
      'GET',
      '/crm/failures',
      admin.accessToken,
    );
    expect(failures.body.failures).toEqual([
      expect.objectContaining({
        id: 'email:sent:r1',
        state: 'failed',
        message: 'Property values were not valid: hs_email_subject',
      }),
    ]);
    const status = await call<{ lastError: string }>('GET', '/crm/connection', admin.accessToken);
    expect(status.body.lastError).toContain('Property values were not valid');
    expect(
      (await call<{ retried: number }>('POST', '/crm/failures/retry', admin.accessToken, {})).body.retried,
    ).toBe(1);
    expect((await worker.runTeam(admin.user.teamId)).logged).toBe(1);
    expect(answers.some((a) => a.includes(token))).toBe(false);
    // Another team sees none of it, and cannot send it again.
    const other = await server.newTeam();
    expect(
      (await call<{ failures: unknown[] }>('GET', '/crm/failures', other.admin.accessToken)).body.failures,
    ).toEqual([]);
    expect(
      (
        await call<{ retried: number }>('POST', '/crm/failures/retry', other.admin.accessToken, {
          ids: ['email:sent:r1'],
        })
      ).body.retried,
    ).toBe(0);
    const theirs = await call<{ outbox: Record<string, number> }>(
      'GET',
      '/crm/connection',
      other.admin.accessToken,
    );
    expect(theirs.body.outbox).toEqual({ waiting: 0, logged: 0, skipped: 0, failed: 0 });
  });

  it('refuses an OAuth callback whose admin lost the role before coming back', async () => {
    const { admin, members } = await server.newTeam('admin');
    const start = await call<{ url: string }>('POST', '/crm/hubspot/authorize', members[0]!.accessToken);
    const state = new URL(start.body.url).searchParams.get('state')!;
    expect(
      (await call('PATCH', `/team/members/${members[0]!.user.id}`, admin.accessToken, { role: 'rep' }))
        .status,
    ).toBe(200);
    const back = await server.call<string>('GET', `/crm/hubspot/callback?code=anything&state=${state}`);
    expect(back.status).toBe(400);
    expect(String(back.body)).toContain('Only an admin');
    expect(
      (await call<{ connected: boolean }>('GET', '/crm/connection', admin.accessToken)).body.connected,
    ).toBe(false);
  });
});
