// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { PullResponse } from '../../lib/contract/sync';
import type { TrackingLinks } from '../../lib/contract/tracking';
import { createTestServer, type TestServer } from '../testing/harness';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

async function enrolled(s: Session, email: string, n = 1) {
  const suffix = s.user.id.slice(0, 8);
  const res = await t.call<{ results: { status: string }[] }>('POST', '/sync/push', {
    token: s.accessToken,
    body: {
      clientId: 'laptop',
      mutations: [
        { id: n, name: 'contact.upsert', args: { id: `c-${suffix}`, email } },
        {
          id: n + 1,
          name: 'sequence.upsert',
          args: {
            id: `q-${suffix}`,
            name: 'Intro',
            steps: [{ id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
          },
        },
        {
          id: n + 2,
          name: 'enroll',
          args: {
            id: `e-${suffix}`,
            sequenceId: `q-${suffix}`,
            contactId: `c-${suffix}`,
            mailbox: s.user.email,
            status: 'active',
            enrolledAt: t.now(),
            stepIndex: 0,
          },
        },
      ],
    },
  });
  expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  return `e-${suffix}`;
}

async function linksFor(s: Session, enrollmentId: string, links: string[] = []) {
  const res = await t.call<TrackingLinks>('POST', '/tracking/links', {
    token: s.accessToken,
    body: { enrollmentId, stepIndex: 0, links },
  });
  expect(res.status).toBe(200);
  return res.body;
}

const path = (url: string) => url.replace('http://threadline.test', '');

async function rows(s: Session, kind: string) {
  await t.app.drain();
  const res = await t.call<PullResponse>('GET', '/sync/pull?cursor=0', { token: s.accessToken });
  return res.body.rows.filter((r) => r.kind === kind);
}

function tamper(url: string, change: (payload: Record<string, unknown>) => void): string {
  const [prefix, token] = [url.slice(0, url.lastIndexOf('/') + 1), url.slice(url.lastIndexOf('/') + 1)];
  const [body, signature] = token.split('.') as [string, string];
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  change(payload);
  return `${prefix}${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

describe('tracking links', () => {
  it('are made only for the caller’s own enrollments', async () => {
    const { admin, members } = await t.newTeam('rep');
    const e = await enrolled(admin, 'lead@acme.test');
    const links = await linksFor(admin, e, ['https://acme.test/pricing']);
    expect(links.links[0]!.trackedUrl).toMatch(/^http:\/\/threadline\.test\/t\/c\//);
    const theirs = await t.call('POST', '/tracking/links', {
      token: members[0]!.accessToken,
      body: { enrollmentId: e, stepIndex: 0 },
    });
    expect(theirs.status).toBe(404);
    const bad = await t.call<{ error: { message: string } }>('POST', '/tracking/links', {
      token: admin.accessToken,
      body: { enrollmentId: e, stepIndex: 0, links: ['javascript:alert(1)'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^json\.links\.0:/);
  });
});

describe('the open pixel', () => {
  it('counts a person’s open, and keeps but flags prefetches and proxies', async () => {
    const { admin } = await t.newTeam();
    const { pixelUrl } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'));
    const soon = await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    expect(soon.headers.get('content-type')).toBe('image/gif');
    t.advance(60_000);
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    await t.app.request(path(pixelUrl), {
      headers: { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' },
    });
    // Outlook for Windows loads images through Office's own stack: a person reading, not a scanner.
    await t.app.request(path(pixelUrl), {
      headers: {
        'user-agent':
          'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; Microsoft Outlook 16.0.17928; ms-office; MSOffice 16)',
      },
    });
    const opens = (await rows(admin, 'event')).map((r) => r.data!.data);
    expect(opens).toEqual([
      { machine: true, flag: 'too_soon' },
      {},
      { machine: true, flag: 'image_proxy' },
      {},
    ]);
  });

  it('keeps but flags as scanners the hits of security scanners, scripts and anything with no user agent', async () => {
    const { admin } = await t.newTeam();
    const { pixelUrl, links } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'), [
      'https://acme.test/',
    ]);
    t.advance(60_000);
    const agents = [
      'Mozilla/5.0 (compatible; Mimecast URL Protect)',
      'curl/8.5.0',
      'python-requests/2.32.3',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36',
      '',
      undefined,
    ];
    for (const agent of agents)
      await t.app.request(path(pixelUrl), agent === undefined ? {} : { headers: { 'user-agent': agent } });
    // A click with no user agent is a scanner following the link, not the contact.
    const click = await t.app.request(path(links[0]!.trackedUrl));
    expect(click.status).toBe(302);
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    const events = (await rows(admin, 'event')).map((r) => [r.data!.type, r.data!.data]);
    expect(events).toEqual([
      ...agents.map(() => ['opened', { machine: true, flag: 'scanner' }]),
      ['clicked', { url: 'https://acme.test/', machine: true, flag: 'scanner' }],
      ['opened', {}],
    ]);
  });

  it('records nothing for a forged or altered token, and still answers a pixel', async () => {
    const { admin } = await t.newTeam();
    const { pixelUrl } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'));
    const altered = tamper(pixelUrl, (p) => (p.enrollment = 'someone-else'));
    for (const url of [altered, 'http://threadline.test/t/o/made.up', `${pixelUrl}x`]) {
      const res = await t.app.request(path(url), { headers: { 'user-agent': BROWSER } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    }
    expect(await rows(admin, 'event')).toEqual([]);
  });
});

describe('click redirects', () => {
  it('send the reader on to the signed URL and record the click', async () => {
    const { admin } = await t.newTeam();
    const { links } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'), [
      'https://acme.test/pricing?a=1',
    ]);
    t.advance(60_000);
    const res = await t.app.request(path(links[0]!.trackedUrl), { headers: { 'user-agent': BROWSER } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://acme.test/pricing?a=1');
    expect((await rows(admin, 'event')).map((r) => r.data)).toEqual([
      expect.objectContaining({
        type: 'clicked',
        data: { url: 'https://acme.test/pricing?a=1' },
      }),
    ]);
  });

  it('never redirect where the token does not sign (no open redirect), and record nothing', async () => {
    const { admin } = await t.newTeam();
    const { links, pixelUrl } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'), [
      'https://acme.test/',
    ]);
    const evil = tamper(links[0]!.trackedUrl, (p) => (p.url = 'https://evil.test/'));
    const openAsClick = pixelUrl.replace('/t/o/', '/t/c/');
    for (const url of [
      evil,
      openAsClick,
      `${links[0]!.trackedUrl}?next=https://evil.test/`.replace('?', '.x?'),
    ]) {
      const res = await t.app.request(path(url));
      expect(res.status, url).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(await rows(admin, 'event')).toEqual([]);
  });
});

describe('one-click unsubscribe', () => {
  it('asks for confirmation on GET and changes nothing', async () => {
    const { admin } = await t.newTeam();
    const { unsubscribeUrl } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'));
    const res = await t.app.request(path(unsubscribeUrl));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(
      /<form method="post">.*lead@acme\.test|lead@acme\.test.*<form method="post">/s,
    );
    expect(await rows(admin, 'suppression')).toEqual([]);
  });

  it('acts at once on POST (RFC 8058): do-not-contact, and every live enrollment of the address ends', async () => {
    const { admin, members } = await t.newTeam('rep');
    const mine = await enrolled(admin, 'Lead@Acme.test');
    const colleagues = await enrolled(members[0]!, 'lead@acme.test');
    const { unsubscribeUrl } = await linksFor(admin, mine);
    const res = await t.app.request(path(unsubscribeUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await rows(admin, 'suppression')).map((r) => r.data)).toEqual([
      expect.objectContaining({ email: 'lead@acme.test', reason: 'unsubscribed' }),
    ]);
    const enrollments = await rows(admin, 'enrollment'); // the admin reads the team's
    expect(enrollments.map((r) => [r.id, r.data!.status, r.data!.reason]).sort()).toEqual(
      [
        [mine, 'unenrolled', 'unsubscribed'],
        [colleagues, 'unenrolled', 'unsubscribed'],
      ].sort(),
    );
    expect((await rows(admin, 'event')).map((r) => r.id)).toEqual([`unsubscribed:${mine}`]);
  });

  it('does nothing for a forged or altered token', async () => {
    const { admin } = await t.newTeam();
    const { unsubscribeUrl, pixelUrl } = await linksFor(admin, await enrolled(admin, 'lead@acme.test'));
    const forged = [
      tamper(unsubscribeUrl, (p) => (p.email = 'ceo@acme.test')),
      pixelUrl.replace('/t/o/', '/t/u/'),
    ];
    for (const url of forged) {
      expect(
        (await t.app.request(path(url), { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status,
      ).toBe(404);
    }
    expect(await rows(admin, 'suppression')).toEqual([]);
    expect((await rows(admin, 'enrollment'))[0]!.data!.status).toBe('active');
  });
});

describe('the rep’s own views', () => {
  const view = (s: Session, body: { enrollmentIds?: string[]; threadIds?: string[] }) =>
    t.call<{ enrollmentIds: string[]; until: number }>('POST', '/tracking/views', {
      token: s.accessToken,
      body,
    });
  const today = () => new Date(t.now()).toISOString().slice(0, 10);

  it('are kept but not counted as the contact’s opens, even when reported just after the open', async () => {
    const { admin, members } = await t.newTeam('rep');
    const e = await enrolled(admin, 'lead@acme.test');
    const { pixelUrl } = await linksFor(admin, e);
    t.advance(60_000);
    // The rep opens the thread: their mail client loads the pixel, the extension reports the view a moment later.
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    t.advance(2_000);
    expect((await view(admin, { enrollmentIds: [e] })).body.enrollmentIds).toEqual([e]);
    t.advance(30_000);
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    // The thread closes; later the contact opens the email.
    expect((await view(admin, { enrollmentIds: [] })).body.enrollmentIds).toEqual([]);
    t.advance(60_000);
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    expect((await rows(admin, 'event')).map((r) => r.data!.data)).toEqual([
      { machine: true, flag: 'own_view' },
      { machine: true, flag: 'own_view' },
      {},
    ]);
    const analytics = await t.call<{ totals: { counts: { openedHuman: number; openedAll: number } } }>(
      'GET',
      `/analytics?from=${today()}&to=${today()}`,
      { token: admin.accessToken },
    );
    expect(analytics.body.totals.counts).toMatchObject({ openedHuman: 1, openedAll: 1 });
    // A colleague cannot mark the rep's opens as theirs.
    expect((await view(members[0]!, { enrollmentIds: [e] })).body.enrollmentIds).toEqual([]);
  });

  it('can name the thread instead of the enrollment, and end after two minutes unless reported again', async () => {
    const { admin } = await t.newTeam();
    const e = await enrolled(admin, 'lead@acme.test');
    await t.call('POST', '/sync/push', {
      token: admin.accessToken,
      body: {
        clientId: 'laptop',
        mutations: [{ id: 4, name: 'enrollment.progress', args: { enrollmentId: e, threadId: 'thread-9' } }],
      },
    });
    const { pixelUrl } = await linksFor(admin, e);
    t.advance(60_000);
    expect((await view(admin, { threadIds: ['thread-9'] })).body.enrollmentIds).toEqual([e]);
    t.advance(90_000);
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    t.advance(60_000);
    await t.app.request(path(pixelUrl), { headers: { 'user-agent': BROWSER } });
    expect((await rows(admin, 'event')).map((r) => r.data!.data)).toEqual([
      { machine: true, flag: 'own_view' },
      {},
    ]);
  });
});
