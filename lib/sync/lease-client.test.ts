// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/auth';
import { createMemoryLease, type SendLease } from '../runner/lease';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { createHttpLease } from './lease-client';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

const MINUTE = 60_000;

function client(session: Session, onError?: (e: Error) => void) {
  return createHttpLease({
    baseUrl: 'http://threadline.test/',
    fetch: (input, init) => Promise.resolve(t.app.request(String(input), init)),
    token: () => session.accessToken,
    ...(onError ? { onError } : {}),
  });
}

describe('the send lease over HTTP', () => {
  it('behaves like the in-memory lease the runner was tested with', async () => {
    const rep = await t.signIn();
    const http = client(rep);
    const memory = createMemoryLease();
    // The same script against both: the server's clock is the one that counts, so both use t.now().
    const script = async (lease: SendLease, advance: (ms: number) => void, now: () => number) => {
      const answers: boolean[] = [];
      answers.push(await lease.acquire('rep@acme.test', 'laptop', now(), now() + 2 * MINUTE));
      answers.push(await lease.acquire('rep@acme.test', 'phone', now(), now() + 2 * MINUTE));
      answers.push(await lease.acquire('rep@acme.test', 'laptop', now(), now() + 2 * MINUTE)); // renew
      advance(MINUTE);
      answers.push(await lease.acquire('rep@acme.test', 'phone', now(), now() + 2 * MINUTE));
      advance(2 * MINUTE + 1);
      answers.push(await lease.acquire('rep@acme.test', 'phone', now(), now() + 2 * MINUTE)); // takeover
      answers.push(await lease.acquire('rep@acme.test', 'laptop', now(), now() + 2 * MINUTE));
      answers.push(await lease.acquire('other@acme.test', 'laptop', now(), now() + 2 * MINUTE));
      return answers;
    };
    let memClock = t.now();
    const viaMemory = await script(
      memory,
      (ms) => (memClock += ms),
      () => memClock,
    );
    const viaHttp = await script(http, t.advance, t.now);
    expect(viaHttp).toEqual([true, false, true, false, true, false, true]);
    expect(viaHttp).toEqual(viaMemory);
  });

  it('hands out strictly increasing fencing tokens as the lease changes hands', async () => {
    const rep = await t.signIn();
    const http = client(rep);
    const seen: number[] = [];
    for (const holder of ['laptop', 'phone', 'laptop', 'desktop']) {
      expect(await http.acquire('rep@acme.test', holder, t.now(), t.now() + MINUTE)).toBe(true);
      seen.push(http.fencingToken('rep@acme.test')!);
      expect(await http.acquire('rep@acme.test', holder, t.now(), t.now() + MINUTE)).toBe(true); // renewal keeps it
      expect(http.fencingToken('rep@acme.test')).toBe(seen.at(-1));
      t.advance(MINUTE + 1);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('answers 409 with the holder’s expiry, and lets the holder release early', async () => {
    const rep = await t.signIn();
    const mailbox = encodeURIComponent('rep@acme.test');
    const granted = await t.call<{ expiresAt: number }>('POST', `/leases/${mailbox}`, {
      token: rep.accessToken,
      body: { holder: 'laptop', ttlMs: MINUTE },
    });
    expect(granted.body.expiresAt).toBe(t.now() + MINUTE);
    const refused = await t.call('POST', `/leases/${mailbox}`, {
      token: rep.accessToken,
      body: { holder: 'phone' },
    });
    expect(refused).toEqual({
      status: 409,
      body: {
        error: { code: 'lease_held', message: 'another device holds the lease of rep@acme.test' },
        expiresAt: t.now() + MINUTE,
      },
    });
    await t.call('DELETE', `/leases/${mailbox}`, { token: rep.accessToken, body: { holder: 'phone' } }); // not the holder
    expect(
      (await t.call('POST', `/leases/${mailbox}`, { token: rep.accessToken, body: { holder: 'phone' } }))
        .status,
    ).toBe(409);
    await t.call('DELETE', `/leases/${mailbox}`, { token: rep.accessToken, body: { holder: 'laptop' } });
    expect(
      (await t.call('POST', `/leases/${mailbox}`, { token: rep.accessToken, body: { holder: 'phone' } }))
        .status,
    ).toBe(200);
  });

  it('grants one of many devices asking at once', async () => {
    const rep = await t.signIn();
    const http = client(rep);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        http.acquire('rep@acme.test', `device-${i}`, t.now(), t.now() + MINUTE),
      ),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('rejects a bad mailbox or request, naming it', async () => {
    const rep = await t.signIn();
    const bad = await t.call<{ error: { message: string } }>('POST', '/leases/not-an-address', {
      token: rep.accessToken,
      body: { holder: 'laptop', ttlMs: 10 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^param\.mailbox: is not a valid email address/);
    const short = await t.call<{ error: { message: string } }>('POST', '/leases/rep%40acme.test', {
      token: rep.accessToken,
      body: { holder: 'laptop', ttlMs: 10 },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/^json\.ttlMs:/);
  });

  it('does not send when the backend cannot be asked (expired session, network down)', async () => {
    const rep = await t.signIn();
    const errors: Error[] = [];
    t.advance(16 * MINUTE);
    expect(
      await client(rep, (e) => errors.push(e)).acquire('rep@acme.test', 'laptop', t.now(), t.now() + MINUTE),
    ).toBe(false);
    const offline = createHttpLease({
      baseUrl: 'http://threadline.test',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
      token: () => rep.accessToken,
      onError: (e) => errors.push(e),
    });
    expect(await offline.acquire('rep@acme.test', 'laptop', t.now(), t.now() + MINUTE)).toBe(false);
    expect(errors.map((e) => e.message)).toEqual([
      'POST /leases/rep%40acme.test answered 401: the session token is invalid or expired',
      'The backend at http://threadline.test cannot be reached (fetch failed)',
    ]);
  });
});
