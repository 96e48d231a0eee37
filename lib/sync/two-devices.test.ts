// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../runner/enroll';
import { addSequence, ANY_TIME, emailStep } from '../runner/testing';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, tickTogether } from '../../tests/integration/harness';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { createHttpLease } from './lease-client';

/**
 * tests/integration/two-devices.test.ts with the real backend's lease instead of the in-memory one: two
 * browsers of one rep tick together, then one closes; through the HTTP lease nothing is sent twice.
 */
let sandbox: Sandbox;
let server: TestServer;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  server = await createTestServer();
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
  await server?.close();
});

const START = Date.parse('2026-03-02T09:00:00Z');

describe('two devices, one mailbox, the backend’s lease', () => {
  it('never sends an email twice, at the same time or on takeover', async () => {
    const mailbox = 'rep@two-http.example';
    let session = await server.signIn({ email: mailbox });
    const errors: Error[] = [];
    const lease = createHttpLease({
      baseUrl: 'http://threadline.test',
      fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
      // Hours pass in this test: the session is renewed as the sync client would, before it expires.
      token: async () => {
        if (server.now() > session.accessExpiresAt - 60_000) {
          const renewed = await server.call<typeof session>('POST', '/auth/refresh', {
            body: { refreshToken: session.refreshToken },
          });
          session = renewed.body;
        }
        return session.accessToken;
      },
      onError: (e) => errors.push(e),
    });
    const laptop = sandboxRunner(sandbox, 'gmail', START, mailbox);
    const desktop = sandboxRunner(sandbox, 'gmail', START, mailbox);
    const settings = { ...ANY_TIME, perMinuteCap: 600 };
    const steps = [
      emailStep('a'),
      emailStep('b', { value: 1, unit: 'hours' }),
      emailStep('c', { value: 1, unit: 'hours' }),
    ];
    for (const device of [laptop, desktop]) await addSequence(device.db, { settings, steps });
    const contacts = Array.from({ length: 10 }, (_, i) => ({
      email: `p${i}@buyer.example`,
      firstName: `P${i}`,
    }));
    await enrollContacts(laptop.deps, { sequenceId: 'seq-1', contacts });
    await desktop.db.contacts.bulkPut(await laptop.db.contacts.toArray());
    await desktop.db.enrollments.bulkPut(await laptop.db.enrollments.toArray());

    const devices = [
      {
        t: laptop,
        deps: { ...laptop.deps, lease: { port: lease, holder: 'laptop' } },
        // The laptop is closed after two hours; the desktop carries on.
        closesAt: START + 2 * 3_600_000,
      },
      { t: desktop, deps: { ...desktop.deps, lease: { port: lease, holder: 'desktop' } } },
    ];
    // The server's clock moves with the simulated one (the lease's expiry is on the server's clock).
    await tickTogether(devices, START, (ms) => server.advance(ms));

    expect(errors).toEqual([]);
    const ids = sandbox.sent(mailbox).map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
    expect((await desktop.db.enrollments.toArray()).every((e) => e.status === 'finished')).toBe(true);
    const laptopSent = await laptop.db.events.where('type').equals('sent').count();
    expect(laptopSent).toBeGreaterThan(0);
    expect(laptopSent).toBeLessThan(30);
  }, 120_000);
});
