import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { analyticsCsv } from '../../lib/analytics/csv';
import { computeAnalytics } from '../../lib/analytics/funnel';
import { DEFAULT_ROUTE, filterOf } from '../../components/options/analytics/route';
import { SAMPLE_REPS, SAMPLE_SEQUENCES, sampleEvents } from '../../components/options/analytics/sample-data';
import { sequenceRow } from '../../lib/options-ports/analytics-test-rows.test-helper';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

/**
 * The Analytics tab of the built options page in Chromium, over a realistic history seeded into the extension's
 * own IndexedDB through the service worker: three sequences, three mailboxes, a few thousand events over 30 days.
 */
type Handle = {
  db: {
    sequences: { bulkPut(x: unknown[]): Promise<unknown> };
    enrollments: { bulkPut(x: unknown[]): Promise<unknown> };
    events: { bulkPut(x: unknown[]): Promise<unknown> };
  };
  saveRep(db: unknown, rep: unknown): Promise<void>;
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';
const ZONE = 'Europe/Paris';
const now = Date.now();
const events = sampleEvents({ end: now, days: 30, contacts: 900, seed: 11 });
const names = new Map(SAMPLE_SEQUENCES.map((s) => [s.id, s.name]));
const filter = filterOf(DEFAULT_ROUTE, now, ZONE);
const expected = computeAnalytics(events, filter, { timeZone: ZONE });
const fmt = (n: number) => n.toLocaleString('en');

let browser: ExtensionBrowser;
let page: Page;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchWithExtension();
  const enrollments = [...new Map(events.map((e) => [e.enrollmentId!, e])).values()].map((e) => ({
    id: e.enrollmentId,
    sequenceId: e.sequenceId,
    contactId: e.contactId,
    mailbox: e.mailbox,
    status: 'finished',
    enrolledAt: e.at,
    stepIndex: 0,
    edits: {},
    version: 0,
  }));
  await browser.worker.evaluate(
    async ({ rep, sequences, enrollments, events }) => {
      const t = __threadline;
      await t.saveRep(t.db, rep);
      await t.db.sequences.bulkPut(sequences);
      await t.db.enrollments.bulkPut(enrollments);
      await t.db.events.bulkPut(events);
    },
    {
      rep: { email: SAMPLE_REPS[0]!.mailbox, name: SAMPLE_REPS[0]!.name, timeZone: ZONE },
      sequences: SAMPLE_SEQUENCES.map(sequenceRow),
      enrollments,
      events,
    },
  );
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => {
  await browser?.close();
});

describe('the Analytics tab in Chromium', () => {
  it('shows the funnel numbers lib/analytics computes from the seeded history', async () => {
    expect(events.length).toBeGreaterThan(2000);
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/analytics`);
    await expect
      .poll(() => page.getByTestId('kpi-enrolled').textContent(), { timeout: 20_000 })
      .toContain(fmt(expected.totals.counts.enrolled));
    expect(await page.getByTestId('kpi-sent').textContent()).toContain(fmt(expected.totals.counts.sent));
    expect(await page.getByTestId('kpi-meetings').textContent()).toContain(
      fmt(expected.totals.counts.meetings),
    );
    expect(await page.getByRole('link', { name: 'Analytics' }).getAttribute('aria-current')).toBe('page');
    // Every chart is drawn (a canvas with pixels), not just laid out.
    await expect.poll(() => page.locator('.tla-chart canvas').count()).toBe(4);
    const drawn = await page
      .locator('.tla-chart canvas')
      .evaluateAll((canvases) =>
        canvases.map((c) => (c as HTMLCanvasElement).toDataURL().length > 5000 && c.clientHeight > 100),
      );
    expect(drawn).toEqual([true, true, true, true]);
    await page.screenshot({ path: `${SCREENSHOTS}/options-analytics-light.png`, fullPage: true });
  });

  it('switches the funnel to its table, one row per sequence with the totals below', async () => {
    const funnel = page.getByTestId('view-funnel');
    await funnel.getByRole('button', { name: 'Table' }).click();
    const totals = funnel.locator('tfoot tr');
    const cells = await totals.locator('td').allTextContents();
    const c = expected.totals.counts;
    expect(cells.slice(0, 7)).toEqual(
      [c.enrolled, c.contacted, c.sent, c.openedHuman, c.clicked, c.replied, c.meetings].map(fmt),
    );
    for (const s of expected.bySequence) {
      const row = funnel.locator('tbody tr', { hasText: names.get(s.sequenceId)! });
      expect(await row.locator('td').first().textContent()).toBe(fmt(s.counts.enrolled));
    }
    await page.getByTestId('view-daily').getByRole('button', { name: 'Table' }).click();
    expect(await page.getByTestId('view-daily').locator('tbody tr').count()).toBe(30);
  });

  it('exports the funnel as the CSV lib/analytics writes', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV (Funnel)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^threadline-funnel-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const text = fs.readFileSync(await download.path(), 'utf8');
    expect(text).toBe(
      `\ufeff${analyticsCsv(expected, 'funnel', { sequenceName: (id) => names.get(id) ?? id })}`,
    );
  });

  it('narrows to one sequence from the filter bar, and keeps it in the address', async () => {
    await page.getByLabel('Sequence', { exact: true }).selectOption({ label: 'Inbound demo requests' });
    await expect.poll(() => page.url()).toMatch(/#\/analytics\/sequence\/seq-inbound$/);
    const one = computeAnalytics(events, { ...filter, sequenceIds: ['seq-inbound'] }, { timeZone: ZONE });
    await expect
      .poll(() => page.getByTestId('kpi-enrolled').textContent())
      .toContain(fmt(one.totals.counts.enrolled));
    await page.screenshot({
      path: `${SCREENSHOTS}/options-analytics-one-sequence-tables.png`,
      fullPage: true,
    });
  });

  it('reads well in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/analytics/days/90`);
    await page.reload(); // a new hash alone keeps the page, and its sections in table view
    await expect.poll(() => page.locator('.tla-chart canvas').count(), { timeout: 20_000 }).toBe(4);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(32, 33, 36)');
    await page.screenshot({ path: `${SCREENSHOTS}/options-analytics-dark.png`, fullPage: true });
  });
});
