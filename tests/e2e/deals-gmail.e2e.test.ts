import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../tools/sandbox/server';
import { launchWithExtension } from './support/browser';
import { dealsScenario, MEETING_TEXT, type DealsHost } from './support/deals-scenario';
import { ADA, ADA_OPENS, BEN, REP, SHOTS, type InboxWorld } from './support/inbox-scenario';
import { gmailFixtureHtml } from './support/inboxsdk-double';

/**
 * The behavior layer in Gmail's thread sidebar (the scenario both hosts run: support/deals-scenario.ts): the
 * built test extension, the real Gmail driver on the InboxSDK double over a Gmail-like page. Gmail's reply is
 * InboxSDK's compose (its public API opens new compose views only), addressed and filled in.
 */
const riley = { name: 'Riley Chen', emailAddress: REP };
const ada = { name: 'Ada Lovelace', emailAddress: ADA };
const ben = { name: 'Ben Okafor', emailAddress: BEN };
const world = {} as InboxWorld;
const blocked: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  world.sandbox = await startSandbox({ port: 0 });
  world.sandbox.addMailbox(REP, 'gmail');
  const opened = await world.sandbox.inject(REP, ADA_OPENS);
  world.thread = opened.threadId;
  const fixture = gmailFixtureHtml({
    user: riley,
    threads: [
      {
        id: world.thread,
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
  world.browser = await launchWithExtension();
  await world.browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'mail.google.com') return route.fulfill({ contentType: 'text/html', body: fixture });
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
});
afterAll(async () => {
  await world.browser?.close();
  await world.sandbox?.stop();
});

const GMAIL: DealsHost = {
  name: 'gmail',
  title: 'Gmail',
  provider: 'gmail',
  async openThread({ browser, thread }) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${thread}`);
    return page;
  },
  panel: (page) => page.locator('[aria-label="Threadline"] threadline-panel'),
  async replyOpened({ page }, open) {
    await open();
    const compose = page.locator('[role="dialog"][aria-label="New Message"]');
    await expect.poll(() => compose.count(), { timeout: 10_000 }).toBe(1);
    expect(await compose.getByLabel('To').inputValue()).toBe(ADA);
    expect(await compose.getByLabel('Subject').inputValue()).toBe('Re: Acme hiring plans');
    const body = await compose.getByRole('textbox', { name: 'Message Body' }).innerText();
    expect(body).toContain('Hi Ada,');
    expect(body).toContain(MEETING_TEXT);
    await page.screenshot({ path: `${SHOTS}/gmail-deals-2a-reply-open.png` });
    await compose.getByRole('button', { name: 'Discard draft' }).click();
  },
};

describe('deals in the Gmail thread sidebar', () => {
  dealsScenario(GMAIL, world);

  it('let nothing reach a host outside the test', () => {
    expect(blocked).toEqual([]);
  });
});
