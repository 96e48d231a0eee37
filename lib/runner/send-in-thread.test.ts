import { describe, expect, it } from 'vitest';
import type { SequenceInput } from '../domain/sequence';
import { MailError, type MailProvider } from '../mail/provider';
import { DEFAULT_LEASE_MS } from './deps';
import { enrollContacts } from './enroll';
import { addSequence, createTestRunner, emailStep, type TestRunner } from './testing';
import { tick } from './tick';

// Monday 2 March 2026, 10:00 in London: inside the default 08:00-18:00 window.
const MONDAY_10 = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
const ada = { email: 'ada@acme.example', firstName: 'Ada', timeZone: 'Europe/London' };

/** The conversation the rep has open: their own email, then Ada's answer. */
async function openedThread(t: TestRunner) {
  const mine = await t.mail.send({
    messageId: '<intro@seller.example>',
    from: { address: t.rep.email },
    to: [{ address: ada.email }],
    subject: 'Acme hiring plans',
    html: '<p>Hi Ada</p>',
    text: 'Hi Ada',
  });
  const answer = await t.mail.inject({
    from: 'Ada <ada@acme.example>',
    subject: 'Re: Acme hiring plans',
    text: 'Looping in Ben',
    messageId: '<answer@acme.example>',
    inReplyTo: '<intro@seller.example>',
  });
  expect(answer.threadId).toBe(mine.threadId);
  return { threadId: mine.threadId, answer };
}

async function enrollFrom(
  t: TestRunner,
  thread: { threadId: string; subject: string },
  steps: SequenceInput['steps'] = [emailStep('first'), emailStep('second', { value: 1, unit: 'days' })],
) {
  await addSequence(t.db, { steps });
  const report = await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [ada], thread });
  return report.enrolled[0]!.enrollmentId;
}

describe('the first email of an enrollment made from an opened thread', () => {
  it('goes as a reply to the thread’s newest message, in that thread, under its subject', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    const { threadId, answer } = await openedThread(t);
    const enrollmentId = await enrollFrom(t, { threadId, subject: 'Acme hiring plans' });

    expect(await tick(t.deps)).toMatchObject({ sent: 1 });
    const first = t.mail.sent.at(-1)!;
    expect(first.threadId).toBe(threadId);
    expect(first.outgoing?.subject).toBe('Re: Acme hiring plans');
    expect(first.outgoing?.thread).toEqual({
      threadId,
      lastProviderMessageId: answer.providerMessageId,
      lastMessageId: '<answer@acme.example>',
      references: ['<intro@seller.example>', '<answer@acme.example>'],
    });
    expect(first.raw).toMatch(/^In-Reply-To: <answer@acme\.example>/m);

    // The follow-up threads under the first email, carrying the whole conversation in References.
    t.clock.now += DAY;
    await tick(t.deps);
    const second = t.mail.sent.at(-1)!;
    expect(second.threadId).toBe(threadId);
    expect(second.outgoing?.subject).toBe('Re: Acme hiring plans');
    expect(second.outgoing?.thread).toMatchObject({
      lastMessageId: first.messageId,
      references: ['<intro@seller.example>', '<answer@acme.example>', first.messageId],
    });
    expect(await t.db.enrollments.get(enrollmentId)).toMatchObject({ status: 'finished', threadId });
  });

  it('starts a new conversation when the mailbox no longer has that thread, and follow-ups thread under it', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    await enrollFrom(t, { threadId: 'thread-deleted', subject: 'Acme hiring plans' });
    expect(await tick(t.deps)).toMatchObject({ sent: 1 });
    const first = t.mail.sent.at(-1)!;
    expect(first.outgoing?.thread).toBeUndefined();
    t.clock.now += DAY;
    await tick(t.deps);
    const second = t.mail.sent.at(-1)!;
    expect(second.threadId).toBe(first.threadId);
    expect(second.outgoing?.thread?.lastMessageId).toBe(first.messageId);
  });

  it('is a new email with its own subject when the sequence does not thread it, and follow-ups keep that subject', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    const { threadId } = await openedThread(t);
    await enrollFrom(t, { threadId, subject: 'Acme hiring plans' }, [
      { ...emailStep('first'), threadWithPrevious: false },
      emailStep('second', { value: 1, unit: 'days' }),
    ]);
    await tick(t.deps);
    const first = t.mail.sent.at(-1)!;
    expect(first.threadId).not.toBe(threadId);
    expect(first.outgoing?.subject).toBe('Hello Ada');
    t.clock.now += DAY;
    await tick(t.deps);
    const second = t.mail.sent.at(-1)!;
    expect(second.threadId).toBe(first.threadId);
    expect(second.outgoing?.subject).toBe('Re: Hello Ada');
  });

  it('waits and tries again when the mailbox cannot be asked for the thread right now', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    const { threadId } = await openedThread(t);
    await enrollFrom(t, { threadId, subject: 'Acme hiring plans' });
    const before = t.mail.sent.length;
    t.mail.failNext('latestInThread', new MailError('503 Service Unavailable', 'transient', 503));
    expect(await tick(t.deps)).toMatchObject({ sent: 0 });
    expect(t.mail.sent).toHaveLength(before);
    t.clock.now += DEFAULT_LEASE_MS;
    expect(await tick(t.deps)).toMatchObject({ sent: 1 });
    expect(t.mail.sent.at(-1)!.threadId).toBe(threadId);
  });

  it('is sent once when the worker dies after the mailbox accepted it, and the thread is recorded', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    const { threadId } = await openedThread(t);
    const enrollmentId = await enrollFrom(t, { threadId, subject: 'Acme hiring plans' });
    const before = t.mail.sent.length;
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    const dying: MailProvider = {
      ...t.mail,
      send: async (m) => {
        await t.mail.send(m);
        died();
        return new Promise(() => {});
      },
    };
    void tick({ ...t.deps, mailFor: () => dying });
    await dead;
    t.clock.now += DEFAULT_LEASE_MS;
    await tick(t.restart());
    expect(t.mail.sent).toHaveLength(before + 1);
    expect(await t.db.enrollments.get(enrollmentId)).toMatchObject({ stepIndex: 1, threadId });
  });
});
