// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../lib/contract/sync';
import type { TrackingLinks } from '../../lib/contract/tracking';
import { serveApp, type RunningServer } from '../serve';
import { oneEnrollment } from '../testing/fixtures';
import { createTestServer, type TestServer } from '../testing/harness';
import { PIXEL, pixelTokenOf } from './pixel';

// The pixel as a mail client reaches it: over HTTP, where serveApp answers it in front of the app.
let t: TestServer;
let server: RunningServer;
beforeAll(async () => {
  t = await createTestServer({
    rateLimits: {
      authPerMinute: 0,
      trackingPerTokenPerMinute: 3,
      trackingPerIpPerMinute: 10,
      trustProxyHops: 1,
    },
  });
  server = await serveApp(t.app, { port: 0, hostname: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await t?.close();
});

const BROWSER =
  'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const from = (address: string) => ({ 'x-forwarded-for': `203.0.113.9, ${address}`, 'user-agent': BROWSER });

async function linksOf() {
  const admin = await t.signIn();
  await t.call('POST', '/sync/push', {
    token: admin.accessToken,
    body: {
      clientId: 'laptop',
      mutations: oneEnrollment({ mailbox: admin.user.email, enrolledAt: t.now() }),
    },
  });
  const links = await t.call<TrackingLinks>('POST', '/tracking/links', {
    token: admin.accessToken,
    body: { enrollmentId: 'e', stepIndex: 0, links: ['https://acme.test/'] },
  });
  const events = async () => {
    await t.app.drain();
    const res = await t.call<PullResponse>('GET', '/sync/pull?cursor=0', { token: admin.accessToken });
    return res.body.rows.filter((r) => r.kind === 'event');
  };
  const path = (url: string) => url.replace('http://threadline.test', '');
  return { pixel: path(links.body.pixelUrl), click: path(links.body.links[0]!.trackedUrl), events };
}

describe('the open pixel over HTTP', () => {
  it('answers the GIF, never to be stored, and writes each open once; a forged token records nothing', async () => {
    const { pixel, events } = await linksOf();
    const res = await fetch(`${server.url}${pixel}.gif?utm=x`, { headers: from('192.0.2.10') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toBe('no-store, private');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(Buffer.from(await res.arrayBuffer()).equals(PIXEL)).toBe(true);
    t.advance(60_000);
    await fetch(`${server.url}${pixel}`, { headers: from('192.0.2.11') });
    const [body, signature] = pixel.slice('/t/o/'.length).split('.') as [string, string];
    const forged = await fetch(`${server.url}/t/o/${body}x.${signature}`, { headers: from('192.0.2.12') });
    expect(forged.status).toBe(200);
    expect(Buffer.from(await forged.arrayBuffer()).equals(PIXEL)).toBe(true);
    const opens = await events();
    expect(opens.map((r) => (r.data as { type?: string }).type)).toEqual(['opened', 'opened']);
    expect(new Set(opens.map((r) => r.id)).size).toBe(2);
  });

  it('shares its limits with the app’s /t/* routes: 429 with Retry-After, recording nothing more', async () => {
    const { pixel, click, events } = await linksOf();
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await fetch(`${server.url}${pixel}`, { headers: from('192.0.2.20') })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await fetch(`${server.url}${pixel}`, { headers: from('192.0.2.21') });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // The address's allowance (10) counts the pixel's answers and the app's click alike.
    const address = from('192.0.2.30');
    const made = [];
    for (let i = 0; i < 9; i++)
      made.push((await fetch(`${server.url}/t/o/made-up-${i}`, { headers: address })).status);
    expect(made.every((s) => s === 200)).toBe(true);
    const clicks = [];
    for (let i = 0; i < 2; i++)
      clicks.push((await fetch(`${server.url}${click}`, { headers: address, redirect: 'manual' })).status);
    expect(clicks).toEqual([302, 429]);
    expect((await events()).map((r) => (r.data as { type?: string }).type)).toEqual([
      'opened',
      'opened',
      'opened',
      'clicked',
    ]);
  });

  it('leaves to the app what is not a plain GET of one token: HEAD, escapes, more segments', async () => {
    expect(pixelTokenOf('GET', '/t/o/abc.def.gif?x=1')).toBe('abc.def');
    expect(pixelTokenOf('HEAD', '/t/o/abc.def')).toBeUndefined();
    expect(pixelTokenOf('GET', '/t/o/abc%2Edef')).toBeUndefined();
    expect(pixelTokenOf('GET', '/t/o/abc/def')).toBeUndefined();
    expect(pixelTokenOf('GET', '/t/o/')).toBeUndefined();
    expect(pixelTokenOf('GET', '/t/c/abc.def')).toBeUndefined();
    const nested = await fetch(`${server.url}/t/o/abc/def`, { headers: from('192.0.2.40') });
    expect(nested.status).toBe(404);
    const head = await fetch(`${server.url}/t/o/made-up`, { method: 'HEAD', headers: from('192.0.2.40') });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/gif');
  });
});
