import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../../lib/runner/enroll';
import { createMemoryLease } from '../../lib/runner/lease';
import { addSequence, ANY_TIME, emailStep } from '../../lib/runner/testing';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, tickTogether } from './harness';

/**
 * Two browsers signed into the same mailbox (a rep's laptop and desktop), each with its own copy of the
 * enrollments, tick at the same moments. Only the holder of the mailbox's send lease sends; when it goes
 * quiet the other takes over and, asking the mailbox for each Message-ID first, sends nothing twice.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.stop();
});

const START = Date.parse('2026-03-02T09:00:00Z');

describe('two devices, one mailbox', () => {
  it('never sends an email twice, at the same time or on takeover', async () => {
    const mailbox = 'rep@two.example';
    const laptop = sandboxRunner(sandbox, 'gmail', START, mailbox);
    const desktop = sandboxRunner(sandbox, 'gmail', START, mailbox);
    const lease = createMemoryLease();
    const settings = { ...ANY_TIME, perMinuteCap: 600 };
    const steps = [
      emailStep('a'),
      emailStep('b', { value: 1, unit: 'hours' }),
      emailStep('c', { value: 1, unit: 'hours' }),
    ];
    for (const device of [laptop, desktop]) await addSequence(device.db, { settings, steps });
    const contacts = Array.from({ length: 20 }, (_, i) => ({
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
    await tickTogether(devices, START);

    const sent = sandbox.sent(mailbox);
    const ids = sent.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(60);
    expect((await desktop.db.enrollments.toArray()).every((e) => e.status === 'finished')).toBe(true);
    // The laptop sent while it held the lease; the desktop finished the rest.
    const laptopSent = await laptop.db.events.where('type').equals('sent').count();
    const desktopSent = await desktop.db.events.where('type').equals('sent').count();
    expect(laptopSent).toBeGreaterThan(0);
    expect(desktopSent).toBe(60);
  }, 120_000);
});
