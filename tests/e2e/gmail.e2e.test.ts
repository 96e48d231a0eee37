import fs from 'node:fs';
import type { Page } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { ALWAYS_OPEN, connectSandboxMailbox } from './support/scenario';
import { gmailFixtureHtml } from './support/inboxsdk-double';

/**
 * Gmail as far as we can go without Gmail: the built test extension in Chromium, the real Gmail driver on the
 * InboxSDK double (tests/e2e/support/inboxsdk-double.ts, swapped in by `wxt build --mode test`) over a
 * Gmail-like page served under mail.google.com, a mailbox of the mail sandbox connected through the options
 * page (Gmail API). The rep enrolls Ada from the thread with an edited first email,
 * Ada replies and drops out; Ben starts at the call step, the call is completed from the side-panel queue,
 * and the sequence sends him the next email.
 */
type Handle = {
  db: { sequences: { put(x: unknown): Promise<unknown> } };
  host: { tick(): Promise<unknown> };
  watch: { cycle(): Promise<unknown> };
};
declare const __threadline: Handle;

const SHOTS = 'tests/e2e/screenshots';
const REP = 'riley.chen@northwind.example';
const riley = { name: 'Riley Chen', emailAddress: REP };
const ada = { name: 'Ada Lovelace', emailAddress: 'ada.lovelace@acme.example' };
const ben = { name: 'Ben Okafor', emailAddress: 'ben.okafor@acme.example' };
/** Gmail's thread id of the open conversation: the sandbox mailbox's own, as InboxSDK would report it. */
let THREAD: string;
/** Ada's message in that thread, which the first email must answer. */
let ADA_MESSAGE_ID: string;
const fixtureFor = (thread: string) =>
  gmailFixtureHtml({
    user: riley,
    threads: [
      {
        id: thread,
        subject: 'Acme hiring plans',
        messages: [
          { from: riley, to: [ada], date: 'Nov 16', body: '<p>Hi Ada, great to meet you at the summit.</p>' },
          {
            from: ada,
            to: [riley],
            cc: [ben],
            date: 'Nov 17',
            body: '<p>Thanks Riley, looping in Ben who runs our data team. We are hiring six analysts.</p>',
          },
        ],
      },
    ],
  });
let FIXTURE: string;

let browser: ExtensionBrowser;
let sandbox: Sandbox;
let gmail: Page;
const blocked: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, 'gmail');
  // The conversation the rep opens exists in their mailbox too: Ada's message, in its Gmail thread.
  const opened = await sandbox.inject(REP, {
    from: 'Ada Lovelace <ada.lovelace@acme.example>',
    subject: 'Acme hiring plans',
    text: 'Thanks Riley, looping in Ben who runs our data team. We are hiring six analysts.',
  });
  THREAD = opened.threadId;
  ADA_MESSAGE_ID = sandbox
    .inbox(REP)
    .find((m) => m.providerMessageId === opened.providerMessageId)!.messageId;
  FIXTURE = fixtureFor(THREAD);
  browser = await launchWithExtension();
  // Gmail is the fixture; the sandbox is the only other host anything may reach.
  await browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'mail.google.com') return route.fulfill({ contentType: 'text/html', body: FIXTURE });
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const panel = () => gmail.locator('[aria-label="Threadline"] threadline-panel');
const refresh = () => gmail.evaluate(() => window.dispatchEvent(new Event('focus')));

describe('Threadline inside Gmail', () => {
  it('connects the rep’s Gmail mailbox (sandbox) and has a sequence ready', async () => {
    const options = await connectSandboxMailbox(browser, sandbox, REP, 'gmail');
    await options.close();
    await browser.worker.evaluate((s) => __threadline.db.sequences.put(s), SEQUENCE);
  });

  it('shows the thread’s outside people as not enrolled, in Gmail’s sidebar', async () => {
    gmail = await browser.context.newPage();
    await gmail.setViewportSize({ width: 1440, height: 900 });
    await gmail.goto(`https://mail.google.com/mail/u/0/#inbox/${THREAD}`);
    await expect
      .poll(() => panel().getByText('Ada Lovelace').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => panel().getByText('Not in a sequence').count()).toBe(2);
    // Riley is the rep: never a participant of their own panel.
    expect(await panel().getByText(REP).count()).toBe(0);
    await gmail.screenshot({ path: `${SHOTS}/gmail-1-thread-not-enrolled.png` });
  });

  it('enrolls Ada with an edited first email, which leaves the rep’s mailbox as a reply in the open thread', async () => {
    await panel().getByRole('button', { name: 'Enroll: Ada Lovelace' }).click();
    expect(await panel().getByRole('checkbox', { name: 'Reply in this thread' }).isChecked()).toBe(true);
    await panel().getByRole('button', { name: 'Edit for this enrollment: step 1' }).click();
    await panel().getByLabel('Body').fill('<p>Hi Ada, congratulations on the growth at Acme.</p>');
    await gmail.screenshot({ path: `${SHOTS}/gmail-2-enroll-edited.png` });
    await panel()
      .getByRole('button', { name: /^Enroll 1 contact in Gmail intro/ })
      .click();
    await expect.poll(() => panel().getByText('Active').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    const sent = sandbox.sent(REP);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      [['ada.lovelace@acme.example'], 'Re: Acme hiring plans'],
    ]);
    // It landed in the thread the rep had open, answering Ada's message.
    expect(sent[0]).toMatchObject({ threadId: THREAD, inReplyTo: ADA_MESSAGE_ID });
    expect((await PostalMime.parse(sent[0]!.raw)).html).toContain('congratulations on the growth at Acme');
    await gmail.screenshot({ path: `${SHOTS}/gmail-3-enrolled.png` });
  });

  it('shows Ada as unenrolled once she replies', async () => {
    const first = sandbox.sent(REP)[0]!;
    await sandbox.inject(REP, {
      from: 'Ada Lovelace <ada.lovelace@acme.example>',
      subject: `Re: ${first.subject}`,
      text: 'Yes! Can we talk Thursday?',
      inReplyTo: first.messageId,
    });
    await browser.worker.evaluate(() => __threadline.watch.cycle(), undefined);
    await refresh();
    await expect
      .poll(
        () =>
          panel()
            .getByText(/replied/i)
            .count(),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    await gmail.screenshot({ path: `${SHOTS}/gmail-4-unenrolled-replied.png` });
  });

  it('starts Ben at the call step; the call is completed from the side-panel queue and the sequence goes on', async () => {
    await panel().getByRole('button', { name: 'Enroll: Ben Okafor' }).click();
    await panel().getByLabel('Start at step').selectOption({ index: 1 });
    await panel()
      .getByRole('button', { name: /^Enroll 1 contact in Gmail intro/ })
      .click();
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);

    const side = await browser.context.newPage();
    await side.setViewportSize({ width: 400, height: 900 });
    await side.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    const complete = side.getByRole('button', { name: 'Complete: Ben Okafor' });
    await expect.poll(() => complete.count(), { timeout: 10_000 }).toBe(1);
    await side.getByLabel('Outcome').selectOption('connected');
    await side.screenshot({ path: `${SHOTS}/gmail-5-side-panel-queue.png` });
    await complete.click();
    await expect.poll(() => complete.count(), { timeout: 10_000 }).toBe(0);
    await side.screenshot({ path: `${SHOTS}/gmail-6-side-panel-done.png` });

    // Completing the call advanced Ben to step 3, an email, which went out.
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    await expect
      .poll(() => sandbox.sent(REP).map((m) => m.to[0]))
      .toEqual(['ada.lovelace@acme.example', 'ben.okafor@acme.example']);
    await refresh();
    await gmail.bringToFront();
    await expect.poll(() => panel().getByText('Finished').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await gmail.screenshot({ path: `${SHOTS}/gmail-7-after-queue.png` });
  });

  it('loaded InboxSDK with its error logging and event tracking off', async () => {
    const opts = await gmail.evaluate(() => document.documentElement.dataset.inboxsdkDouble);
    expect(JSON.parse(opts!)).toMatchObject({ globalErrorLogging: false, eventTracking: false });
  });

  it('offers the task queue in Gmail’s own sidebar too', async () => {
    await gmail.getByRole('button', { name: 'Threadline tasks' }).click();
    await expect
      .poll(() =>
        gmail.locator('[aria-label="Threadline tasks"] threadline-panel').getByText('Tasks').count(),
      )
      .toBeGreaterThan(0);
    await gmail.screenshot({ path: `${SHOTS}/gmail-8-queue-in-sidebar.png` });
  });

  it('enrolls a new message’s recipients from the compose toolbar, in a Gmail modal', async () => {
    await gmail.getByRole('button', { name: 'Compose' }).click();
    const compose = gmail.locator('[role="dialog"][aria-label="New Message"]');
    await compose
      .getByLabel('To')
      .fill('Grace Hopper <grace.hopper@contoso.example>, riley.chen@northwind.example');
    await compose.getByLabel('Subject').fill('Pilot timeline');
    await compose.getByRole('button', { name: 'Enroll recipients in a sequence' }).click();
    const modal = gmail.locator(
      '[role="dialog"][aria-label="Enroll recipients in a sequence"] threadline-panel',
    );
    const enroll = modal.getByRole('button', { name: /^Enroll 1 contact in Gmail intro/ });
    await expect.poll(() => enroll.count(), { timeout: 10_000 }).toBe(1);
    await gmail.screenshot({ path: `${SHOTS}/gmail-9-compose-enroll.png` });
    const before = sandbox.sent(REP).length;
    await enroll.click();
    await expect.poll(() => modal.getByRole('status').textContent(), { timeout: 10_000 }).toBe('Enrolled.');
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    await expect
      .poll(() =>
        sandbox
          .sent(REP)
          .slice(before)
          .map((m) => [m.to, m.subject]),
      )
      .toEqual([[['grace.hopper@contoso.example'], 'Hello Grace']]);
    await modal.getByRole('button', { name: 'Close' }).click();
    expect(await gmail.locator('[role="dialog"][aria-label="Enroll recipients in a sequence"]').count()).toBe(
      0,
    );
    await compose.getByRole('button', { name: 'Discard draft' }).click();
  });

  it('opens the task queue as a full page from Gmail’s navigation, with Grace’s call due', async () => {
    // Grace's first email went out; her sequence's call step is now a task.
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    await gmail.getByRole('button', { name: 'Threadline tasks' }).click(); // the sidebar queue closes
    await gmail.getByRole('link', { name: 'Threadline tasks' }).click();
    const page = gmail.locator('[role="main"] threadline-panel');
    await expect
      .poll(() => page.getByRole('button', { name: 'Complete: Grace Hopper' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(gmail.url()).toMatch(/#threadline-tasks$/);
    await gmail.screenshot({ path: `${SHOTS}/gmail-10-queue-page.png` });
    await gmail.goBack();
    await expect.poll(() => page.count()).toBe(0);
  });

  it('let nothing reach a host outside the test', () => {
    expect(blocked).toEqual([]);
  });
});

const SEQUENCE = {
  id: 'seq-gmail',
  name: 'Gmail intro',
  ownerId: 'rep',
  sharing: 'private',
  archived: false,
  updatedAt: 0,
  settings: ALWAYS_OPEN,
  steps: [
    {
      id: 's1',
      type: 'auto_email',
      delay: { value: 0, unit: 'minutes' },
      subject: 'Hello {{contact.firstName}}',
      body: '<p>Hi {{contact.firstName}}, a quick note.</p>',
      threadWithPrevious: true,
      variants: [],
    },
    {
      id: 's2',
      type: 'call',
      delay: { value: 0, unit: 'minutes' },
      title: 'Call to follow up',
      notes: '',
      priority: 'high',
      callScript: 'Ask how the analyst hiring is going.',
    },
    {
      id: 's3',
      type: 'auto_email',
      delay: { value: 0, unit: 'minutes' },
      subject: 'Good to talk, {{contact.firstName}}',
      body: '<p>Thanks for the call.</p>',
      threadWithPrevious: false,
      variants: [],
    },
  ],
};
