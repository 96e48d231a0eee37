import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealsScenario, MEETING_TEXT, type DealsHost } from './support/deals-scenario';
import { ADA, SHOTS, type InboxWorld } from './support/inbox-scenario';
import { startConversation, stopConversation, openThreadPage } from './support/mail-pages';

/**
 * The behavior layer in Gmail's thread sidebar (the scenario both hosts run: support/deals-scenario.ts): the
 * built test extension, the real Gmail driver on the InboxSDK double over a Gmail-like page. Gmail's reply is
 * InboxSDK's compose (its public API opens new compose views only), addressed and filled in.
 */
const world = {} as InboxWorld;
const blocked: string[] = [];

beforeAll(() => startConversation(world, 'gmail', blocked));
afterAll(() => stopConversation(world));

const GMAIL: DealsHost = {
  name: 'gmail',
  title: 'Gmail',
  provider: 'gmail',
  openThread: ({ browser, thread }) => openThreadPage(browser, 'gmail', thread),
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
