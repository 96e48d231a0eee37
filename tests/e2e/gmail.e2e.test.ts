import fs from 'node:fs';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../tools/sandbox/server';
import { launchWithExtension } from './support/browser';
import {
  ADA_OPENS,
  inboxScenario,
  REP,
  SHOTS,
  type InboxHost,
  type InboxWorld,
} from './support/inbox-scenario';
import { gmailFixtureHtml } from './support/inboxsdk-double';

/**
 * Gmail as far as we can go without Gmail: the built test extension in Chromium, the real Gmail driver on the
 * InboxSDK double (tests/e2e/support/inboxsdk-double.ts, swapped in by `wxt build --mode test`) over a
 * Gmail-like page served under mail.google.com, a mailbox of the mail sandbox connected through the options
 * page (Gmail API). The inbox scenario both hosts run (support/inbox-scenario.ts), then what only Gmail has:
 * InboxSDK's options, the sidebar and full-page task queue, enrolling from the compose toolbar in a modal.
 */
type Handle = { host: { tick(): Promise<unknown> } };
declare const __threadline: Handle;

const riley = { name: 'Riley Chen', emailAddress: REP };
const ada = { name: 'Ada Lovelace', emailAddress: 'ada.lovelace@acme.example' };
const ben = { name: 'Ben Okafor', emailAddress: 'ben.okafor@acme.example' };
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

const world = {} as InboxWorld;
const blocked: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  world.sandbox = await startSandbox({ port: 0 });
  world.sandbox.addMailbox(REP, 'gmail');
  // The conversation the rep opens exists in their mailbox too: Ada's message, in its Gmail thread.
  const opened = await world.sandbox.inject(REP, ADA_OPENS);
  world.thread = opened.threadId;
  world.adaMessageId = world.sandbox
    .inbox(REP)
    .find((m) => m.providerMessageId === opened.providerMessageId)!.messageId;
  FIXTURE = fixtureFor(world.thread);
  world.browser = await launchWithExtension();
  // Gmail is the fixture; the sandbox is the only other host anything may reach.
  await world.browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'mail.google.com') return route.fulfill({ contentType: 'text/html', body: FIXTURE });
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
});
afterAll(async () => {
  await world.browser?.close();
  await world.sandbox?.stop();
});

const GMAIL: InboxHost = {
  name: 'gmail',
  title: 'Gmail',
  provider: 'gmail',
  panelPlace: 'in Gmail’s sidebar',
  threadWord: 'thread',
  async openThread({ browser, thread }) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${thread}`);
    return page;
  },
  panel: (page) => page.locator('[aria-label="Threadline"] threadline-panel'),
  check: {
    async firstSent(raw) {
      expect((await PostalMime.parse(raw)).html).toContain('congratulations on the growth at Acme');
    },
  },
};

describe('Threadline inside Gmail', () => {
  inboxScenario(GMAIL, world);

  it('loaded InboxSDK with its error logging and event tracking off', async () => {
    const opts = await world.page.evaluate(() => document.documentElement.dataset.inboxsdkDouble);
    expect(JSON.parse(opts!)).toMatchObject({ globalErrorLogging: false, eventTracking: false });
  });

  it('offers the task queue in Gmail’s own sidebar too', async () => {
    await world.page.getByRole('button', { name: 'Threadline tasks' }).click();
    await expect
      .poll(() =>
        world.page.locator('[aria-label="Threadline tasks"] threadline-panel').getByText('Tasks').count(),
      )
      .toBeGreaterThan(0);
    await world.page.screenshot({ path: `${SHOTS}/gmail-8-queue-in-sidebar.png` });
  });

  it('enrolls a new message’s recipients from the compose toolbar, in a Gmail modal', async () => {
    await world.page.getByRole('button', { name: 'Compose' }).click();
    const compose = world.page.locator('[role="dialog"][aria-label="New Message"]');
    await compose
      .getByLabel('To')
      .fill('Grace Hopper <grace.hopper@contoso.example>, riley.chen@northwind.example');
    await compose.getByLabel('Subject').fill('Pilot timeline');
    await compose.getByRole('button', { name: 'Enroll recipients in a sequence' }).click();
    const modal = world.page.locator(
      '[role="dialog"][aria-label="Enroll recipients in a sequence"] threadline-panel',
    );
    const enroll = modal.getByRole('button', { name: /^Enroll 1 contact in Gmail intro/ });
    await expect.poll(() => enroll.count(), { timeout: 10_000 }).toBe(1);
    await world.page.screenshot({ path: `${SHOTS}/gmail-9-compose-enroll.png` });
    const before = world.sandbox.sent(REP).length;
    await enroll.click();
    await expect.poll(() => modal.getByRole('status').textContent(), { timeout: 10_000 }).toBe('Enrolled.');
    await world.browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    await expect
      .poll(() =>
        world.sandbox
          .sent(REP)
          .slice(before)
          .map((m) => [m.to, m.subject]),
      )
      .toEqual([[['grace.hopper@contoso.example'], 'Hello Grace']]);
    await modal.getByRole('button', { name: 'Close' }).click();
    expect(
      await world.page.locator('[role="dialog"][aria-label="Enroll recipients in a sequence"]').count(),
    ).toBe(0);
    await compose.getByRole('button', { name: 'Discard draft' }).click();
  });

  it('opens the task queue as a full page from Gmail’s navigation, with Grace’s call due', async () => {
    // Grace's first email went out; her sequence's call step is now a task.
    await world.browser.worker.evaluate(() => __threadline.host.tick(), undefined);
    await world.page.getByRole('button', { name: 'Threadline tasks' }).click(); // the sidebar queue closes
    await world.page.getByRole('link', { name: 'Threadline tasks' }).click();
    const page = world.page.locator('[role="main"] threadline-panel');
    await expect
      .poll(() => page.getByRole('button', { name: 'Complete: Grace Hopper' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(world.page.url()).toMatch(/#threadline-tasks$/);
    await world.page.screenshot({ path: `${SHOTS}/gmail-10-queue-page.png` });
    await world.page.goBack();
    await expect.poll(() => page.count()).toBe(0);
  });

  it('let nothing reach a host outside the test', () => {
    expect(blocked).toEqual([]);
  });
});
