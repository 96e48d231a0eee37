// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingLinks } from '../lib/contract/tracking';
import { loadEnv } from './env';
import { createLimiter } from './rate-limit';
import { oneEnrollment } from './testing/fixtures';
import { createTestServer, type TestServer } from './testing/harness';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({
    rateLimits: {
      authPerMinute: 4,
      trackingPerTokenPerMinute: 3,
      trackingPerIpPerMinute: 10,
      trustProxyHops: 1,
    },
  });
}, 60_000);
afterAll(() => t?.close());

const from = (address: string) => ({ 'x-forwarded-for': `203.0.113.9, ${address}` });

describe('rate limits', () => {
  it('turn away an address asking /auth too often with 429 and Retry-After, and let it back a minute later', async () => {
    const nonce = (address: string) =>
      t.app.request('/auth/nonce', { method: 'POST', headers: from(address) });
    for (let i = 0; i < 4; i++) expect((await nonce('198.51.100.1')).status).toBe(200);
    const refused = await nonce('198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Sign-in and refresh share the address's allowance; another address has its own.
    const signin = await t.app.request('/auth/signin', {
      method: 'POST',
      headers: { ...from('198.51.100.1'), 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: 'x', nonce: 'y' }),
    });
    expect(signin.status).toBe(429);
    expect((await nonce('198.51.100.2')).status).toBe(200);
    t.advance(Number(refused.headers.get('retry-after')) * 1000);
    expect((await nonce('198.51.100.1')).status).toBe(200);
  });

  it('turn away a tracking link fetched too often, recording nothing more, and leave other links alone', async () => {
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
    const pixel = links.body.pixelUrl.replace('http://threadline.test', '');
    const click = links.body.links[0]!.trackedUrl.replace('http://threadline.test', '');
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await t.app.request(pixel, { headers: from('192.0.2.1') })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await t.app.request(click, { headers: from('192.0.2.1') })).status).toBe(302);
    // An address trying many links (made-up tokens included) is turned away too.
    const tries = [];
    for (let i = 0; i < 8; i++)
      tries.push((await t.app.request(`/t/o/made-up-${i}`, { headers: from('192.0.2.1') })).status);
    expect(tries.filter((s) => s === 429)).toHaveLength(4);
    await t.app.drain();
    const pulled = await t.call<{ rows: { kind: string }[] }>('GET', '/sync/pull?cursor=0', {
      token: admin.accessToken,
    });
    expect(pulled.body.rows.filter((r) => r.kind === 'event')).toHaveLength(4); // three opens and the click
  });

  it('remember a bounded number of keys: a flood of new addresses cannot grow memory, and a busy key keeps its count', () => {
    let clock = 0;
    const limiter = createLimiter(2, () => clock, 1000);
    expect([limiter.take('busy'), limiter.take('busy')]).toEqual([0, 0]);
    for (let i = 0; i < 50_000; i++) {
      limiter.take(`flood-${i}`);
      // The busy key comes back now and then: it is the most recently used, never the one dropped.
      if (i % 500 === 0) expect(limiter.take('busy'), `after ${i}`).toBeGreaterThan(0);
      clock += 0.001;
    }
    expect(limiter.size()).toBeLessThanOrEqual(1000);
  });

  it('are set by validated settings', () => {
    expect(loadEnv({})).toMatchObject({
      RATE_LIMIT_AUTH_PER_MINUTE: 60,
      RATE_LIMIT_TRACKING_PER_TOKEN_PER_MINUTE: 60,
      RATE_LIMIT_TRACKING_PER_IP_PER_MINUTE: 6000,
      TRUST_PROXY_HOPS: 0,
    });
    expect(() => loadEnv({ RATE_LIMIT_AUTH_PER_MINUTE: 'lots', TRUST_PROXY_HOPS: '-1' })).toThrow(
      /RATE_LIMIT_AUTH_PER_MINUTE:.*\n.*TRUST_PROXY_HOPS:/,
    );
  });
});
