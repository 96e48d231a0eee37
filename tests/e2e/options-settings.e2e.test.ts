import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

/**
 * The Settings page of the built extension in Chromium: defaults, a holiday, a contacts CSV with a broken
 * row, a do-not-contact address and the data export, all against the extension's own IndexedDB.
 */
const SCREENSHOTS = 'tests/e2e/screenshots';
let browser: ExtensionBrowser;
let page: Page;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings`);
  await page.getByTestId('no-accounts').waitFor();
});
afterAll(async () => {
  await browser?.close();
});

const region = (name: string) => page.getByRole('region', { name });

describe('the Settings page in Chromium', () => {
  it('saves the rep’s defaults', async () => {
    const s = region('Your defaults');
    await s.getByLabel('Your name').fill('Sam Rep');
    await s.getByLabel('Your email').fill('sam@seller.example');
    await s.getByLabel('Your time zone').fill('America/Chicago');
    await s.getByLabel('Signature').fill('Sam Rep\nAccount Executive, Acme');
    await s.getByLabel('Send from').fill('09:00');
    await s.getByLabel('Emails a day, at most').fill('200');
    await s.getByRole('button', { name: 'Save defaults' }).click();
    await expect.poll(() => s.getByRole('status').textContent()).toBe('Saved');
    await page.screenshot({ path: `${SCREENSHOTS}/options-settings-1-defaults.png`, fullPage: false });
    await page.reload();
    await expect.poll(() => region('Your defaults').getByLabel('Your name').inputValue()).toBe('Sam Rep');
  });

  it('adds a team holiday and says it falls on a weekday', async () => {
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings/holidays`);
    const s = region('Holiday calendar');
    await s.getByLabel('Date').fill('2026-12-25');
    await s.getByRole('button', { name: 'Add holiday' }).click();
    await expect.poll(() => s.getByTestId('holiday').textContent()).toContain('Fri, 25 Dec 2026weekday');
    await s.screenshot({ path: `${SCREENSHOTS}/options-settings-2-holidays.png` });
  });

  it('imports a contacts CSV and reports the broken row', async () => {
    const s = region('Import contacts');
    await s.getByLabel('CSV file').setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Email,First name,Last name,Company,Title,Industry\n' +
          'ada@acme.example,Ada,Lovelace,Acme,CTO,Robotics\n' +
          'ben@globex.example,Ben,Ng,Globex,VP Sales,Logistics\n' +
          'not-an-address,Cy,Broken,Initech,,\n',
      ),
    });
    await expect.poll(() => s.getByLabel('Imports as: Email').inputValue()).toBe('email');
    await s.screenshot({ path: `${SCREENSHOTS}/options-settings-3-import-mapping.png` });
    await s.getByRole('button', { name: 'Import 3 rows' }).click();
    const report = s.getByTestId('import-report');
    await expect.poll(() => report.textContent()).toContain('2Imported');
    expect(await report.textContent()).toContain('Row 4: email: is not a valid email address');
    await s.screenshot({ path: `${SCREENSHOTS}/options-settings-4-import-report.png` });
  });

  it('puts an address on the do-not-contact list', async () => {
    const s = region('Do-not-contact list');
    await s.getByLabel('Addresses to add').fill('ada@acme.example, acme.example');
    await s.getByRole('button', { name: 'Add to list' }).click();
    await expect.poll(() => s.getByRole('status').textContent()).toBe('Added 1 address.');
    expect(await s.getByRole('group', { name: 'Not added' }).textContent()).toContain('acme.example');
    expect(await s.getByTestId('dnc-entry').textContent()).toContain('ada@acme.example');
    await s.screenshot({ path: `${SCREENSHOTS}/options-settings-5-do-not-contact.png` });
  });

  it('exports all the data as JSON', async () => {
    const s = region('Your data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      s.getByRole('button', { name: 'Export all data (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^threadline-export-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(data.tables.contacts.map((c: { email: string }) => c.email).sort()).toEqual([
      'ada@acme.example',
      'ben@globex.example',
    ]);
    expect(data.tables.suppressions).toHaveLength(1);
    await page.screenshot({ path: `${SCREENSHOTS}/options-settings-6-full.png`, fullPage: true });
  });
});
