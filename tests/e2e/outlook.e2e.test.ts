import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_HOSTS, mailHostOf } from '../../lib/hosts/mail-hosts';
import { startSandbox } from '../../tools/sandbox/server';
import { seriousViolationsIn } from './support/axe';
import { launchWithExtension } from './support/browser';
import {
  ADA_OPENS,
  inboxScenario,
  REP,
  SHOTS,
  type InboxHost,
  type InboxWorld,
} from './support/inbox-scenario';

/**
 * Outlook on the web, for real as far as we can go without Outlook: the built extension in Chromium, the
 * Outlook driver on a dated fixture served under outlook.office.com, a mailbox of the mail sandbox connected
 * through the options page (Microsoft Graph). The inbox scenario both hosts run (support/inbox-scenario.ts),
 * with accessibility checked at each view, then what only Outlook has: the compose page, outlook.cloud.microsoft,
 * and a page Microsoft changed.
 */
type Handle = { host: { tick(): Promise<unknown> } };
declare const __threadline: Handle;

/** The conversation id the dated fixture carries in `data-convid`. */
const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
let FIXTURE: string;
const COMPOSE_FIXTURE = fs.readFileSync('tests/fixtures/outlook/compose-2026-12-07.html', 'utf8');
/** The cloud.microsoft fixture's data-convid (EWS form, with + and /). */
const CLOUD_CONV = 'AAQkAGZhYnJpa2FtLTQ1/ZC00Njc4LWI+OTAzLWZhYnJpa2Ft/AAQ+yz=';
const CLOUD_FIXTURE = fs.readFileSync('tests/fixtures/outlook/cloud-microsoft-2026-12-07.html', 'utf8');
/** Outlook's origins, from the one list of mail hosts. */
const ORIGIN = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;
const CLOUD = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.cloud.microsoft')!.origin;

const world = {} as InboxWorld;
const blocked: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  world.sandbox = await startSandbox({ port: 0 });
  world.sandbox.addMailbox(REP, 'graph');
  // The conversation the rep opens exists in their mailbox too: Ada's message, in its Graph conversation.
  const opened = await world.sandbox.inject(REP, ADA_OPENS);
  // The open conversation's id: the sandbox mailbox's own Graph conversationId, put in the fixture's place.
  world.thread = opened.threadId;
  world.adaMessageId = world.sandbox
    .inbox(REP)
    .find((m) => m.providerMessageId === opened.providerMessageId)!.messageId;
  FIXTURE = fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, world.thread);
  world.browser = await launchWithExtension();
  // Outlook is the fixture; the sandbox is the only other host anything may reach.
  await world.browser.context.route(/^https?:\/\//, (route) => {
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
  await world.browser?.close();
  await world.sandbox?.stop();
});

const OUTLOOK: InboxHost = {
  name: 'outlook',
  title: 'Outlook',
  provider: 'graph',
  panelPlace: 'next to the reading pane',
  threadWord: 'conversation',
  async openThread({ browser, thread }) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${ORIGIN}/mail/inbox/id/${encodeURIComponent(thread)}`);
    return page;
  },
  panel: (page) => page.locator('threadline-panel'),
  check: {
    threadShown: async (page) => expect(await seriousViolationsIn(page, 'threadline-panel')).toEqual([]),
    enrollEdited: async (page) => expect(await seriousViolationsIn(page, 'threadline-panel')).toEqual([]),
    sidePanel: async (side) => expect(await seriousViolationsIn(side, 'body')).toEqual([]),
  },
};

describe('Threadline inside Outlook on the web', () => {
  inboxScenario(OUTLOOK, world);

  it('enrolls a new message’s recipients from the compose toolbar; colleagues are left out', async () => {
    const compose = await world.browser.context.newPage();
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
    const before = world.sandbox.sent(REP).length;
    await enroll.click();
    await expect
      .poll(() => modal.getByRole('status').textContent(), { timeout: 10_000 })
      .toBe('2 contacts enrolled.');
    await world.browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    // Both go out in the same tick, in either order.
    await expect
      .poll(() =>
        world.sandbox
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
    const cloud = await world.browser.context.newPage();
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
    const changed = await world.browser.context.newPage();
    await changed.setViewportSize({ width: 1440, height: 900 });
    await changed.goto(`${ORIGIN}/mail/changed/id/${encodeURIComponent(world.thread)}`);
    const note = changed
      .locator('[data-threadline-note] threadline-panel')
      .getByRole('status', { name: 'Threadline could not find its place on this page.' });
    await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(1);
    expect(await note.textContent()).toContain('side panel');
    await changed.screenshot({ path: `${SHOTS}/outlook-9-anchor-missing-note.png` });
    expect(await seriousViolationsIn(changed, '[data-threadline-note] threadline-panel')).toEqual([]);

    // The side panel offers the same actions for the thread.
    const side = await world.browser.context.newPage();
    await side.goto(`chrome-extension://${world.browser.extensionId}/sidepanel.html`);
    await expect.poll(() => side.getByText('Ada Lovelace').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await side.close();

    await changed
      .locator('[data-threadline-note] threadline-panel')
      .getByRole('button', { name: 'Dismiss' })
      .click();
    await expect.poll(() => note.count()).toBe(0);
    await changed.close();

    const options = await world.browser.context.newPage();
    await options.goto(`chrome-extension://${world.browser.extensionId}/options.html#/settings/diagnostics`);
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
