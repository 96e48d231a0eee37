// Replies that never reach the Inbox (issue 12 §3): a Gmail filter archives the contact's reply, an Outlook
// rule files it into a folder. The real providers over real HTTP against the mail sandbox; the sequence must
// stop and its next step must not go, whether the watch cycle or the pre-send thread check finds the reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../../lib/runner/enroll';
import { addSequence, ANY_TIME, emailStep, runUntil } from '../../lib/runner/testing';
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

/** What the rep set up in their own mail client, through the provider's real API. */
async function fileAwayMailFrom(kind: ProviderKind, mailbox: string, sender: string) {
  const call = async (url: string, body: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.tokenFor(mailbox)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, url).toBeLessThan(300);
    return (await res.json()) as { id: string };
  };
  if (kind === 'gmail') {
    // "Skip the Inbox (Archive it)".
    await call(`${sandbox.gmailBase}/users/me/settings/filters`, {
      criteria: { from: sender },
      action: { removeLabelIds: ['INBOX'] },
    });
    return;
  }
  const folder = await call(`${sandbox.graphBase}/me/mailFolders`, { displayName: 'Customers' });
  await call(`${sandbox.graphBase}/me/mailFolders/inbox/messageRules`, {
    displayName: 'Customers to their folder',
    sequence: 1,
    isEnabled: true,
    conditions: { fromAddresses: [{ emailAddress: { address: sender } }] },
    actions: { moveToFolder: folder.id, stopProcessingRules: true },
  });
}

let n = 0;
async function setUp(kind: ProviderKind) {
  const mailbox = `filed${n++}@${kind === 'gmail' ? 'seller.example' : 'contoso.example'}`;
  const t = sandboxRunner(sandbox, kind, MONDAY, mailbox);
  await addSequence(t.db, {
    settings: ANY_TIME,
    steps: [emailStep('one'), emailStep('two', { value: 1, unit: 'days' })],
  });
  const contact = `ada${n}@acme.example`;
  await fileAwayMailFrom(kind, mailbox, contact);
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: contact, firstName: 'Ada' }],
  });
  const start = await t.provider.changesSince(undefined);
  await t.db.meta.put({ key: `watch-cursor:${mailbox}`, value: start.cursor });
  await runUntil(t, MONDAY + 1000);
  const first = sandbox.sent(mailbox)[0]!;
  const reply = await sandbox.inject(mailbox, {
    from: `Ada <${contact}>`,
    subject: `Re: ${first.subject}`,
    text: 'Thanks, Thursday works. Call me then.',
    inReplyTo: first.messageId,
    references: [first.messageId],
  });
  // The rep's filter or rule kept it out of the Inbox.
  expect(sandbox.inbox(mailbox).map((m) => m.providerMessageId)).not.toContain(reply.providerMessageId);
  return { ...t, mailbox, contact, enrollmentId: report.enrolled[0]!.enrollmentId };
}

describe.each(['gmail', 'graph'] as const)('a reply filed away from the Inbox, through %s', (kind) => {
  it('is seen by the watch cycle before the next step: the sequence stops and nothing more is sent', async () => {
    const t = await setUp(kind);
    t.deps.checkReplies = (m) => watchMailbox(t.deps, m).then(() => undefined);
    await runUntil(t, MONDAY + 3 * DAY);
    expect(sandbox.sent(t.mailbox)).toHaveLength(1);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
  });

  it('is found by the check of the thread right before the follow-up, at one thread read per email', async () => {
    const t = await setUp(kind);
    // No watch cycle at all (as if the worker had not run one since the reply arrived).
    const before = sandbox.requestLog().length;
    await runUntil(t, MONDAY + 3 * DAY);
    expect(sandbox.sent(t.mailbox)).toHaveLength(1);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
    const threadReads = sandbox
      .requestLog()
      .slice(before)
      .filter((r) => r.mailbox === t.mailbox)
      .filter((r) =>
        kind === 'gmail'
          ? /\/threads\//.test(r.path)
          : decodeURIComponent(r.query).includes('conversationId eq'),
      );
    expect(threadReads).toHaveLength(1);
  });
});
