import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { sequenceRow } from './support/scenario';

/**
 * The built extension in Chromium against the mail sandbox: connect a mailbox through the options page with
 * the real OAuth flow (identity.launchWebAuthFlow, PKCE), enroll a contact with an edited first email, see it
 * leave the mailbox, inject the contact's reply, and see the sequence stop.
 */
type Handle = {
  db: {
    sequences: { put(x: unknown): Promise<unknown> };
    enrollments: { get(id: string): Promise<{ status: string; reason?: string } | undefined> };
  };
  deps: unknown;
  host: { tick(): Promise<{ sent: number } | undefined> };
  watch: { cycle(): Promise<unknown> };
  enrollContacts(
    deps: unknown,
    req: unknown,
  ): Promise<{ enrolled: { enrollmentId: string }[]; rejected: unknown[] }>;
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';
let browser: ExtensionBrowser;
let sandbox: Sandbox;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox('rep@demo.example', 'gmail');
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('mail through the extension and the sandbox', () => {
  it('connects a sandbox mailbox from the options page with the real OAuth flow', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings`);
    await expect.poll(() => page.getByTestId('no-accounts').isVisible()).toBe(true);
    await page.getByText('Demo: connect a mailbox of the mail sandbox').click();
    await page.getByLabel('Sandbox URL').fill(sandbox.url);
    await page.getByLabel('Mailbox', { exact: true }).fill('rep@demo.example');
    await page.getByRole('button', { name: 'Connect sandbox mailbox' }).click();
    await expect
      .poll(() => page.getByTestId('account-mailbox').textContent(), { timeout: 20_000 })
      .toBe('rep@demo.example');
    await page.screenshot({ path: `${SCREENSHOTS}/options-mailboxes.png`, fullPage: true });
    await page.close();
  });

  it('sends the edited first email from that mailbox, then stops when the contact replies', async () => {
    const sequence = sequenceRow('seq-demo', 'Demo', [
      {
        id: 's1',
        type: 'auto_email',
        delay: { value: 0, unit: 'minutes' },
        subject: 'Hello {{contact.firstName}}',
        body: '<p>Generic first note</p>',
        threadWithPrevious: true,
        variants: [],
      },
      {
        id: 's2',
        type: 'auto_email',
        delay: { value: 1, unit: 'days' },
        subject: '',
        body: '<p>Following up</p>',
        threadWithPrevious: true,
        variants: [],
      },
    ]);
    const enrollmentId = await browser.worker.evaluate(async (seq) => {
      const t = __threadline;
      await t.db.sequences.put(seq);
      const report = await t.enrollContacts(t.deps, {
        sequenceId: 'seq-demo',
        contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
        edits: {
          s1: { subject: 'Ada, about Acme’s hiring', body: '<p>Hi Ada, saw the new roles at Acme.</p>' },
        },
      });
      await t.host.tick();
      return report.enrolled[0]!.enrollmentId;
    }, sequence);
    const sent = sandbox.sent('rep@demo.example');
    expect(sent.map((m) => [m.to, m.subject])).toEqual([[['ada@acme.example'], 'Ada, about Acme’s hiring']]);

    await sandbox.inject('rep@demo.example', {
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Ada, about Acme’s hiring',
      text: 'Happy to talk, Thursday?',
      inReplyTo: sent[0]!.messageId,
    });
    const state = await browser.worker.evaluate(async (id) => {
      await __threadline.watch.cycle();
      await __threadline.host.tick();
      return __threadline.db.enrollments.get(id);
    }, enrollmentId);
    expect(state).toMatchObject({ status: 'unenrolled', reason: 'replied' });
    expect(sandbox.sent('rep@demo.example')).toHaveLength(1);
  });
});
