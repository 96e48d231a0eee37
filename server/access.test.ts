// @vitest-environment node
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../lib/contract/auth';
import type { PullResponse, PushResponse } from '../lib/contract/sync';
import { createTestServer, type TestServer } from './testing/harness';

/**
 * Every route, tried by the wrong people: no token, an expired or forged one, a rep acting as a manager,
 * a member of another team using this team's ids. Each gets 401, 403 or 404 and nothing else.
 */
let t: TestServer;
let teamA: { admin: Session; members: Session[] };
let teamB: { admin: Session; members: Session[] };
let rep1: Session, rep2: Session, manager: Session;

const contact = (id: string, email: string) => ({ id, email });
const sequence = (id: string) => ({
  id,
  name: 'Intro',
  steps: [{ id: 's1', type: 'todo', delay: { value: 0, unit: 'days' } }],
});
const enrollment = (id: string, contactId: string, sequenceId: string, now: number) => ({
  id,
  sequenceId,
  contactId,
  mailbox: 'rep@example.com',
  status: 'active',
  enrolledAt: now,
  stepIndex: 0,
});

async function push(s: Session, mutations: { name: string; args: unknown }[], clientId = 'device-1') {
  const pulled = await t.call<PullResponse>('GET', `/sync/pull?cursor=0&clientId=${clientId}`, {
    token: s.accessToken,
  });
  let id = pulled.body.lastMutationId ?? 0;
  const res = await t.call<PushResponse>('POST', '/sync/push', {
    token: s.accessToken,
    body: { clientId, mutations: mutations.map((m) => ({ id: ++id, ...m })) },
  });
  expect(res.status).toBe(200);
  return res.body.results;
}

const pullIds = async (s: Session) =>
  (await t.call<PullResponse>('GET', '/sync/pull?cursor=0', { token: s.accessToken })).body.rows.map(
    (r) => `${r.kind}:${r.id}`,
  );

beforeAll(async () => {
  t = await createTestServer();
  teamA = await t.newTeam('rep', 'rep', 'manager');
  [rep1, rep2, manager] = teamA.members as [Session, Session, Session];
  teamB = await t.newTeam('rep');
  const now = t.now();
  await push(rep1, [
    { name: 'contact.upsert', args: contact('c-rep1', 'lead1@acme.test') },
    { name: 'sequence.upsert', args: sequence('seq-rep1') },
    { name: 'enroll', args: enrollment('e-rep1', 'c-rep1', 'seq-rep1', now) },
  ]);
  await push(rep2, [{ name: 'contact.upsert', args: contact('c-rep2', 'lead2@acme.test') }]);
}, 90_000);
afterAll(() => t?.close());

/** Every route that needs a session, with a body it would accept from the right caller. */
const routes = (): [string, string, unknown?][] => [
  ['GET', '/me'],
  ['GET', '/team/members'],
  ['POST', '/team/invites', { role: 'rep' }],
  ['PATCH', `/team/members/${rep1.user.id}`, { role: 'manager' }],
  ['DELETE', `/team/members/${rep2.user.id}`],
  ['POST', '/team/suppressions/lift', { email: 'lead1@acme.test', reason: 'asked to hear from us' }],
  ['POST', '/sync/push', { clientId: 'x', mutations: [] }],
  ['GET', '/sync/pull?cursor=0'],
  ['POST', `/leases/${encodeURIComponent('rep@example.com')}`, { holder: 'device-x' }],
  ['DELETE', `/leases/${encodeURIComponent('rep@example.com')}`, { holder: 'device-x' }],
  ['POST', '/tracking/links', { enrollmentId: 'e-rep1', stepIndex: 0 }],
  ['POST', '/tracking/views', { enrollmentIds: ['e-rep1'] }],
  ['GET', '/analytics?from=2025-03-01&to=2025-03-31'],
  ['GET', '/process-analytics?from=2025-03-01&to=2025-03-31'],
  ['GET', '/crm/connection'],
  ['POST', '/crm/hubspot/authorize', {}],
  ['POST', '/crm/hubspot/private-app', { token: 'pat-na1-0000000000' }],
  ['DELETE', '/crm/connection', {}],
  ['PATCH', '/crm/settings', {}],
  ['GET', '/crm/owners'],
  ['PUT', `/crm/owners/${rep1.user.id}`, { ownerId: null }],
  ['GET', '/crm/failures'],
  ['GET', '/crm/pipelines'],
  ['POST', '/crm/failures/retry', {}],
  ['POST', '/crm/lookup', { emails: ['lead@acme.test'] }],
  ['POST', '/crm/deals/refresh', { dealId: 'no-such-deal' }],
];

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('every route', () => {
  it('is in this suite: every route of the OpenAPI document but the public ones is tried here, and secured', async () => {
    const doc = await t.call<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>(
      'GET',
      '/openapi.json',
    );
    // Public by design: sign-in answers anyone, tracking links carry their own signed token.
    const isPublic = (path: string) =>
      ['/health', '/openapi.json'].includes(path) || path.startsWith('/auth/') || path.startsWith('/t/');
    const operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })),
    );
    const guarded = operations.filter(({ path }) => !isPublic(path));
    const tried = routes().map(
      ([m, p]) =>
        `${m} ${p
          .split('?')[0]!
          .replace(rep1.user.id, '{userId}')
          .replace(rep2.user.id, '{userId}')
          .replace(/\/leases\/.*/, '/leases/{mailbox}')}`,
    );
    expect(new Set(tried)).toEqual(new Set(guarded.map((o) => o.route)));
    expect(guarded.filter(({ op }) => !op.security?.length).map((o) => o.route)).toEqual([]);
  });

  it('answers 401 and no data without a token, or with an expired, forged or altered one', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const [header, payload, signature] = rep1.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tokens: Record<string, string | undefined> = {
      missing: undefined,
      'signed with another key': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new Uint8Array(32).fill(7)),
      'signed with RS256 by someone else': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey),
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'altered payload': `${header}.${b64({ ...claims, team: teamB.admin.user.teamId })}.${signature}`,
      'someone else’s subject': `${header}.${b64({ ...claims, sub: manager.user.id })}.${signature}`,
      garbage: 'not-a-token',
    };
    for (const [name, token] of Object.entries(tokens))
      for (const [method, path, body] of routes()) {
        const res = await t.call(method, path, { ...(token ? { token } : {}), ...(body ? { body } : {}) });
        expect(res.status, `${name}: ${method} ${path}`).toBe(401);
        expect(Object.keys(res.body as object), `${name}: ${method} ${path}`).toEqual(['error']);
      }
  });

  it('answers 401 once the session has expired', async () => {
    const session = await t.signIn();
    t.advance(15 * 60_000 + 1000);
    for (const [method, path, body] of routes()) {
      const res = await t.call(method, path, { token: session.accessToken, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    // The team's own sessions are renewed for the tests that follow.
    for (const s of [rep1, rep2, manager, teamA.admin, teamB.admin, ...teamB.members]) {
      const renewed = await t.call<Session>('POST', '/auth/refresh', {
        body: { refreshToken: s.refreshToken },
      });
      Object.assign(s, renewed.body);
    }
  });
});

describe('roles', () => {
  it('a rep acting as a manager or an admin gets 403 and changes nothing', async () => {
    for (const [method, path, body] of routes().slice(1, 6)) {
      const res = await t.call(method, path, { token: rep1.accessToken, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(Object.keys(res.body as object)).toEqual(['error']);
    }
    const members = await t.call<{ members: { id: string; role: string }[] }>('GET', '/team/members', {
      token: manager.accessToken,
    });
    expect(members.body.members.map((m) => m.role).sort()).toEqual(['admin', 'manager', 'rep', 'rep']);
  });

  it('a manager reads the team but manages no one', async () => {
    expect((await t.call('GET', '/team/members', { token: manager.accessToken })).status).toBe(200);
    for (const [method, path, body] of routes().slice(2, 6))
      expect(
        (await t.call(method, path, { token: manager.accessToken, ...(body ? { body } : {}) })).status,
      ).toBe(403);
  });

  it('a rep pulls only their own rows; a manager pulls the team’s', async () => {
    expect(await pullIds(rep1)).toEqual(expect.arrayContaining(['contact:c-rep1', 'enrollment:e-rep1']));
    expect(await pullIds(rep1)).not.toContain('contact:c-rep2');
    expect(await pullIds(rep2)).toEqual(['contact:c-rep2']);
    expect(await pullIds(manager)).toEqual(
      expect.arrayContaining(['contact:c-rep1', 'contact:c-rep2', 'enrollment:e-rep1']),
    );
  });

  it('a rep pulls none of a colleague’s private rows, whatever the query asks', async () => {
    const now = t.now();
    await push(
      rep2,
      [
        { name: 'sequence.upsert', args: sequence('seq-rep2') },
        {
          name: 'enroll',
          args: { ...enrollment('e-rep2', 'c-rep2', 'seq-rep2', now), mailbox: 'rep2@x.test' },
        },
        {
          name: 'task.create',
          args: {
            id: 'e-rep2:0',
            enrollmentId: 'e-rep2',
            sequenceId: 'seq-rep2',
            contactId: 'c-rep2',
            stepId: 's1',
            stepIndex: 0,
            type: 'todo',
            title: 'Call',
            priority: 'high',
            createdAt: now,
            dueAt: now,
            blocking: true,
            status: 'open',
          },
        },
        {
          name: 'events.record',
          args: { events: [{ id: 'note:e-rep2', at: now, type: 'replied', enrollmentId: 'e-rep2' }] },
        },
      ],
      'rep2-phone',
    );
    const private2 = ['contact:c-rep2', 'sequence:seq-rep2', 'enrollment:e-rep2', 'task:e-rep2:0'];
    const managerSees = await pullIds(manager);
    expect(managerSees).toEqual(expect.arrayContaining([...private2, 'event:note:e-rep2']));

    const pulled = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&clientId=rep2-phone', {
      token: rep1.accessToken,
    });
    const ids = pulled.body.rows.map((r) => `${r.kind}:${r.id}`);
    for (const id of [...private2, 'event:note:e-rep2']) expect(ids).not.toContain(id);
    // What a rep gets is theirs, or the team's shared sequences and do-not-contact list.
    for (const row of pulled.body.rows.filter((r) => !r.deleted))
      expect(row.mine || ['sequence', 'suppression'].includes(row.kind), `${row.kind}:${row.id}`).toBe(true);
    // A colleague's device id tells nothing of that device's outbox.
    expect(pulled.body.lastMutationId).toBe(0);
    for (const query of [`&ownerId=${rep2.user.id}`, '&team=1', '&role=manager']) {
      const res = await t.call('GET', `/sync/pull?cursor=0${query}`, { token: rep1.accessToken });
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.body as object), query).toEqual(['error']);
    }
  });

  it('a rep sees a colleague’s shared sequence, and loses it when it stops being shared', async () => {
    await push(
      rep2,
      [{ name: 'sequence.upsert', args: { ...sequence('seq-shared'), sharing: 'team' } }],
      'device-2',
    );
    const rows = async (cursor: number) =>
      (await t.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}`, { token: rep1.accessToken })).body;
    const before = await rows(0);
    expect(before.rows.find((r) => r.id === 'seq-shared')).toMatchObject({
      deleted: false,
      data: { name: 'Intro' },
    });
    await push(
      rep2,
      [{ name: 'sequence.upsert', args: { id: 'seq-shared', sharing: 'private', name: 'Secret' } }],
      'device-2',
    );
    const after = await rows(before.cursor);
    expect(after.rows).toEqual([
      { kind: 'sequence', id: 'seq-shared', version: expect.any(Number), deleted: true, data: null },
    ]);
  });

  it('a rep cannot change another rep’s enrollments, tasks or contacts, nor can a manager', async () => {
    for (const s of [rep2, manager]) {
      const results = await push(s, [
        { name: 'enrollment.pause', args: { enrollmentId: 'e-rep1', at: t.now() } },
        { name: 'enrollment.unenroll', args: { enrollmentId: 'e-rep1', at: t.now() } },
        { name: 'contact.upsert', args: { id: 'c-rep1', firstName: 'Mallory' } },
        { name: 'task.complete', args: { taskId: 'e-rep1:0', at: t.now() } },
        {
          name: 'events.record',
          args: { events: [{ id: 'fake-reply', at: t.now(), type: 'replied', enrollmentId: 'e-rep1' }] },
        },
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
      ]);
    }
    const rows = (await t.call<PullResponse>('GET', '/sync/pull?cursor=0', { token: rep1.accessToken })).body
      .rows;
    expect(rows.find((r) => r.id === 'e-rep1')?.data).toMatchObject({ status: 'active' });
    expect(rows.find((r) => r.id === 'c-rep1')?.data).not.toHaveProperty('firstName');
  });
});

describe('another team', () => {
  it('cannot see or touch this team’s members (404)', async () => {
    const other = teamB.admin;
    const patch = await t.call('PATCH', `/team/members/${rep1.user.id}`, {
      token: other.accessToken,
      body: { role: 'admin' },
    });
    expect(patch.status).toBe(404);
    expect(
      (await t.call('DELETE', `/team/members/${rep1.user.id}`, { token: other.accessToken })).status,
    ).toBe(404);
    expect((await t.call('GET', '/me', { token: rep1.accessToken })).status).toBe(200);
  });

  it('cannot see or change this team’s rows through sync', async () => {
    const other = teamB.admin;
    expect(await pullIds(other)).toEqual([]);
    const results = await push(other, [
      { name: 'enrollment.pause', args: { enrollmentId: 'e-rep1', at: t.now() } },
      { name: 'sequence.archive', args: { sequenceId: 'seq-rep1' } },
      { name: 'contact.delete', args: { contactId: 'c-rep1' } },
      { name: 'enroll', args: enrollment('e-evil', 'c-rep1', 'seq-rep1', t.now()) },
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await pullIds(other)).toEqual([]);
    const links = await t.call('POST', '/tracking/links', {
      token: other.accessToken,
      body: { enrollmentId: 'e-rep1', stepIndex: 0 },
    });
    expect(links.status).toBe(404);
  });

  it('cannot mark this team’s opens as views of its own (POST /tracking/views)', async () => {
    const links = await t.call<{ pixelUrl: string }>('POST', '/tracking/links', {
      token: rep1.accessToken,
      body: { enrollmentId: 'e-rep1', stepIndex: 0 },
    });
    t.advance(60_000);
    const viewing = await t.call<{ enrollmentIds: string[] }>('POST', '/tracking/views', {
      token: teamB.admin.accessToken,
      body: { enrollmentIds: ['e-rep1'] },
    });
    expect(viewing).toMatchObject({ status: 200, body: { enrollmentIds: [] } });
    await t.app.request(links.body.pixelUrl.replace('http://threadline.test', ''), {
      headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/128.0' },
    });
    await t.app.drain();
    const opens = (
      await t.call<PullResponse>('GET', '/sync/pull?cursor=0', { token: rep1.accessToken })
    ).body.rows
      .filter((r) => r.kind === 'event' && r.data?.type === 'opened')
      .map((r) => r.data!.data);
    expect(opens).toEqual([{}]); // the contact's open, not flagged own_view
  });

  it('never meets this team’s send leases', async () => {
    const mailbox = encodeURIComponent('shared@example.com');
    const mine = await t.call('POST', `/leases/${mailbox}`, {
      token: rep1.accessToken,
      body: { holder: 'laptop' },
    });
    expect(mine.status).toBe(200);
    const theirs = await t.call<{ holder: string }>('POST', `/leases/${mailbox}`, {
      token: teamB.admin.accessToken,
      body: { holder: 'intruder' },
    });
    expect(theirs.status).toBe(200);
    expect(theirs.body.holder).toBe('intruder');
    // Releasing "the same" lease from the other team, with this device's holder id, releases their own only.
    const release = await t.call('DELETE', `/leases/${mailbox}`, {
      token: teamB.admin.accessToken,
      body: { holder: 'laptop' },
    });
    expect(release.status).toBe(204);
    const otherDevice = await t.call('POST', `/leases/${mailbox}`, {
      token: rep1.accessToken,
      body: { holder: 'desktop' },
    });
    expect(otherDevice.status).toBe(409);
    const again = await t.call('POST', `/leases/${mailbox}`, {
      token: rep1.accessToken,
      body: { holder: 'laptop' },
    });
    expect(again.status).toBe(200);
  });
});

describe('analytics', () => {
  const march = 'from=2025-03-01&to=2025-03-31';
  const ask = (s: Session, query = '') =>
    t.call<{ totals: { counts: { sent: number } }; byRep: { mailbox: string }[] }>(
      'GET',
      `/analytics?${march}${query}`,
      { token: s.accessToken },
    );
  const at = Date.UTC(2025, 2, 10, 9);

  beforeAll(async () => {
    await push(rep1, [
      {
        name: 'events.record',
        args: {
          events: [
            {
              id: 'sent:e-rep1:0',
              at,
              type: 'sent',
              enrollmentId: 'e-rep1',
              sequenceId: 'seq-rep1',
              mailbox: 'rep@example.com',
              stepIndex: 0,
            },
          ],
        },
      },
    ]);
  });

  it('a rep gets their own numbers, and 403 with no data for another rep’s', async () => {
    expect((await ask(rep1)).body.totals.counts.sent).toBe(1);
    expect((await ask(rep2)).body.totals.counts.sent).toBe(0);
    const theirs = await ask(rep2, `&repId=${rep1.user.id}`);
    expect(theirs.status).toBe(403);
    expect(Object.keys(theirs.body)).toEqual(['error']);
    // A colleague's private sequence is not one a rep can ask about.
    expect((await ask(rep2, '&sequenceId=seq-rep1')).status).toBe(404);
  });

  it('a manager gets the team’s or one member’s numbers', async () => {
    expect((await ask(manager)).body.totals.counts.sent).toBe(1);
    expect((await ask(manager, `&repId=${rep1.user.id}`)).body.totals.counts.sent).toBe(1);
    expect((await ask(manager, `&repId=${rep2.user.id}`)).body.totals.counts.sent).toBe(0);
    expect((await ask(manager, '&sequenceId=seq-rep1')).body.totals.counts.sent).toBe(1);
  });

  it('another team never sees this team’s numbers, and its ids answer 404 with no data', async () => {
    const other = teamB.admin;
    expect((await ask(other)).body.totals.counts.sent).toBe(0);
    for (const query of [`&repId=${rep1.user.id}`, '&sequenceId=seq-rep1']) {
      const res = await ask(other, query);
      expect(res.status, query).toBe(404);
      expect(Object.keys(res.body)).toEqual(['error']);
    }
    for (const query of [`&repId=${teamB.admin.user.id}`, `&repId=${teamB.members[0]!.user.id}`]) {
      const res = await ask(manager, query);
      expect(res.status, query).toBe(404);
      expect(Object.keys(res.body)).toEqual(['error']);
    }
  });

  it('a rep filtering by a shared sequence, a step or a zone still gets only their own numbers', async () => {
    await push(
      rep2,
      [
        { name: 'sequence.upsert', args: { ...sequence('seq-team'), sharing: 'team' } },
        {
          name: 'enroll',
          args: { ...enrollment('e-rep2-team', 'c-rep2', 'seq-team', at), mailbox: 'rep2@x.test' },
        },
        {
          name: 'events.record',
          args: {
            events: [
              {
                id: 'sent:e-rep2-team:0',
                at,
                type: 'sent',
                enrollmentId: 'e-rep2-team',
                sequenceId: 'seq-team',
                mailbox: 'rep2@x.test',
                stepIndex: 0,
              },
            ],
          },
        },
      ],
      'rep2-analytics',
    );
    expect((await ask(manager, '&sequenceId=seq-team')).body.totals.counts.sent).toBe(1);
    for (const query of ['&sequenceId=seq-team', '&stepIndex=0', '&timeZone=Asia%2FKolkata', '']) {
      const res = await ask(rep1, query);
      expect(res.status, query).toBe(200);
      expect(res.body.totals.counts.sent, query).toBe(query === '&sequenceId=seq-team' ? 0 : 1);
      expect(
        res.body.byRep.map((r) => r.mailbox),
        query,
      ).not.toContain('rep2@x.test');
    }
    for (const query of [`&ownerId=${rep2.user.id}`, '&team=1', `&teamId=${rep1.user.teamId}`]) {
      const res = await ask(rep1, query);
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.body), query).toEqual(['error']);
    }
  });
});
