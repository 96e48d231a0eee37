import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpDemo, DEMO_SEQUENCE } from '../../scripts/demo-setup';
import { startDemoSandbox, type DemoSandbox } from '../../tools/sandbox/demo/demo-sandbox';
import { DEMO_MAILBOX, PEOPLE } from '../../tools/sandbox/demo/people';
import { seriousViolationsIn } from './support/axe';
import { closedShadow, type ClosedShadow } from './support/closed-shadow';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

/**
 * The first tour, as a new user takes it after `npm start`: the demo build of the extension (`wxt build --mode
 * demo`, its own folder), no test hooks, the mail sandbox seeded as `npm start` seeds it, the setup `npm start`
 * does in the options page. Then, by hand: open a thread in the demo inbox, enroll Ada with an edited first
 * email, see it arrive in the thread, make Ada reply with the demo page's own control, and see her sequence stop
 * in the panel once the extension's reply watcher (its real once-a-minute alarm) has looked.
 */
const DEMO_BUILD = path.resolve('.output/chrome-mv3-demo');
/** Where the demo build expects the demo inbox (lib/hosts/mail-hosts.ts). */
const DEMO_ORIGIN = 'http://127.0.0.1:8025';
const SHOTS = 'tests/e2e/screenshots';
const EDITED =
  'Hi Ada, congratulations on the six new analysts. Shall we start the pilot with Ben’s team next week?';

let demo: DemoSandbox;
let browser: ExtensionBrowser;
let inbox: Page;
const blocked: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // A free port, so a running `npm start` is left alone; the page's requests to 8025 are passed to it below.
  demo = await startDemoSandbox({ port: 0 });
  browser = await launchWithExtension(DEMO_BUILD);
  await browser.context.route(/^https?:\/\//, async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === DEMO_ORIGIN) {
      // A poll still in flight when the test closes the page has nobody left to answer.
      const response = await route
        .fetch({ url: `${demo.sandbox.url}${url.pathname}${url.search}` })
        .catch(() => null);
      return response
        ? route.fulfill({ response }).catch(() => undefined)
        : route.abort().catch(() => undefined);
    }
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
});
afterAll(async () => {
  await browser?.close();
  await demo?.sandbox.stop();
});

/** The Threadline panel, in its closed shadow root as in every build a rep runs. */
let panel: ClosedShadow;
const occurrences = async (text: string) => (await panel.text()).split(text).length - 1;
const bodies = () => inbox.locator('[data-app-section="MailReadCompose"] [id^="UniqueMessageBody_"]');
const acme = () => demo.sandbox.inbox(DEMO_MAILBOX).find((m) => m.subject.includes('Analytics pilot'))!;

describe('the first tour, in the demo inbox', () => {
  it('is set up as npm start sets it up: the demo mailbox connected, a sequence ready', async () => {
    const done = await setUpDemo({
      context: browser.context,
      extensionId: browser.extensionId,
      sandboxUrl: demo.sandbox.url,
      mailbox: DEMO_MAILBOX,
    });
    expect(done).toEqual([
      `Connected the demo mailbox ${DEMO_MAILBOX} (Settings → Mailboxes).`,
      `Created the sequence “${DEMO_SEQUENCE}” (Sequences), open at any hour.`,
    ]);
  });

  it('shows the sandbox mailbox’s threads; opening one puts the Threadline panel beside it', async () => {
    inbox = await browser.context.newPage();
    await inbox.setViewportSize({ width: 1440, height: 900 });
    await inbox.goto(`${DEMO_ORIGIN}/demo/`);
    await expect.poll(() => inbox.getByRole('option').count(), { timeout: 10_000 }).toBe(4);
    await inbox.getByRole('option', { name: /Analytics pilot for Acme/ }).click();
    expect(inbox.url()).toContain('/demo/mail/inbox/id/');
    panel = await closedShadow(inbox, 'threadline-panel');
    await expect.poll(() => occurrences('Ada Lovelace'), { timeout: 15_000 }).toBeGreaterThan(0);
    // Ada and Ben are outside people; Sam (the rep) is not a participant of their own panel.
    await expect.poll(() => occurrences('Not in a sequence')).toBe(2);
    expect(await occurrences('Sam Rivera')).toBe(0);
    // Sam is shown by name alone, as Outlook shows the organisation's people: the driver knows him as the rep.
    expect(await occurrences('address unknown')).toBe(0);
    expect(await seriousViolationsIn(inbox, 'body')).toEqual([]);
  });

  it('enrolls Ada with an edited first email, which arrives in the open thread', async () => {
    await panel.clickButton('Enroll: Ada Lovelace');
    expect(await panel.isChecked('Reply in this thread')).toBe(true);
    await panel.clickButton('Edit for this enrollment: step 1');
    await panel.type('Body', `<p>${EDITED}</p>`);
    await panel.clickButton(new RegExp(`^Enroll 1 contact in ${DEMO_SEQUENCE}`));
    await expect.poll(() => occurrences('Active'), { timeout: 15_000 }).toBeGreaterThan(0);
    // The demo page shows the sandbox's mail live: the email, sent by the extension, is now in the thread.
    await expect.poll(() => bodies().first().textContent(), { timeout: 20_000 }).toContain(EDITED);
    const sent = demo.sandbox.sent(DEMO_MAILBOX).at(-1)!;
    expect(sent).toMatchObject({ to: [PEOPLE.ada.address], threadId: acme().threadId });
    await inbox.screenshot({ path: `${SHOTS}/demo-inbox-enrolled.png` });
  });

  it('simulates Ada’s reply from the demo page; the panel shows her sequence stopped', async () => {
    await inbox.getByLabel('Answer from').selectOption(PEOPLE.ada.address);
    await inbox.getByRole('button', { name: 'Simulate a reply' }).click();
    await expect
      .poll(() => inbox.locator('.tl-sim-status').textContent(), { timeout: 10_000 })
      .toContain('Ada Lovelace: a reply arrived in the mailbox');
    await expect
      .poll(() => bodies().first().textContent(), { timeout: 10_000 })
      .toContain('Thursday afternoon');
    // The extension's reply watcher runs on its own alarm, once a minute: nothing here pokes it.
    await expect
      .poll(async () => /replied/i.test(await panel.text()), { timeout: 100_000, interval: 1000 })
      .toBe(true);
    await inbox.screenshot({ path: `${SHOTS}/demo-inbox.png` });
    expect(blocked).toEqual([]);
  }, 150_000);
});
