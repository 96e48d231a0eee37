import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { seriousViolationsIn } from './support/axe';
import { optionsUrl, sidePanelUrl } from './support/extension-pages';

/**
 * Contacts and enrollments in the built extension in Chromium: a rep imports a CSV, finds contacts by filter,
 * enrolls 300 of them after the preflight (one address on the do-not-contact list, five without a value the
 * sequence needs, one fixed inline) and the batch's schedule, sees them in the sequence's Enrollments view,
 * pauses, unenrolls and moves some in bulk, and fixes a missing value that had paused an enrollment.
 */
type Table = {
  put(x: unknown): Promise<unknown>;
  get(k: string): Promise<Record<string, unknown> | undefined>;
  where(i: string): {
    equals(v: string): {
      toArray(): Promise<Record<string, unknown>[]>;
      first(): Promise<Record<string, unknown> | undefined>;
    };
  };
  count(): Promise<number>;
};
type Handle = {
  db: { sequences: Table; enrollments: Table; suppressions: Table; contacts: Table };
  deps: unknown;
  enrollContacts(
    deps: unknown,
    req: unknown,
  ): Promise<{ enrolled: { enrollmentId: string }[]; rejected: unknown[] }>;
  saveRep(db: unknown, rep: unknown): Promise<void>;
  host: { tick(): Promise<unknown> };
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';
const SEQ = 'seq-q1';
let browser: ExtensionBrowser;
let page: Page;
const options = (hash: string) => page.goto(optionsUrl(browser, hash));

function csv(): string {
  const lines = ['Email,First name,Last name,Company,industry'];
  for (let i = 0; i < 305; i++) {
    // Five of the Northwind contacts have no industry, which step 2 of the sequence uses.
    const industry = i % 61 === 7 ? '' : ['Robotics', 'Logistics', 'Retail'][i % 3]!;
    lines.push(`buyer${i}@northwind.example,Buyer${i},Lee,Northwind Traders,${industry}`);
  }
  for (let i = 0; i < 20; i++) lines.push(`ops${i}@contoso.example,Ops${i},Kim,Contoso,Energy`);
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchWithExtension();
  await browser.worker.evaluate(
    async ({ SEQ }) => {
      const t = __threadline;
      await t.saveRep(t.db, { email: 'sam@seller.example', name: 'Sam Rivera', timeZone: 'Europe/London' });
      await t.db.sequences.put({
        id: SEQ,
        name: 'Q1 outbound',
        ownerId: 'sam',
        sharing: 'private',
        archived: false,
        updatedAt: 1,
        settings: {
          sendWindow: { start: '09:00', end: '17:00' },
          timeZoneBasis: 'rep',
          weekdaysOnly: true,
          holidays: [],
          dailySendCap: 100,
          perMinuteCap: 10,
          minSecondsBetweenSends: 60,
          tasksBlock: true,
          unenrollCompanyOnReply: false,
        },
        steps: [
          {
            id: 's1',
            type: 'auto_email',
            delay: { value: 1, unit: 'days' },
            subject: 'Hi {{contact.firstName}}',
            body: '<p>Hello</p>',
            threadWithPrevious: true,
            variants: [],
          },
          {
            id: 's2',
            type: 'auto_email',
            delay: { value: 2, unit: 'days' },
            subject: '',
            body: '<p>How is {{custom.industry}} treating you?</p>',
            threadWithPrevious: true,
            variants: [],
          },
        ],
      });
      await t.db.suppressions.put({ email: 'buyer3@northwind.example', reason: 'manual', at: Date.now() });
    },
    { SEQ },
  );
  page = await browser.context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => {
  await browser?.close();
});

describe('contacts, bulk enrollment and enrollments', () => {
  it('imports a CSV and lists every contact, searchable and filterable', async () => {
    await options('/settings');
    const s = page.getByRole('region', { name: 'Import contacts' });
    await s
      .getByLabel('CSV file')
      .setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
    await s.getByRole('button', { name: 'Import 325 rows' }).click();
    await expect.poll(() => s.getByTestId('import-report').textContent()).toContain('325Imported');

    await options('/contacts');
    const count = page.getByTestId('contacts-count');
    await expect.poll(() => count.textContent()).toBe('325 of 325 contacts');
    await page.getByLabel('Search').fill('buyer12');
    // buyer12 and buyer120 to buyer129: every contact shown has what was typed.
    await expect.poll(() => count.textContent()).toBe('11 of 325 contacts');
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Company or domain').fill('northwind');
    await expect.poll(() => count.textContent()).toBe('305 of 325 contacts');
    await page.getByLabel('Custom field').selectOption('industry');
    await page.getByLabel('industry contains').fill('robot');
    await expect.poll(() => count.textContent()).toBe('101 of 325 contacts');
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-1-list.png` });
    await page.getByLabel('Custom field').selectOption('');
    await expect.poll(() => count.textContent()).toBe('305 of 325 contacts');
    expect(await seriousViolationsIn(page, 'main')).toEqual([]);
  });

  it('enrolls everyone matching after the preflight, with one missing value fixed inline and the batch schedule', async () => {
    await page.getByRole('button', { name: 'Enroll all 305 matching' }).click();
    const bulk = page.getByRole('region', { name: 'Enroll 305 contacts' });
    await bulk.getByLabel('Sequence').selectOption(SEQ);
    await bulk.getByRole('button', { name: 'Check' }).click();
    const preflight = bulk.getByTestId('preflight');
    await expect
      .poll(() => preflight.getByRole('heading').first().textContent())
      .toBe('Preflight: 299 ready, 6 refused');
    const refusals = await preflight.getByTestId('refusal').allTextContents();
    expect(refusals[0]).toContain('buyer3@northwind.example');
    expect(refusals[0]).toContain('do-not-contact');
    expect(refusals.filter((r) => r.includes('Step 2: no value for {{custom.industry}}'))).toHaveLength(5);
    await bulk.getByLabel('custom.industry for buyer7@northwind.example').fill('Shipping');
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-2-preflight.png`, fullPage: true });
    await bulk.getByRole('button', { name: 'Apply fixes and check again' }).click();
    await expect
      .poll(() => preflight.getByRole('heading').first().textContent())
      .toBe('Preflight: 300 ready, 5 refused');
    // 100 a day at most, 09:00 to 17:00 on weekdays: the first emails of 300 spread over at least three days.
    const perDay = bulk.getByTestId('batch-preview').locator('tbody tr td:nth-child(2)');
    await expect.poll(() => perDay.count()).toBeGreaterThanOrEqual(3);
    const counts = (await perDay.allTextContents()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...counts)).toBeLessThanOrEqual(100);
    await bulk.getByTestId('batch-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-3-batch-preview.png` });
    await bulk.getByRole('button', { name: 'Enroll 300' }).click();
    await expect
      .poll(() => bulk.getByTestId('bulk-report').textContent(), { timeout: 20_000 })
      .toContain('Enrolled 300 in Q1 outbound');
    expect(
      await browser.worker.evaluate(
        async () => (await __threadline.db.enrollments.where('sequenceId').equals('seq-q1').toArray()).length,
      ),
    ).toBe(300);
    const fixed = await browser.worker.evaluate(() =>
      __threadline.db.contacts.where('email').equals('buyer7@northwind.example').first(),
    );
    expect(fixed?.custom).toEqual({ industry: 'Shipping' });
  });

  it('shows the 300 in the sequence’s Enrollments view, pauses and unenrolls some in bulk, exports CSV', async () => {
    // The builder of the same sequence first: no serious accessibility problem (its add-step buttons' names
    // used to differ from their visible text).
    await options(`/sequences/${SEQ}`);
    await page.getByRole('link', { name: 'Enrollments' }).waitFor();
    await page.getByLabel('Sequence name').waitFor();
    expect(await seriousViolationsIn(page, 'main')).toEqual([]);
    await page.getByRole('link', { name: 'Enrollments' }).click();
    const count = page.getByTestId('enrollments-count');
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toBe('300 of 300 enrollments');
    const first = page.getByTestId('enrollment-row').first();
    expect(await first.textContent()).toContain('Sends step 1');
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-4-enrollments.png` });
    expect(await seriousViolationsIn(page, 'main')).toEqual([]);

    for (let i = 0; i < 3; i++) await page.getByTestId('enrollment-row').nth(i).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toContain('Paused 3.');
    await page.getByLabel('Status').selectOption('paused');
    await expect.poll(() => count.textContent()).toMatch(/^3 of 300 enrollments/);
    expect(await page.getByTestId('enrollment-row').first().textContent()).toContain('Paused (by the rep)');
    await page.getByLabel('Select every enrollment shown').check();
    await page.getByRole('button', { name: 'Unenroll' }).click();
    await expect
      .poll(() => count.textContent(), { timeout: 30_000 })
      .toMatch(/^0 of 300 enrollments · Unenrolled 3\./);
    await page.getByLabel('Status').selectOption('unenrolled');
    await expect.poll(() => count.textContent()).toMatch(/^3 of 300/);
    expect(await page.getByTestId('enrollment-row').first().textContent()).toContain(
      'Ended: unenrolled by the rep',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-5-bulk-actions.png` });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const text = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(text.split('\r\n')[0]).toContain('name,email,status,step,next');
    expect(text.split('\r\n')).toHaveLength(4);
  });

  it('moves some of them to step 2 in bulk, under the runner’s rules, and refuses the ended ones', async () => {
    const count = page.getByTestId('enrollments-count');
    await page.getByLabel('Status').selectOption('active');
    await expect.poll(() => count.textContent()).toMatch(/^297 of 300 enrollments/);
    for (let i = 0; i < 4; i++) await page.getByTestId('enrollment-row').nth(i).getByRole('checkbox').check();
    await page.getByLabel('Move to').selectOption({ label: 'Step 2' });
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toContain('Moved 4 to step 2.');
    await page.getByLabel('Step').first().selectOption({ label: 'Step 2' });
    await expect.poll(() => count.textContent()).toMatch(/^4 of 300 enrollments/);
    // Step 2's delay (two days) counts from the move: the engine planned the next email again.
    expect(await page.getByTestId('enrollment-row').first().textContent()).toContain('Sends step 2');
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-5b-moved.png` });
    // An ended enrollment is not moved, and the rep is told why.
    await page.getByLabel('Step').first().selectOption('all');
    await page.getByLabel('Status').selectOption('unenrolled');
    await page.getByTestId('enrollment-row').first().getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect
      .poll(() => count.textContent(), { timeout: 30_000 })
      .toContain('Moved 0 to step 2. 1 not moved: It has ended (manual)');
    await page.getByLabel('Status').selectOption('all');
  });

  it('fixes a value a paused enrollment was missing, and the enrollment runs again', async () => {
    // A contact enrolled without a first name: when step 1 is due the engine pauses it for the rep.
    const id = await browser.worker.evaluate(async () => {
      const t = __threadline;
      const r = await t.enrollContacts(t.deps, {
        sequenceId: 'seq-q1',
        contacts: [{ email: 'nina@fabrikam.example', company: 'Fabrikam', custom: { industry: 'Paper' } }],
      });
      const id = r.enrolled[0]!.enrollmentId;
      const e = await t.db.enrollments.get(id);
      await t.db.enrollments.put({ ...e, readyAt: Date.now() - 1000, dueAt: Date.now() - 1000 });
      await t.host.tick();
      return id;
    });
    const stuck = await browser.worker.evaluate((id) => __threadline.db.enrollments.get(id), id);
    expect(stuck).toMatchObject({ status: 'paused', pauseReason: 'needs_attention' });

    await options('/contacts');
    await page.getByLabel('Search').fill('nina');
    await page.getByRole('link', { name: 'nina@fabrikam.example' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('nina@fabrikam.example');
    expect(await page.getByRole('region', { name: 'Enrollments' }).textContent()).toContain(
      'Needs attention: Step 1: no value for {{contact.firstName}}',
    );
    await page.getByLabel('First name').fill('Nina');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Fields' }).getByRole('status').textContent())
      .toBe('Saved. 1 paused enrollment resumed.');
    await expect
      .poll(
        async () => (await browser.worker.evaluate((id) => __threadline.db.enrollments.get(id), id))?.status,
      )
      .toBe('active');
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('Resumed');
    await page.screenshot({ path: `${SCREENSHOTS}/contacts-6-contact-page.png`, fullPage: true });
    expect(await seriousViolationsIn(page, 'main')).toEqual([]);
  });

  it('puts an enrollment that needs the rep in the side panel’s queue, fixed inline, gone once it runs again', async () => {
    const id = await browser.worker.evaluate(async () => {
      const t = __threadline;
      const r = await t.enrollContacts(t.deps, {
        sequenceId: 'seq-q1',
        contacts: [{ email: 'omar@fabrikam.example', company: 'Fabrikam', custom: { industry: 'Paper' } }],
      });
      const id = r.enrolled[0]!.enrollmentId;
      const e = await t.db.enrollments.get(id);
      await t.db.enrollments.put({ ...e, readyAt: Date.now() - 1000, dueAt: Date.now() - 1000 });
      await t.host.tick();
      return id;
    });
    const side = await browser.context.newPage();
    await side.setViewportSize({ width: 400, height: 900 });
    await side.goto(sidePanelUrl(browser));
    const item = side.getByTestId('attention-item');
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1);
    expect(await item.textContent()).toContain('Step 1: no value for {{contact.firstName}}');
    await side.getByLabel('First name for omar@fabrikam.example').fill('Omar');
    await side.screenshot({ path: `${SCREENSHOTS}/contacts-7-queue-attention.png` });
    expect(await seriousViolationsIn(side, 'body')).toEqual([]);
    await side.getByRole('button', { name: 'Save and resume' }).click();
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(0);
    const after = await browser.worker.evaluate((id) => __threadline.db.enrollments.get(id), id);
    expect(after?.status).not.toBe('paused');
    const omar = await browser.worker.evaluate(() =>
      __threadline.db.contacts.where('email').equals('omar@fabrikam.example').first(),
    );
    expect(omar?.firstName).toBe('Omar');
  });
});
