import { describe, expect, it } from 'vitest';
import { MailError } from '../mail/provider';
import { enrollContacts } from '../runner/enroll';
import { addSequence, createTestRunner, emailStep, runUntil } from '../runner/testing';
import { createWatchHost } from './watch-host';

const NOW = Date.parse('2026-03-02T10:00:00Z');

async function setUp() {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, { steps: [emailStep('a'), emailStep('b', { value: 1, unit: 'days' })] });
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
  });
  const host = createWatchHost(t.deps, { error: () => {} });
  await host.cycle(); // the first cycle only takes a starting point
  await runUntil(t, NOW + 1000);
  return { ...t, host, enrollmentId: report.enrolled[0]!.enrollmentId };
}

describe('the reply-watch host', () => {
  it('stops a sequence when the contact’s reply arrives', async () => {
    const t = await setUp();
    await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: 'Yes, let us talk.',
      inReplyTo: t.mail.sent[0]!.messageId,
    });
    const results = await t.host.cycle();
    expect(results[t.rep.email]?.signals).toEqual([{ email: 'ada@acme.example', kind: 'human_reply' }]);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
  });

  it('reports a failing mailbox and keeps going', async () => {
    const t = await setUp();
    const errors: unknown[] = [];
    t.mail.failNext('changesSince', new MailError('Gmail: 401 token expired', 'auth', 401));
    const host = createWatchHost(t.deps, { error: (...a: unknown[]) => errors.push(a) });
    expect(await host.cycle()).toEqual({});
    expect(errors).toHaveLength(1);
    expect(Object.keys(await host.cycle())).toEqual([t.rep.email]);
  });
});
