import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_HOSTS, mailHostOf } from '../../lib/hosts/mail-hosts';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { seriousViolationsIn } from './support/axe';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { ALWAYS_OPEN, connectSandboxMailbox } from './support/scenario';

/**
 * Outlook on the web, for real as far as we can go without Outlook: the built extension in Chromium, the
 * Outlook driver on a dated fixture served under outlook.office.com, a mailbox of the mail sandbox connected
 * through the options page (Microsoft Graph). The rep enrolls Ada from the thread with an edited first email,
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
/** The conversation id the dated fixture carries in `data-convid`. */
const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
/** The open conversation's id: the sandbox mailbox's own Graph conversationId, put in the fixture's place. */
let CONV: string;
/** Ada's message in it, which the first email must answer. */
let ADA_MESSAGE_ID: string;
let FIXTURE: string;
const COMPOSE_FIXTURE = fs.readFileSync('tests/fixtures/outlook/compose-2026-12-07.html', 'utf8');
/** The cloud.microsoft fixture's data-convid (EWS form, with + and /). */
const CLOUD_CONV = 'AAQkAGZhYnJpa2FtLTQ1/ZC00Njc4LWI+OTAzLWZhYnJpa2Ft/AAQ+yz=';
const CLOUD_FIXTURE = fs.readFileSync('tests/fixtures/outlook/cloud-microsoft-2026-12-07.html', 'utf8');
/** Outlook's origins, from the one list of mail hosts. */
const ORIGIN = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;
const CLOUD = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.cloud.microsoft')!.origin;

let browser: ExtensionBrowser;
let sandbox: Sandbox;
let outlook: Page;
const blocked: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, 'graph');
  // The conversation the rep opens exists in their mailbox too: Ada's message, in its Graph conversation.
  const opened = await sandbox.inject(REP, {
    from: 'Ada Lovelace <ada.lovelace@acme.example>',
    subject: 'Acme hiring plans',
    text: 'Thanks Riley, looping in Ben who runs our data team. We are hiring six analysts.',
  });
  CONV = opened.threadId;
  ADA_MESSAGE_ID = sandbox
    .inbox(REP)
    .find((m) => m.providerMessageId === opened.providerMessageId)!.messageId;
  FIXTURE = fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, CONV);
  browser = await launchWithExtension();
  // Outlook is the fixture; the sandbox is the only other host anything may reach.
  await browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (mailHostOf(url.href, MAIL_HOSTS)?.kind === 'outlook')
      return route.fulfill({
        contentType: 'text/html',
        body: url.pathname.startsWith('/mail/compose')
          ? COMPOSE_FIXTURE
          : url.origin === CLOUD
            ? CLOUD_FIXTURE
            : url.pathname.startsWith('/mail/changed/')
              ? // Microsoft changed the page: the reading pane's anchor is gone.
                FIXTURE.replaceAll('data-app-section="MailReadCompose"', '')
              : FIXTURE,
      });
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const panel = () => outlook.locator('threadline-panel');
const refresh = () => outlook.evaluate(() => window.dispatchEvent(new Event('focus')));

describe('Threadline inside Outlook on the web', () => {
  it('connects the rep’s Outlook mailbox (sandbox) and has a sequence ready', async () => {
    const options = await connectSandboxMailbox(browser, sandbox, REP, 'graph');
    await options.close();
    await browser.worker.evaluate((s) => __threadline.db.sequences.put(s), SEQUENCE);
  });

  it('shows the thread’s outside people as not enrolled, next to the reading pane', async () => {
    outlook = await browser.context.newPage();
    await outlook.setViewportSize({ width: 1440, height: 900 });
    await outlook.goto(`${ORIGIN}/mail/inbox/id/${encodeURIComponent(CONV)}`);
    await expect
      .poll(() => panel().getByText('Ada Lovelace').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => panel().getByText('Not in a sequence').count()).toBe(2);
    // Riley is the rep: never a participant of their own panel.
    expect(await panel().getByText(REP).count()).toBe(0);
    await outlook.screenshot({ path: `${SHOTS}/outlook-1-thread-not-enrolled.png` });
    expect(await seriousViolationsIn(outlook, 'threadline-panel')).toEqual([]);
  });

  it('enrolls Ada with an edited first email, which leaves the rep’s mailbox as a reply in the open conversation', async () => {
    await panel().getByRole('button', { name: 'Enroll: Ada Lovelace' }).click();
    expect(await panel().getByRole('checkbox', { name: 'Reply in this thread' }).isChecked()).toBe(true);
    await panel().getByRole('button', { name: 'Edit for this enrollment: step 1' }).click();
    await panel().getByLabel('Body').fill('<p>Hi Ada, congratulations on the growth at Acme.</p>');
    await outlook.screenshot({ path: `${SHOTS}/outlook-2-enroll-edited.png` });
    expect(await seriousViolationsIn(outlook, 'threadline-panel')).toEqual([]);
    await panel()
      .getByRole('button', { name: /^Enroll 1 contact in Outlook intro/ })
      .click();
    await expect.poll(() => panel().getByText('Active').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    const sent = sandbox.sent(REP);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      [['ada.lovelace@acme.example'], 'Re: Acme hiring plans'],
    ]);
    // Graph's createReply on Ada's message put it in the conversation the rep had open.
    expect(sent[0]).toMatchObject({ threadId: CONV, inReplyTo: ADA_MESSAGE_ID });
    await outlook.screenshot({ path: `${SHOTS}/outlook-3-enrolled.png` });
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
    await outlook.screenshot({ path: `${SHOTS}/outlook-4-unenrolled-replied.png` });
  });

  it('starts Ben at the call step; the call is completed from the side-panel queue and the sequence goes on', async () => {
    await panel().getByRole('button', { name: 'Enroll: Ben Okafor' }).click();
    await panel().getByLabel('Start at step').selectOption({ index: 1 });
    await panel()
      .getByRole('button', { name: /^Enroll 1 contact in Outlook intro/ })
      .click();
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);

    const side = await browser.context.newPage();
    await side.setViewportSize({ width: 400, height: 900 });
    await side.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    const complete = side.getByRole('button', { name: 'Complete: Ben Okafor' });
    await expect.poll(() => complete.count(), { timeout: 10_000 }).toBe(1);
    await side.getByLabel('Outcome').selectOption('connected');
    await side.screenshot({ path: `${SHOTS}/outlook-5-side-panel-queue.png` });
    expect(await seriousViolationsIn(side, 'body')).toEqual([]);
    await complete.click();
    await expect.poll(() => complete.count(), { timeout: 10_000 }).toBe(0);
    await side.screenshot({ path: `${SHOTS}/outlook-6-side-panel-done.png` });

    // Completing the call advanced Ben to step 3, an email, which went out.
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    await expect
      .poll(() => sandbox.sent(REP).map((m) => m.to[0]))
      .toEqual(['ada.lovelace@acme.example', 'ben.okafor@acme.example']);
    await refresh();
    await outlook.bringToFront();
    await expect.poll(() => panel().getByText('Finished').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await outlook.screenshot({ path: `${SHOTS}/outlook-7-after-queue.png` });
  });

  it('enrolls a new message’s recipients from the compose toolbar; colleagues are left out', async () => {
    const compose = await browser.context.newPage();
    await compose.setViewportSize({ width: 1440, height: 900 });
    await compose.goto(`${ORIGIN}/mail/compose`);
    const button = compose.getByRole('button', { name: 'Enroll recipients in a sequence' });
    await expect.poll(() => button.count(), { timeout: 10_000 }).toBe(1);
    await button.click();
    const modal = compose.locator(
      '[role="dialog"][aria-label="Enroll recipients in a sequence"] threadline-panel',
    );
    const enroll = modal.getByRole('button', { name: /^Enroll 2 contacts in Outlook intro/ });
    await expect.poll(() => enroll.count(), { timeout: 10_000 }).toBe(1);
    // Priya is at the rep's own company: not offered.
    expect(await modal.getByText('Priya Shah').count()).toBe(0);
    await compose.screenshot({ path: `${SHOTS}/outlook-8-compose-enroll.png` });
    expect(await seriousViolationsIn(compose, '[role="dialog"] threadline-panel')).toEqual([]);
    const before = sandbox.sent(REP).length;
    await enroll.click();
    await expect
      .poll(() => modal.getByRole('status').textContent(), { timeout: 10_000 })
      .toBe('2 contacts enrolled.');
    await browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    // Both go out in the same tick, in either order.
    await expect
      .poll(() =>
        sandbox
          .sent(REP)
          .slice(before)
          .map((m) => [m.to[0], m.subject])
          .sort(),
      )
      .toEqual([
        ['ada.lovelace@acme.example', 'Hello Ada'],
        ['ben.okafor@acme.example', 'Hello Ben'],
      ]);
    await modal.getByRole('button', { name: 'Close' }).click();
    expect(await compose.locator('[role="dialog"]').count()).toBe(0);
    await compose.close();
  });

  it('works the same on outlook.cloud.microsoft, where business mailboxes moved', async () => {
    const cloud = await browser.context.newPage();
    await cloud.setViewportSize({ width: 1440, height: 900 });
    await cloud.goto(`${CLOUD}/mail/inbox/id/${encodeURIComponent(CLOUD_CONV)}`);
    const cloudPanel = cloud.locator('threadline-panel');
    await expect
      .poll(() => cloudPanel.getByText('Ada Lovelace').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => cloudPanel.getByText('Ben Okafor').count()).toBeGreaterThan(0);
    // Morgan, the rep there, is shown by name alone and recognised from the mailbox root.
    expect(await cloudPanel.getByText('Morgan Diaz').count()).toBe(0);
    expect(await seriousViolationsIn(cloud, 'threadline-panel')).toEqual([]);
    await cloud.close();
  });

  it('tells the rep when Outlook’s page changed, hands the thread to the side panel, and lists the miss in Diagnostics', async () => {
    const changed = await browser.context.newPage();
    await changed.setViewportSize({ width: 1440, height: 900 });
    await changed.goto(`${ORIGIN}/mail/changed/id/${encodeURIComponent(CONV)}`);
    const note = changed
      .locator('[data-threadline-note] threadline-panel')
      .getByRole('status', { name: 'Threadline could not find its place on this page.' });
    await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(1);
    expect(await note.textContent()).toContain('side panel');
    await changed.screenshot({ path: `${SHOTS}/outlook-9-anchor-missing-note.png` });
    expect(await seriousViolationsIn(changed, '[data-threadline-note] threadline-panel')).toEqual([]);

    // The side panel offers the same actions for the thread.
    const side = await browser.context.newPage();
    await side.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await expect.poll(() => side.getByText('Ada Lovelace').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await side.close();

    await changed
      .locator('[data-threadline-note] threadline-panel')
      .getByRole('button', { name: 'Dismiss' })
      .click();
    await expect.poll(() => note.count()).toBe(0);
    await changed.close();

    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html#/settings/diagnostics`);
    const row = options.getByRole('row').filter({ hasText: 'readingPane' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.textContent()).toContain('outlook.office.com');
    expect(await row.textContent()).toContain('conversation');
    await options.locator('#settings-diagnostics').screenshot({ path: `${SHOTS}/options-diagnostics.png` });
    expect(await seriousViolationsIn(options, '#settings-diagnostics')).toEqual([]);
    await options.close();
  });

  it('let nothing reach a host outside the test', () => {
    expect(blocked).toEqual([]);
  });
});

const SEQUENCE = {
  id: 'seq-outlook',
  name: 'Outlook intro',
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
