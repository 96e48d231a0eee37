import { describe, expect, it } from 'vitest';
import { createFakeMailProvider, type FakeMailProvider } from '../mail/fake';
import { enrollContacts } from './enroll';
import { addSequence, ANY_TIME, createTestRunner, emailStep, runUntil } from './testing';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;

/** The rep's two connected mailboxes: the profile's (rep@seller.example) and a second one. */
async function setUp() {
  const boxes = new Map<string, FakeMailProvider>();
  const t = createTestRunner({ now: NOW, mail: (mailbox) => boxes.get(mailbox) });
  for (const mailbox of ['rep@seller.example', 'sales@seller.example'])
    boxes.set(mailbox, createFakeMailProvider({ mailbox, clock: () => t.clock.now }));
  await addSequence(t.db, {
    settings: ANY_TIME,
    steps: [emailStep('a'), emailStep('b', { value: 1, unit: 'days' })],
  });
  return { ...t, first: boxes.get('rep@seller.example')!, second: boxes.get('sales@seller.example')! };
}

describe('the sending mailbox of a bulk enrollment', () => {
  it('is recorded on each enrollment, and every step goes from it', async () => {
    const t = await setUp();
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      mailbox: 'Sales@Seller.example',
      contacts: [
        { email: 'ada@acme.example', firstName: 'Ada' },
        { email: 'bo@acme.example', firstName: 'Bo' },
      ],
    });
    expect(report.enrolled).toHaveLength(2);
    for (const { enrollmentId } of report.enrolled)
      expect((await t.db.enrollments.get(enrollmentId))?.mailbox).toBe('sales@seller.example');
    expect(t.events.filter((e) => e.type === 'enrolled').map((e) => e.mailbox)).toEqual([
      'sales@seller.example',
      'sales@seller.example',
    ]);
    await runUntil(t, NOW + 2 * DAY);
    expect(t.second.sent).toHaveLength(4);
    expect(new Set(t.second.sent.map((m) => m.outgoing?.from.address))).toEqual(
      new Set(['sales@seller.example']),
    );
    expect(t.first.sent).toHaveLength(0);
  });

  it('defaults to the rep’s own mailbox, as enrolling from a thread does', async () => {
    const t = await setUp();
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
    });
    expect((await t.db.enrollments.get(report.enrolled[0]!.enrollmentId))?.mailbox).toBe(
      'rep@seller.example',
    );
    await runUntil(t, NOW + DAY / 2);
    expect(t.first.sent).toHaveLength(1);
  });

  it('refuses a mailbox that is not connected, enrolling no one', async () => {
    const t = await setUp();
    await expect(
      enrollContacts(t.deps, {
        sequenceId: 'seq-1',
        mailbox: 'old@seller.example',
        contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
      }),
    ).rejects.toThrow('The mailbox old@seller.example is not connected');
    expect(await t.db.enrollments.count()).toBe(0);
  });

  it('refuses the sending mailbox’s own address as a contact', async () => {
    const t = await setUp();
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      mailbox: 'sales@seller.example',
      contacts: [{ email: 'sales@seller.example' }, { email: 'ada@acme.example', firstName: 'Ada' }],
    });
    expect(report.rejected.map((r) => [r.email, r.reason])).toEqual([
      ['sales@seller.example', 'own_address'],
    ]);
  });
});
