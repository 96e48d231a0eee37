import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../../lib/runner/enroll';
import { addSequence, emailStep, runUntil } from '../../lib/runner/testing';
import { watchMailbox } from '../../lib/runner/reply-watcher';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, type ProviderKind } from './harness';

/**
 * Enrolling a contact from the thread the rep has open, end to end below the UI: the runner with a real
 * provider over HTTP against the mail sandbox. The mail client reported the thread by the id it shows (Gmail's
 * thread id, Outlook's conversation id); the first email must land in that very thread, replying to its newest
 * message, and the sequence must still stop when the contact answers.
 */
const MONDAY = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, now: () => MONDAY - DAY });
});
afterAll(async () => {
  await sandbox.stop();
});

let n = 0;
async function setUp(kind: ProviderKind) {
  const mailbox = `rep-thread${n++}@${kind === 'gmail' ? 'seller.example' : 'contoso.example'}`;
  const t = sandboxRunner(sandbox, kind, MONDAY, mailbox);
  const contact = `ada${n}@acme.example`;
  // The conversation the rep has open: Ada wrote, and Ben answered in the same thread.
  const opener = await sandbox.inject(mailbox, {
    from: `Ada Lovelace <${contact}>`,
    subject: 'Acme hiring plans',
    text: 'We are hiring six analysts.',
  });
  const openerId = sandbox.inbox(mailbox).find((m) => m.providerMessageId === opener.providerMessageId)!;
  const newest = await sandbox.inject(mailbox, {
    from: 'Ben Okafor <ben@acme.example>',
    subject: 'RE: Acme hiring plans',
    text: 'Adding a note',
    inReplyTo: openerId.messageId,
    references: [openerId.messageId],
  });
  expect(newest.threadId).toBe(opener.threadId);
  const newestId = sandbox.inbox(mailbox).find((m) => m.providerMessageId === newest.providerMessageId)!;
  await addSequence(t.db, {
    steps: [emailStep('one'), emailStep('two', { value: 1, unit: 'days' })],
  });
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: contact, firstName: 'Ada' }],
    thread: { threadId: opener.threadId, subject: 'Acme hiring plans' },
  });
  await t.provider
    .changesSince(undefined)
    .then((c) => t.db.meta.put({ key: `watch-cursor:${mailbox}`, value: c.cursor }));
  return {
    ...t,
    mailbox,
    contact,
    threadId: opener.threadId,
    newestMessageId: newestId.messageId,
    enrollmentId: report.enrolled[0]!.enrollmentId,
  };
}

/** The first email leaves; `from` answers it; nothing more is sent and the enrollment ends as replied. */
async function expectStoppedByAnswer(t: Awaited<ReturnType<typeof setUp>>, from: string, text: string) {
  await runUntil(t, MONDAY + 1000);
  const [first] = sandbox.sent(t.mailbox);
  expect(first?.threadId).toBe(t.threadId);
  await sandbox.inject(t.mailbox, {
    from,
    subject: `Re: ${first!.subject}`,
    text,
    inReplyTo: first!.messageId,
  });
  await watchMailbox(t.deps, t.mailbox);
  await runUntil(t, MONDAY + 3 * DAY);
  expect(sandbox.sent(t.mailbox)).toHaveLength(1);
  expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
    status: 'unenrolled',
    reason: 'replied',
  });
}

describe.each(['gmail', 'graph'] as const)('enrolled from an opened thread, through %s', (kind) => {
  it('sends the first email as a reply in that thread, and threads the follow-up under it', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + DAY + 1000);
    const [first, second] = sandbox.sent(t.mailbox);
    expect(first).toMatchObject({
      threadId: t.threadId,
      inReplyTo: t.newestMessageId,
      to: [t.contact],
      // A reply keeps the subject of the message it answers (Ben's, written by Outlook).
      subject: 'RE: Acme hiring plans',
    });
    expect(second).toMatchObject({ threadId: t.threadId, inReplyTo: first!.messageId, to: [t.contact] });
    expect(second!.references).toContain(first!.messageId);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'finished',
      threadId: t.threadId,
    });
  });

  it('stops when the contact answers in the thread, and sends nothing after', async () => {
    const t = await setUp(kind);
    await expectStoppedByAnswer(t, `Ada <${t.contact}>`, 'Thursday works.');
  });

  it('stops only the sequence of whoever replies when two people were enrolled from the thread', async () => {
    const t = await setUp(kind);
    const ben = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ben@acme.example', firstName: 'Ben' }],
      thread: { threadId: t.threadId, subject: 'Acme hiring plans' },
    });
    expect(ben.rejected).toEqual([]);
    // Two emails, at least the default spacing apart.
    await runUntil(t, MONDAY + 5 * 60_000);
    const toBen = sandbox.sent(t.mailbox).find((m) => m.to.includes('ben@acme.example'))!;
    expect(toBen.threadId).toBe(t.threadId);
    await sandbox.inject(t.mailbox, {
      from: 'Ben Okafor <ben@acme.example>',
      subject: `Re: ${toBen.subject}`,
      text: 'Not me, but Ada will know.',
      inReplyTo: toBen.messageId,
    });
    await watchMailbox(t.deps, t.mailbox);
    expect(await t.db.enrollments.get(ben.enrolled[0]!.enrollmentId)).toMatchObject({ reason: 'replied' });
    expect((await t.db.enrollments.get(t.enrollmentId))?.status).toBe('active');

    // Someone not enrolled answers in the shared thread: the conversation is live, nothing more goes.
    await sandbox.inject(t.mailbox, {
      from: 'Carol Diaz <carol@acme.example>',
      subject: `Re: ${toBen.subject}`,
      text: 'Looping in procurement.',
      inReplyTo: toBen.messageId,
    });
    await watchMailbox(t.deps, t.mailbox);
    await runUntil(t, MONDAY + 3 * DAY);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
    expect(sandbox.sent(t.mailbox)).toHaveLength(2);
  });

  it('leaves the sequence going when someone not enrolled in the thread is out of office or auto-replies', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + 1000);
    const [first] = sandbox.sent(t.mailbox);
    await sandbox.inject(t.mailbox, {
      from: 'Carol Diaz <carol@acme.example>',
      subject: `Automatic reply: ${first!.subject}`,
      text: 'I am out of the office until 16 March 2026 with limited access to email.',
      headers: { 'Auto-Submitted': 'auto-replied' },
      inReplyTo: first!.messageId,
    });
    await sandbox.inject(t.mailbox, {
      from: 'Acme Helpdesk <help@acme.example>',
      subject: `[Ticket #4411] ${first!.subject}`,
      text: 'Thank you for contacting Acme. Your request has been received.',
      headers: { 'Auto-Submitted': 'auto-replied' },
      inReplyTo: first!.messageId,
    });
    const watched = await watchMailbox(t.deps, t.mailbox);
    expect(watched.looked).toBe(2);
    expect(watched.signals).toEqual([]);
    // Ada's sequence goes on: her follow-up leaves the next day.
    await runUntil(t, MONDAY + DAY + 1000);
    expect(sandbox.sent(t.mailbox)).toHaveLength(2);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({ status: 'finished' });
  });

  it('stops the thread when someone not enrolled asks to be removed, but lists only them as do-not-contact', async () => {
    const t = await setUp(kind);
    // Ben is one of the rep's contacts, not enrolled in this sequence.
    await t.db.contacts.put({ id: 'ben', email: 'ben@acme.example', firstName: 'Ben', custom: {} });
    await expectStoppedByAnswer(
      t,
      'Ben Okafor <ben@acme.example>',
      'Please remove me from your mailing list.',
    );
    expect((await t.db.suppressions.toArray()).map((x) => x.email)).toEqual(['ben@acme.example']);
  });
});
