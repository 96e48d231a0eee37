import type { Page } from 'playwright-core';
import type { launchWithExtension } from '../../tests/e2e/support/browser';
import { calibInPage, median, round } from './common';

declare const __threadline: {
  db: {
    deals: { bulkPut(x: unknown[]): Promise<unknown> };
    contacts: { bulkPut(x: unknown[]): Promise<unknown> };
  };
};

export const BOARD_DEALS = 2_000;
const STAGES = ['discovery', 'qualified', 'demo', 'proposal', 'negotiation'];
const ROLES = ['champion', 'decision_maker', 'economic_buyer', 'user'];

/**
 * 2,000 open deals of the default B2B pipeline across its open stages, each with two contacts and a few facts,
 * entered their stage between 0 and 60 days ago (so the default rules flag many of them).
 */
export function dealsSeed(now: number) {
  const day = 86_400_000;
  const contacts = Array.from({ length: BOARD_DEALS * 2 }, (_, i) => ({
    id: `bdc${i}`,
    email: `p${i}@deal${i >> 1}.example`,
    domain: `deal${i >> 1}.example`,
    firstName: `First${i}`,
    custom: {},
  }));
  const deals = Array.from({ length: BOARD_DEALS }, (_, i) => ({
    id: `bd${i}`,
    name: `Deal ${i + 1}`,
    companyDomain: `deal${i}.example`,
    ownerId: i % 4 === 0 ? 'rep@seller.example' : `rep${i % 7}@seller.example`,
    pipelineId: 'b2b',
    stageId: STAGES[i % STAGES.length],
    stageEnteredAt: now - (i % 60) * day,
    ...(i % 3 ? { amount: { value: 1000 * (i % 50), currency: 'EUR' } } : {}),
    ...(i % 5 ? { closeDate: new Date(now + (i % 90) * day).toISOString().slice(0, 10) } : {}),
    contacts: [0, 1].map((k) => ({ contactId: `bdc${i * 2 + k}`, role: ROLES[(i + k) % ROLES.length] })),
    facts:
      i % 2
        ? { pain: { type: 'yes_no', value: true }, metrics: { type: 'text', value: '20% less churn' } }
        : {},
    threadIds: [],
    status: 'open',
    createdAt: now - 90 * day,
    updatedAt: now - (i % 60) * day,
  }));
  return { contacts, deals };
}

/** The page's clock in the first animation frame in which `ready` holds (the frame that paints it). */
async function frameWhen(page: Page, ready: () => number | false): Promise<number> {
  const at = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 60_000 });
  return (await at.jsonValue()) as number;
}

type Browser = Awaited<ReturnType<typeof launchWithExtension>>;

/**
 * The production build has no test hook: the deals and their contacts are written straight into its IndexedDB
 * database from one of its own pages (the store layout lib/db/database.ts declares), as the queue bench does.
 */
async function seedProduction(b: Browser, seed: ReturnType<typeof dealsSeed>) {
  const seeder = await b.context.newPage();
  // Opening the side panel makes the background open (and create) its database.
  await seeder.goto(`chrome-extension://${b.extensionId}/sidepanel.html`);
  await seeder.evaluate(async (rows) => {
    for (let i = 0; i < 100 && !(await indexedDB.databases()).some((d) => d.name === 'threadline'); i++)
      await new Promise((r) => setTimeout(r, 100));
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('threadline');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['contacts', 'deals'], 'readwrite');
    for (const c of rows.contacts) tx.objectStore('contacts').put(c);
    for (const d of rows.deals) tx.objectStore('deals').put(d);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, seed);
  await seeder.close();
}

/**
 * deals_board_2000_ms: the options page's Deals board with 2,000 deals (flags evaluated by lib/process on the
 * page), from navigation start to the first animation frame that paints the board (every column's count and
 * its first cards; a column shows 20 cards before "Show more"), median of 5 loads after a first one;
 * calib_ms, the yardstick, measured in the same page. `production`: the build a rep installs (seeded through
 * IndexedDB); otherwise the test build (React's development build, seeded through its test hook).
 */
export async function measureDealsBoard(b: Browser, { production = false } = {}) {
  if (production) await seedProduction(b, dealsSeed(Date.now()));
  else
    await b.worker.evaluate(async (s) => {
      await __threadline.db.contacts.bulkPut(s.contacts);
      await __threadline.db.deals.bulkPut(s.deals);
    }, dealsSeed(Date.now()));
  const page = await b.context.newPage();
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.setViewportSize({ width: 1280, height: 900 });
  const loads: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.goto('about:blank');
    await page.goto(`chrome-extension://${b.extensionId}/options.html#/deals`);
    // Painted: every column says how many deals it holds (2,000 in all) and shows its first cards.
    const ms = await frameWhen(page, () => {
      const columns = [...document.querySelectorAll('[data-stage]')];
      const total = columns.reduce(
        (n, c) => n + Number(/, (\d+) deals/.exec(c.getAttribute('aria-label') ?? '')?.[1] ?? 0),
        0,
      );
      return total === 2000 && !!document.querySelector('[data-deal]') && performance.now();
    });
    if (i > 0) loads.push(ms);
    data.push(await page.evaluate(() => performance.getEntriesByName('tl-deals-data')[0]?.startTime ?? 0));
  }
  const calib = await calibInPage(page);
  await page.close();
  // deals_board_2000_data_ms: from navigation start to the board having its deals and flags (before rendering).
  return {
    deals_board_2000_ms: round(median(loads)),
    deals_board_2000_data_ms: round(median(data.slice(1))),
    calib_ms: round(calib),
  };
}
