// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../../lib/runner/enroll';
import { createMemoryLease, type SendLease } from '../../lib/runner/lease';
import { addSequence, ANY_TIME, emailStep } from '../../lib/runner/testing';
import { createHttpLease } from '../../lib/sync/lease-client';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, tickTogether } from './harness';

/**
 * Two browsers signed into the same mailbox (a rep's laptop and desktop), each with its own copy of the
 * enrollments, tick at the same moments. Only the holder of the mailbox's send lease sends; when it goes
 * quiet the other takes over and, asking the mailbox for each Message-ID first, sends nothing twice. The same
 * scenario runs with the in-memory lease the runner was designed against and with the real backend's lease
 * over HTTP.
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

interface LeaseUnderTest {
  name: string;
  mailbox: string;
  contacts: number;
  /** The lease the devices share, what it reported going wrong, and how its clock follows the simulated one. */
  open(mailbox: string): Promise<{ lease: SendLease; errors: Error[]; advance?: (ms: number) => void }>;
}

const LEASES: LeaseUnderTest[] = [
  {
    name: 'the in-memory lease',
    mailbox: 'rep@two.example',
    contacts: 20,
    open: async () => ({ lease: createMemoryLease(), errors: [] }),
  },
  {
    name: 'the backend’s lease',
    mailbox: 'rep@two-http.example',
    contacts: 10,
    async open(mailbox) {
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
      // The server's clock moves with the simulated one (the lease's expiry is on the server's clock).
      return { lease, errors, advance: (ms) => server.advance(ms) };
    },
  },
];

describe.each(LEASES)('two devices, one mailbox, $name', ({ mailbox, contacts: count, open }) => {
  it('never sends an email twice, at the same time or on takeover', async () => {
    const { lease, errors, advance } = await open(mailbox);
    const laptop = sandboxRunner(sandbox, 'gmail', START, mailbox);
    const desktop = sandboxRunner(sandbox, 'gmail', START, mailbox);
    const settings = { ...ANY_TIME, perMinuteCap: 600 };
    const steps = [
      emailStep('a'),
      emailStep('b', { value: 1, unit: 'hours' }),
      emailStep('c', { value: 1, unit: 'hours' }),
    ];
    for (const device of [laptop, desktop]) await addSequence(device.db, { settings, steps });
    const contacts = Array.from({ length: count }, (_, i) => ({
      email: `p${i}@buyer.example`,
      firstName: `P${i}`,
    }));
    await enrollContacts(laptop.deps, { sequenceId: 'seq-1', contacts });
    // The desktop has the same enrollments, as sync would give it.
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
    await tickTogether(devices, START, advance);

    const total = count * steps.length;
    expect(errors).toEqual([]);
    const ids = sandbox.sent(mailbox).map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total);
    expect((await desktop.db.enrollments.toArray()).every((e) => e.status === 'finished')).toBe(true);
    // The laptop sent while it held the lease; the desktop finished the rest, and knows of every email.
    const laptopSent = await laptop.db.events.where('type').equals('sent').count();
    const desktopSent = await desktop.db.events.where('type').equals('sent').count();
    expect(laptopSent).toBeGreaterThan(0);
    expect(laptopSent).toBeLessThan(total);
    expect(desktopSent).toBe(total);
  }, 120_000);
});
