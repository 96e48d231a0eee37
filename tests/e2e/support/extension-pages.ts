import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser';

/** The extension's options page at `hash` ("/deals", "/settings/backend"). */
export const optionsUrl = (browser: ExtensionBrowser, hash: string): string =>
  `chrome-extension://${browser.extensionId}/options.html#${hash}`;

/** The extension's side panel page (the queue, opened as a tab). */
export const sidePanelUrl = (browser: ExtensionBrowser): string =>
  `chrome-extension://${browser.extensionId}/sidepanel.html`;

/** The options page's header sticks to the top and would cover part of a screenshot: not for the shot. */
export const unstickHeader = (page: Page) =>
  page.addStyleTag({ content: '.tl-options-header { position: static }' });

/** Deals as the worker's database holds them (tests/e2e seeds them straight into it). */
export function dealRow({
  id,
  name,
  ownerId,
  stageId,
  ageDays,
  now,
  amount,
}: {
  id: string;
  name: string;
  ownerId: string;
  stageId: string;
  /** Created and in its stage since this many days before `now`. */
  ageDays: number;
  now: number;
  amount?: number;
}) {
  const since = now - ageDays * 86_400_000;
  return {
    id,
    name,
    companyDomain: `${id}.example`,
    ownerId,
    pipelineId: 'b2b',
    stageId,
    stageEnteredAt: since,
    contacts: [],
    facts: {},
    threadIds: [],
    status: 'open',
    ...(amount !== undefined && { amount: { value: amount, currency: 'EUR' } }),
    createdAt: since,
    updatedAt: since,
  };
}

declare const __threadline: { db: { deals: { bulkPut(x: unknown[]): Promise<unknown> } } };

export async function seedDeals(browser: ExtensionBrowser, deals: ReturnType<typeof dealRow>[]) {
  await browser.worker.evaluate((rows) => __threadline.db.deals.bulkPut(rows), deals);
}
