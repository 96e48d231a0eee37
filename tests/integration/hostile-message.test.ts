// A hostile message cannot stall watching or sending (issue 12 §1). Right before another contact's follow-up is
// due, the mailbox receives megabytes of unclosed `<a` from a stranger and a deeply nested message from an
// enrolled contact. The follow-up goes out at its due moment on the virtual clock, in the tick that was due,
// the watcher's cursor moves past both, and the contact whose message could not be read is paused for the rep
// with the message to open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollContacts } from '../../lib/runner/enroll';
import { addSequence, ANY_TIME, emailStep } from '../../lib/runner/testing';
import { tick } from '../../lib/runner/tick';
import { watchMailbox } from '../../lib/runner/reply-watcher';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, type ProviderKind } from './harness';

const MONDAY = Date.parse('2026-03-02T10:00:00Z');
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.stop();
});

/** An HTML-only message of `mb` megabytes of `<a` that never close: quadratic for a regex-based HTML-to-text. */
function unclosedAnchors(from: string, to: string, mb: number): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    'Subject: Special offer',
    `Message-ID: <hostile-${Math.random().toString(36).slice(2)}@spam.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body>' + '<a '.repeat(Math.floor((mb * 1024 * 1024) / 3)),
  ].join('\r\n');
}

/** A reply from a contact, in their thread, whose multipart nesting is deeper than any real mail. */
function deeplyNested(from: string, to: string, inReplyTo: string, depth: number): string {
  const head = [
    `From: ${from}`,
    `To: ${to}`,
    'Subject: Re: Hello Ada',
    `Message-ID: <nested-${Math.random().toString(36).slice(2)}@acme.example>`,
    `In-Reply-To: ${inReplyTo}`,
    `References: ${inReplyTo}`,
    'MIME-Version: 1.0',
  ];
  let body = 'Content-Type: text/html\r\n\r\n<p>' + '<a '.repeat(100_000) + '\r\n';
  for (let i = depth; i > 0; i--)
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  return head.join('\r\n') + '\r\n' + body;
}

let n = 0;
describe.each(['gmail', 'graph'] as const)(
  'a hostile message in the mailbox, through %s',
  (kind: ProviderKind) => {
    it('neither delays a due send nor holds the cursor; the contact it came from waits for the rep', async () => {
      const mailbox = `hostile${n++}@${kind === 'gmail' ? 'seller.example' : 'contoso.example'}`;
      const t = sandboxRunner(sandbox, kind, MONDAY, mailbox);
      t.deps.checkReplies = (m) => watchMailbox(t.deps, m).then(() => undefined);
      await addSequence(t.db, {
        settings: ANY_TIME,
        steps: [emailStep('one'), emailStep('two', { value: 1, unit: 'days' })],
      });
      const report = await enrollContacts(t.deps, {
        sequenceId: 'seq-1',
        contacts: [
          { email: `ada${n}@acme.example`, firstName: 'Ada' },
          { email: `ben${n}@bolt.example`, firstName: 'Ben' },
        ],
      });
      const [ada, ben] = report.enrolled;
      await t.db.meta.put({
        key: `watch-cursor:${mailbox}`,
        value: (await t.provider.changesSince(undefined)).cursor,
      });
      await tick(t.deps);
      expect(sandbox.sent(mailbox)).toHaveLength(2);
      const toAda = sandbox.sent(mailbox).find((m) => m.to.includes(ada!.email))!;
      const benDue = (await t.db.enrollments.get(ben!.enrollmentId))!.dueAt!;

      // A minute before Ben's follow-up is due, the hostile mail arrives.
      t.clock.now = benDue - 60_000;
      await sandbox.inject(mailbox, unclosedAnchors('Promo <deals@spam.example>', mailbox, 3));
      const nested = await sandbox.inject(
        mailbox,
        deeplyNested(`Ada <${ada!.email}>`, mailbox, toAda.messageId, 40),
      );

      // One tick at the moment Ben is due: it watches (the hostile mail included), then sends.
      t.clock.now = benDue;
      expect(t.alarm.at).toBe(benDue);
      const result = await tick(t.deps);
      expect(result.sent).toBe(1);
      const toBen = sandbox.sent(mailbox).filter((m) => m.to.includes(ben!.email));
      expect(toBen).toHaveLength(2);
      expect(
        t.events.find((e) => e.type === 'sent' && e.enrollmentId === ben!.enrollmentId && e.stepIndex === 1)
          ?.at,
      ).toBe(benDue);

      // The cursor moved past both: the next cycle has nothing new to read.
      expect((await watchMailbox(t.deps, mailbox)).looked).toBe(0);
      const read = await t.db.inbound.where('mailbox').equals(mailbox).toArray();
      expect(read.map((r) => r.kind).sort()).toEqual(['skipped', 'unreadable']);

      // Ada's message could not be read: her sequence waits for the rep, who can open it.
      expect(await t.db.enrollments.get(ada!.enrollmentId)).toMatchObject({
        status: 'paused',
        pauseReason: 'needs_attention',
        attention: {
          kind: 'unreadable_message',
          detail: 'A message from Ada could not be read: open it',
          providerMessageId: nested.providerMessageId,
          from: ada!.email,
        },
      });
    });
  },
);
