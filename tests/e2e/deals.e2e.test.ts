import { afterAll, beforeAll, describe, expect } from 'vitest';
import { dealsScenario, MEETING_TEXT, type DealsHost } from './support/deals-scenario';
import { ADA, type InboxWorld } from './support/inbox-scenario';
import { OUTLOOK_ORIGIN, startConversation, stopConversation, openThreadPage } from './support/mail-pages';

/**
 * The behavior layer in Outlook's thread panel (the scenario both hosts run: support/deals-scenario.ts), on
 * the Outlook fixture with the built extension. Outlook's reply is its compose deeplink, opened in a new tab
 * on the origin the rep is on (lib/hosts/outlook/driver.ts).
 */
const world = {} as InboxWorld;

beforeAll(() => startConversation(world, 'outlook'));
afterAll(() => stopConversation(world));

const OUTLOOK: DealsHost = {
  name: 'outlook',
  title: 'Outlook',
  provider: 'graph',
  openThread: ({ browser, thread }) => openThreadPage(browser, 'outlook', thread),
  panel: (page) => page.locator('threadline-panel'),
  async replyOpened({ browser }, open) {
    // The background opens the deeplink in a tab: the page exists before it has navigated there.
    const [compose] = await Promise.all([browser.context.waitForEvent('page'), open()]);
    await expect.poll(() => compose.url(), { timeout: 10_000 }).toContain('/mail/deeplink/compose');
    const url = new URL(compose.url());
    expect(url.origin + url.pathname).toBe(`${OUTLOOK_ORIGIN}/mail/deeplink/compose`);
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
