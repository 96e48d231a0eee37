// @vitest-environment node
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, Session } from '../../lib/contract/auth';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import type { TrackingLinks } from '../../lib/contract/tracking';
import { oneEnrollment } from '../testing/fixtures';
import { startTestIssuer, type TestIssuer } from '../testing/issuer';
import { createTrackingTokens } from '../tracking/token';
import { startRealServer, type RealServer } from './real-server';

/**
 * The attacks of the security review (issue 13), each against the real server process (`server/main.ts`)
 * as a deployment runs it: NODE_ENV=production with no SIGNUP set (so sign-up is by invite), one admin
 * address, a Google-like issuer and a Microsoft-like multi-tenant one. Each test fails on the code before
 * its fix.
 */
const ADMIN = 'boss@acme.test';
const TRACKING_SECRET = randomBytes(32).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let google: TestIssuer;
let microsoft: TestIssuer;
let server: RealServer;
let admin: Session;

beforeAll(async () => {
  google = await startTestIssuer();
  microsoft = await startTestIssuer('threadline-extension', { multiTenant: true });
  server = await startRealServer({
    NODE_ENV: 'production',
    PUBLIC_URL: 'http://threadline.test',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    TRACKING_SECRET,
    ADMIN_EMAILS: ADMIN,
    LOG_LEVEL: 'warn',
    OIDC_ISSUERS: JSON.stringify([
      { issuer: google.issuer, audiences: [google.audience] },
      { issuer: microsoft.issuer, audiences: [microsoft.audience], discoveryUrl: microsoft.discoveryUrl },
    ]),
  });
  const signedIn = await server.signIn(google, { sub: 'boss', email: ADMIN });
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
  admin = signedIn.body;
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await google?.close();
  await microsoft?.close();
});

async function invite(role: 'rep' | 'manager' = 'rep'): Promise<string> {
  const res = await server.call<{ token: string }>('POST', '/team/invites', {
    token: admin.accessToken,
    body: { role },
  });
  expect(res.status).toBe(201);
  return res.body.token;
}

async function newRep(email = `rep-${randomUUID()}@acme.test`): Promise<Session> {
  const res = await server.signIn(google, { sub: randomUUID(), email }, { invite: await invite() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function push(session: Session, mutations: unknown[]) {
  const res = await server.call<PushResponse>('POST', '/sync/push', {
    token: session.accessToken,
    body: { clientId: `device-${randomUUID()}`, mutations },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.results;
}

async function pullAll(session: Session): Promise<PullResponse['rows']> {
  const rows: PullResponse['rows'] = [];
  let cursor = 0;
  for (;;) {
    const res = await server.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}&limit=1000`, {
      token: session.accessToken,
    });
    expect(res.status).toBe(200);
    rows.push(...res.body.rows);
    cursor = res.body.cursor;
    if (!res.body.more) return rows;
  }
}

/** A rep with one enrollment of `email` and its tracking links (the links the email was decorated with). */
async function repWithLinks(
  email = `lead-${randomUUID()}@prospect.test`,
  links = ['https://acme.test/pricing'],
) {
  const rep = await newRep();
  const ids = { contact: randomUUID(), sequence: randomUUID(), enrollment: randomUUID() };
  const results = await push(rep, oneEnrollment({ mailbox: rep.user.email, email, ids }));
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  const res = await server.call<TrackingLinks>('POST', '/tracking/links', {
    token: rep.accessToken,
    body: { enrollmentId: ids.enrollment, stepIndex: 0, links },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { rep, ids, links: res.body };
}

/** The hits wait 3 s in memory before they are written. */
async function eventsOf(session: Session, type: string, enrollmentId: string) {
  await sleep(4500);
  return (await pullAll(session)).filter(
    (r) => r.kind === 'event' && r.data?.type === type && r.data?.enrollmentId === enrollmentId,
  );
}

const path = (url: string) => new URL(url).pathname;

describe('4. sign-up is closed on a deployed server', () => {
  it('a stranger with a valid ID token of an accepted issuer cannot start a team', async () => {
    const res = await server.signIn(google, { sub: randomUUID(), email: 'stranger@elsewhere.test' });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('signup_closed');
  });

  it('an invited address joins, and the address of ADMIN_EMAILS started the team as its admin', async () => {
    expect(admin.user.role).toBe('admin');
    const rep = await newRep();
    expect(rep.user.teamId).toBe(admin.user.teamId);
    expect(rep.user.role).toBe('rep');
  });

  it('an invite made for an address lets in only that address, verified; a leaked link lets nobody else in', async () => {
    const made = await server.call<{ token: string; email: string }>('POST', '/team/invites', {
      token: admin.accessToken,
      body: { role: 'rep', email: 'carol@acme.test' },
    });
    expect(made.status).toBe(201);
    const invite = made.body.token;
    const mallory = await server.signIn(
      google,
      { sub: randomUUID(), email: 'mallory@elsewhere.test' },
      { invite },
    );
    expect(mallory.status).toBe(403);
    const unverified = await server.signIn(
      google,
      { sub: randomUUID(), email: 'carol@acme.test', email_verified: undefined },
      { invite },
    );
    expect(unverified.status).toBe(403);
    const carol = await server.signIn(google, { sub: randomUUID(), email: 'carol@acme.test' }, { invite });
    expect(carol.status, JSON.stringify(carol.body)).toBe(200);
    expect(carol.body.user.teamId).toBe(admin.user.teamId);
  });

  it('a click link redirects only to a URL recorded when the email was decorated, and only http(s)', async () => {
    const { links } = await repWithLinks(undefined, ['https://acme.test/pricing']);
    const click = await server.call('GET', path(links.links[0]!.trackedUrl));
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://acme.test/pricing');
    // A link to anything but http(s) is never made.
    const { rep, ids } = await repWithLinks();
    const bad = await server.call('POST', '/tracking/links', {
      token: rep.accessToken,
      body: { enrollmentId: ids.enrollment, stepIndex: 0, links: ['javascript:alert(1)'] },
    });
    expect(bad.status).toBe(400);
    // A validly signed click token for a URL no email of the team was decorated with redirects nowhere (what
    // a leaked tracking secret, or a token minted before this check, could otherwise do).
    const forged = createTrackingTokens(new TextEncoder().encode(TRACKING_SECRET)).sign({
      k: 'c',
      team: rep.user.teamId,
      owner: rep.user.id,
      enrollment: ids.enrollment,
      step: 0,
      iat: Date.now(),
      url: 'https://evil.test/login',
    });
    const open = await server.call('GET', `/t/c/${forged}`);
    expect(open.status).toBe(404);
    expect(open.headers.get('location')).toBeNull();
  });
});

describe('5. the per-link rate limit', () => {
  it('65 padded copies of one pixel URL count one open', async () => {
    const { rep, ids, links } = await repWithLinks();
    const pixel = path(links.pixelUrl);
    const [prefix, signature] = [
      pixel.slice(0, pixel.lastIndexOf('.') + 1),
      pixel.slice(pixel.lastIndexOf('.') + 1),
    ];
    // Junk the base64url decoder skips or drops: padding, characters outside the alphabet, the last
    // character's unused bits, and the `.gif` suffix.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBits = [...alphabet].filter(
      (c) => c !== last && alphabet.indexOf(c) >> 4 === alphabet.indexOf(last) >> 4,
    );
    const variants = new Set<string>();
    for (const c of sameBits) variants.add(`${prefix}${signature.slice(0, -1)}${c}`);
    for (let n = 1; variants.size < 64; n++) {
      variants.add(`${prefix}${signature}${'='.repeat(n)}`);
      variants.add(`${prefix}${signature}${'%3D'.repeat(n)}`);
      variants.add(`${prefix}${signature}${'!'.repeat(n)}`);
      variants.add(`${prefix}${signature}${'='.repeat(n)}.gif`);
    }
    const urls = [pixel, ...[...variants].slice(0, 64)];
    expect(new Set(urls).size).toBe(65);
    for (const url of urls) {
      const res = await server.call('GET', url);
      expect(res.status).not.toBe(500);
    }
    expect(await eventsOf(rep, 'opened', ids.enrollment)).toHaveLength(1);
  });
});

describe('6. sessions', () => {
  it('a reused refresh token revokes its whole family: the thief and the rep both sign in again', async () => {
    const rep = await newRep();
    const first = await server.call<Session>('POST', '/auth/refresh', {
      body: { refreshToken: rep.refreshToken },
    });
    expect(first.status).toBe(200);
    // The stolen (already used) token comes back.
    const replay = await server.call('POST', '/auth/refresh', { body: { refreshToken: rep.refreshToken } });
    expect(replay.status).toBe(401);
    // Every token of the family stops working, the newest included, and its access token.
    const next = await server.call('POST', '/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(next.status).toBe(401);
    expect((await server.call('GET', '/me', { token: first.body.accessToken })).status).toBe(401);
  });

  it('POST /auth/sign-out ends the session on the server: its refresh and access tokens stop working', async () => {
    const rep = await newRep();
    const other = await server.call<Session>('POST', '/auth/refresh', {
      body: { refreshToken: (await newRep()).refreshToken },
    });
    const out = await server.call('POST', '/auth/sign-out', {
      token: rep.accessToken,
      body: { refreshToken: rep.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await server.call('GET', '/me', { token: rep.accessToken })).status).toBe(401);
    const refresh = await server.call('POST', '/auth/refresh', { body: { refreshToken: rep.refreshToken } });
    expect(refresh.status).toBe(401);
    // Another member's session is untouched.
    expect((await server.call('GET', '/me', { token: other.body.accessToken })).status).toBe(200);
  });
});

describe('7. a recipient’s unsubscribe', () => {
  it('a rep cannot lift it through sync; an admin can, with a reason recorded', async () => {
    const email = `lead-${randomUUID()}@prospect.test`;
    const { rep, links } = await repWithLinks(email);
    expect((await server.call('POST', path(links.unsubscribeUrl))).status).toBe(200);
    const [removal] = await push(rep, [{ id: 10, name: 'suppression.remove', args: { email } }]);
    expect(removal!.status).toBe('rejected');
    expect(removal!.reason).toContain('unsubscribed');
    const suppression = (await pullAll(rep)).find((r) => r.kind === 'suppression' && r.id === email);
    expect(suppression?.deleted).toBe(false);
    // Enrolling them again is refused.
    const again = await push(rep, [
      {
        id: 11,
        name: 'enroll',
        args: {
          id: randomUUID(),
          sequenceId: (await pullAll(rep)).find((r) => r.kind === 'sequence')!.id,
          contactId: (await pullAll(rep)).find((r) => r.kind === 'contact')!.id,
          mailbox: rep.user.email,
          status: 'active',
          enrolledAt: 1,
          stepIndex: 0,
        },
      },
    ]);
    expect(again[0]!.status).toBe('rejected');

    const noReason = await server.call('POST', '/team/suppressions/lift', {
      token: admin.accessToken,
      body: { email },
    });
    expect(noReason.status).toBe(400);
    const byRep = await server.call('POST', '/team/suppressions/lift', {
      token: rep.accessToken,
      body: { email, reason: 'they asked us by phone to write again' },
    });
    expect(byRep.status).toBe(403);
    const lifted = await server.call<{ email: string; was: string }>('POST', '/team/suppressions/lift', {
      token: admin.accessToken,
      body: { email, reason: 'they asked us by phone to write again' },
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ email, was: 'unsubscribed' });
    const after = (await pullAll(rep)).find((r) => r.kind === 'suppression' && r.id === email);
    expect(after?.deleted).toBe(true);
  });
});

describe('8. Microsoft email claims', () => {
  const tenant = randomUUID();

  it('an unverified email claim is not the admin address of ADMIN_EMAILS', async () => {
    // Any tenant's admin can put any address in a user's `email`; without xms_edov it proves nothing.
    const res = await server.signIn(
      microsoft,
      {
        sub: randomUUID(),
        email: ADMIN,
        preferred_username: 'mallory@evil.onmicrosoft.com',
        email_verified: undefined,
      },
      { tenant },
    );
    expect(res.status).toBe(403);
    const noUpn = await server.signIn(
      microsoft,
      { sub: randomUUID(), email: ADMIN, email_verified: undefined },
      { tenant },
    );
    expect(noUpn.status).toBe(403);
  });

  it('an invited member with an unverified email is marked so, and does not block the colleague it names', async () => {
    const colleague = await newRep();
    const res = await server.signIn(
      microsoft,
      // No UPN to fall back on (a guest, or a token without `preferred_username`): only the unverified email.
      { sub: randomUUID(), email: colleague.user.email, email_verified: undefined },
      { tenant, invite: await invite() },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const members = await server.call<{ members: Member[] }>('GET', '/team/members', {
      token: admin.accessToken,
    });
    const mallory = members.body.members.find((m) => m.id === res.body.user.id)!;
    expect(mallory.emailVerified).toBe(false);
    expect(members.body.members.find((m) => m.id === colleague.user.id)!.emailVerified).toBe(true);
    // The colleague still enrolls from their own mailbox (the unverified claim is nobody's address).
    const results = await push(colleague, oneEnrollment({ mailbox: colleague.user.email }));
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('a verified domain (xms_edov) or the tenant’s own UPN counts as verified', async () => {
    const edov = await server.signIn(
      microsoft,
      { sub: randomUUID(), email: 'ann@contoso.test', xms_edov: true, email_verified: undefined },
      { tenant, invite: await invite() },
    );
    expect(edov.status).toBe(200);
    const upn = await server.signIn(
      microsoft,
      { sub: randomUUID(), preferred_username: 'bob@contoso.test', email_verified: undefined },
      { tenant, invite: await invite() },
    );
    expect(upn.status).toBe(200);
    const members = await server.call<{ members: Member[] }>('GET', '/team/members', {
      token: admin.accessToken,
    });
    for (const id of [edov.body.user.id, upn.body.user.id])
      expect(members.body.members.find((m) => m.id === id)!.emailVerified).toBe(true);
  });
});

describe('9. tracking tokens', () => {
  const tokens = createTrackingTokens(new TextEncoder().encode(TRACKING_SECRET));

  it('pixel and click tokens older than their lifetime count nothing', async () => {
    const { rep, ids } = await repWithLinks(undefined, ['https://acme.test/pricing']);
    const base = { team: rep.user.teamId, owner: rep.user.id, enrollment: ids.enrollment, step: 0 };
    const old = Date.now() - 400 * 86_400_000;
    const pixel = await server.call('GET', `/t/o/${tokens.sign({ ...base, k: 'o', iat: old })}`);
    expect(pixel.status).toBe(200);
    const click = await server.call(
      'GET',
      `/t/c/${tokens.sign({ ...base, k: 'c', iat: old, url: 'https://acme.test/pricing' })}`,
    );
    expect(click.status).toBe(404);
    expect(await eventsOf(rep, 'opened', ids.enrollment)).toHaveLength(0);
  });

  it('an unsubscribe link carries no address, and works however old it is (old links with one too)', async () => {
    const email = `lead-${randomUUID()}@prospect.test`;
    const { rep, ids, links } = await repWithLinks(email);
    expect(links.unsubscribeUrl).not.toContain(encodeURIComponent(email));
    const payload = Buffer.from(
      path(links.unsubscribeUrl).split('/').at(-1)!.split('.')[0]!,
      'base64url',
    ).toString();
    expect(payload).not.toContain('@');
    const page = await server.call<string>('GET', path(links.unsubscribeUrl));
    expect(page.status).toBe(200);
    // A link from before this change, made two years ago, names the address itself: it still works.
    const other = `old-${randomUUID()}@prospect.test`;
    const legacy = tokens.sign({
      k: 'u',
      team: rep.user.teamId,
      owner: rep.user.id,
      enrollment: ids.enrollment,
      step: 0,
      iat: Date.now() - 2 * 365 * 86_400_000,
      email: other,
    });
    expect((await server.call('POST', `/t/u/${legacy}`)).status).toBe(200);
    const suppressed = (await pullAll(rep)).filter((r) => r.kind === 'suppression').map((r) => r.id);
    expect(suppressed).toContain(other);
  });

  it('opens of a removed member’s emails stop counting', async () => {
    const { rep, ids, links } = await repWithLinks();
    const removed = await server.call('DELETE', `/team/members/${rep.user.id}`, { token: admin.accessToken });
    expect(removed.status).toBe(204);
    expect((await server.call('GET', path(links.pixelUrl))).status).toBe(200);
    await sleep(4500);
    const opens = (await pullAll(admin)).filter(
      (r) => r.kind === 'event' && r.data?.type === 'opened' && r.data?.enrollmentId === ids.enrollment,
    );
    expect(opens).toHaveLength(0);
  });
});

// Several processes on one PostgreSQL, as behind a load balancer: each process's in-memory limiter lets a
// link's allowance through, but what is written is capped by the counters all of them share.
const balanced = process.env.DATABASE_URL ? ['two processes on one PostgreSQL'] : [];
describe.each(balanced)('5. the per-link limit across processes (%s)', () => {
  let pair: RealServer;
  let boss: Session;
  beforeAll(async () => {
    pair = await startRealServer(
      {
        NODE_ENV: 'production',
        PUBLIC_URL: 'http://threadline.test',
        SESSION_SECRET: randomBytes(32).toString('hex'),
        TRACKING_SECRET,
        ADMIN_EMAILS: ADMIN,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_TRACKING_PER_TOKEN_PER_MINUTE: '10',
        OIDC_ISSUERS: JSON.stringify([{ issuer: google.issuer, audiences: [google.audience] }]),
      },
      2,
    );
    boss = (await pair.signIn(google, { sub: 'boss', email: ADMIN })).body;
  }, 240_000);
  afterAll(() => pair?.stop());

  it('holds: 10 hits allowed per link and minute, 20 answered by two processes, 10 written', async () => {
    const ids = { contact: randomUUID(), sequence: randomUUID(), enrollment: randomUUID() };
    const pushed = await pair.call<PushResponse>('POST', '/sync/push', {
      token: boss.accessToken,
      body: { clientId: 'laptop', mutations: oneEnrollment({ mailbox: ADMIN, ids }) },
    });
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const links = await pair.call<TrackingLinks>('POST', '/tracking/links', {
      token: boss.accessToken,
      body: { enrollmentId: ids.enrollment, stepIndex: 0 },
    });
    // All in one minute of the clock (the counters are per minute).
    if (new Date().getSeconds() > 45) await sleep((61 - new Date().getSeconds()) * 1000);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await pair.call('GET', path(links.body.pixelUrl), { on: i % 2 })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20); // each process let its own 10 through
    await sleep(4500);
    const rows = (
      await pair.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=1000', { token: boss.accessToken })
    ).body.rows;
    const opens = rows.filter((r) => r.kind === 'event' && r.data?.type === 'opened');
    expect(opens).toHaveLength(10);
  });
});
