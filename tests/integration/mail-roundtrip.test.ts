import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../../lib/runner/enroll';
import { addSequence, emailStep, runUntil } from '../../lib/runner/testing';
import { watchMailbox } from '../../lib/runner/reply-watcher';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, type ProviderKind } from './harness';

const MONDAY = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.stop();
});

let n = 0;
async function setUp(kind: ProviderKind) {
  const mailbox = `rep${n++}@${kind === 'gmail' ? 'seller.example' : 'contoso.example'}`;
  const t = sandboxRunner(sandbox, kind, MONDAY, mailbox);
  await addSequence(t.db, {
    steps: [
      emailStep('one'),
      emailStep('two', { value: 1, unit: 'days' }),
      emailStep('three', { value: 1, unit: 'days' }),
    ],
  });
  const contact = `ada${n}@acme.example`;
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: contact, firstName: 'Ada' }],
  });
  await t.provider
    .changesSince(undefined)
    .then((c) => t.db.meta.put({ key: `watch-cursor:${mailbox}`, value: c.cursor }));
  return { ...t, mailbox, contact, enrollmentId: report.enrolled[0]!.enrollmentId };
}

describe.each(['gmail', 'graph'] as const)('through %s and the mail sandbox', (kind) => {
  it('sends the first email and threads the follow-up under it', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + DAY + 1000);
    const sent = sandbox.sent(t.mailbox);
    expect(sent.map((m) => m.subject)).toEqual(['Hello Ada', 'Re: Hello Ada']);
    expect(sent[1]!.threadId).toBe(sent[0]!.threadId);
    expect(sent[1]!.inReplyTo).toBe(sent[0]!.messageId);
    expect(sent[1]!.to).toEqual([t.contact]);
  });

  it('stops the sequence when the contact replies, and sends nothing after', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + 1000);
    const first = sandbox.sent(t.mailbox)[0]!;
    await sandbox.inject(t.mailbox, {
      from: `Ada <${t.contact}>`,
      subject: 'Re: Hello Ada',
      text: 'Sounds good, call me Thursday.',
      inReplyTo: first.messageId,
    });
    const watched = await watchMailbox(t.deps, t.mailbox);
    expect(watched.signals).toEqual([{ email: t.contact, kind: 'human_reply' }]);
    await runUntil(t, MONDAY + 5 * DAY);
    expect(sandbox.sent(t.mailbox)).toHaveLength(1);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
    // The same reply seen again after a re-sync is not acted on twice.
    expect((await watchMailbox(t.deps, t.mailbox)).looked).toBe(0);
  });

  it('pauses at an out-of-office until the stated date and carries on after it', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + 1000);
    const first = sandbox.sent(t.mailbox)[0]!;
    await sandbox.inject(t.mailbox, {
      from: t.contact,
      subject: 'Automatic reply: Hello Ada',
      text: 'I am out of the office until 9 March 2026 with limited access to email.',
      inReplyTo: first.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      date: 'Mon, 02 Mar 2026 10:05:00 +0000',
    });
    await watchMailbox(t.deps, t.mailbox);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'paused',
      pauseReason: 'out_of_office',
      pausedUntil: Date.parse('2026-03-09T00:00:00Z'),
    });
    await runUntil(t, Date.parse('2026-03-08T23:00:00Z'));
    expect(sandbox.sent(t.mailbox)).toHaveLength(1);
    await runUntil(t, Date.parse('2026-03-12T00:00:00Z'));
    expect(sandbox.sent(t.mailbox)).toHaveLength(3);
  });

  it('ends and suppresses the address on a hard bounce', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + 1000);
    const dsn = readFileSync('tests/fixtures/mail/bounce/postfix-user-unknown.eml', 'utf8')
      .replaceAll('jane.doe@example.org', t.contact)
      .replaceAll('sam.rep@example.com', t.mailbox);
    await sandbox.inject(t.mailbox, dsn);
    const watched = await watchMailbox(t.deps, t.mailbox);
    expect(watched.signals).toEqual([{ email: t.contact, kind: 'bounce' }]);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'bounced',
    });
    expect(await t.db.suppressions.get(t.contact)).toMatchObject({ reason: 'hard_bounce' });
  });

  it('never takes the rep’s own mail for a reply', async () => {
    const t = await setUp(kind);
    await runUntil(t, MONDAY + 1000);
    const first = sandbox.sent(t.mailbox)[0]!;
    await sandbox.inject(t.mailbox, {
      from: t.mailbox,
      subject: 'Re: Hello Ada',
      text: 'Note to self',
      inReplyTo: first.messageId,
    });
    expect((await watchMailbox(t.deps, t.mailbox)).signals).toEqual([]);
    expect((await t.db.enrollments.get(t.enrollmentId))?.status).toBe('active');
  });
});
