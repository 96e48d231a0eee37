import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { MAIL_HOSTS, mailHostOf } from '../../lib/hosts/mail-hosts';
import { startSandbox } from '../../tools/sandbox/server';
import { launchWithExtension } from './support/browser';
import { dealsScenario, MEETING_TEXT, type DealsHost } from './support/deals-scenario';
import { ADA, ADA_OPENS, REP, SHOTS, type InboxWorld } from './support/inbox-scenario';

/**
 * The behavior layer in Outlook's thread panel (the scenario both hosts run: support/deals-scenario.ts), on
 * the Outlook fixture with the built extension. Outlook's reply is its compose deeplink, opened in a new tab
 * on the origin the rep is on (lib/hosts/outlook/driver.ts).
 */
const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
const ORIGIN = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;
const world = {} as InboxWorld;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  world.sandbox = await startSandbox({ port: 0 });
  world.sandbox.addMailbox(REP, 'graph');
  const opened = await world.sandbox.inject(REP, ADA_OPENS);
  world.thread = opened.threadId;
  const fixture = fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, world.thread);
  world.browser = await launchWithExtension();
  await world.browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (mailHostOf(url.href, MAIL_HOSTS)?.kind === 'outlook')
      return route.fulfill({ contentType: 'text/html', body: fixture });
    if (url.hostname === '127.0.0.1') return route.continue();
    return route.abort();
  });
});
afterAll(async () => {
  await world.browser?.close();
  await world.sandbox?.stop();
});

const OUTLOOK: DealsHost = {
  name: 'outlook',
  title: 'Outlook',
  provider: 'graph',
  async openThread({ browser, thread }) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${ORIGIN}/mail/inbox/id/${encodeURIComponent(thread)}`);
    return page;
  },
  panel: (page) => page.locator('threadline-panel'),
  async replyOpened({ browser }, open) {
    // The background opens the deeplink in a tab: the page exists before it has navigated there.
    const [compose] = await Promise.all([browser.context.waitForEvent('page'), open()]);
    await expect.poll(() => compose.url(), { timeout: 10_000 }).toContain('/mail/deeplink/compose');
    const url = new URL(compose.url());
    expect(url.origin + url.pathname).toBe(`${ORIGIN}/mail/deeplink/compose`);
    expect(url.searchParams.get('to')).toBe(ADA);
    expect(url.searchParams.get('subject')).toBe('Re: Acme hiring plans');
    expect(url.searchParams.get('body')).toContain(`Hi Ada,`);
    expect(url.searchParams.get('body')).toContain(MEETING_TEXT);
    await compose.close();
  },
};

describe('deals in the Outlook thread panel', () => {
  dealsScenario(OUTLOOK, world);
});
