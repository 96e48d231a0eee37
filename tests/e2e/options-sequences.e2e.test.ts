import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

/**
 * The Sequences page of the built extension in Chromium: create a sequence with the rich-text editor and the
 * token picker, see its real schedule, save it, find it in the list and in the extension's IndexedDB.
 */
type Handle = {
  db: { sequences: { toArray(): Promise<SavedSequence[]> } };
  saveRep(db: unknown, rep: unknown): Promise<void>;
};
type SavedSequence = {
  name: string;
  ownerId: string;
  steps: { type: string; subject?: string; body?: string; title?: string; callScript?: string }[];
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';
let browser: ExtensionBrowser;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchWithExtension();
  await browser.worker.evaluate(() =>
    __threadline.saveRep(__threadline.db, {
      email: 'sam@seller.example',
      name: 'Sam Rivera',
      timeZone: 'Europe/London',
    }),
  );
});
afterAll(async () => {
  await browser?.close();
});

describe('the Sequences page', () => {
  it('creates a sequence with emails and a call, previews its schedule, saves it and lists it', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    // Sequences is the first page, so the options page opens on it.
    await expect.poll(() => page.getByTestId('sequences-empty').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/options-sequences-empty.png` });
    await page.getByRole('button', { name: 'Create your first sequence' }).click();

    await page.getByLabel('Sequence name').fill('Webinar follow-up');
    await page.getByLabel('Subject', { exact: true }).fill('Thanks for joining, ');
    await page.getByLabel('Token').selectOption('contact.firstName');
    await page.getByRole('button', { name: 'Insert token' }).click(); // into the subject, where the cursor was
    const body = page.getByTestId('body-editor');
    await body.click();
    await page.keyboard.type('Hi ');
    await page.getByLabel('Token').selectOption('contact.firstName');
    await page.getByLabel('Fallback if empty').fill('there');
    await page.getByRole('button', { name: 'Insert token' }).click();
    await page.keyboard.type(', thanks for coming to the webinar.');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' Slides attached.');
    await expect
      .poll(() => page.getByTestId('email-preview').textContent())
      .toContain('Hi Jordan, thanks for coming to the webinar. Slides attached.');

    await page.getByRole('button', { name: 'Add: Call' }).click();
    await page.getByLabel('Task title').fill('Call {{contact.firstName}} about the webinar');
    await page.getByLabel('Call script').fill('Ask which session they liked, offer a demo.');
    await page.getByRole('button', { name: 'Add: Automatic email' }).click();
    await page.getByTestId('body-editor').click();
    await page.keyboard.type('Just checking you saw the slides.');

    const schedule = page.getByTestId('schedule-preview');
    await schedule.getByLabel('Enrolled at (your clock)').fill('2026-03-06T10:00');
    await expect.poll(() => schedule.getByTestId('schedule-row').count()).toBe(3);
    const rows = await schedule.getByTestId('schedule-row').allTextContents();
    // Friday 10:00 in London is 05:00 in New York: the first email waits for the 08:00 window there.
    expect(rows[0]).toContain('Fri 6 Mar, 08:00 (America/New_York)');
    expect(rows[0]).toContain('Fri 6 Mar, 13:00 (Europe/London)');
    await page.getByRole('button', { name: /Step 1 · Automatic email/ }).click();
    await page.screenshot({ path: `${SCREENSHOTS}/options-sequences-builder.png`, fullPage: true });
    await schedule.scrollIntoViewIfNeeded();
    await schedule.screenshot({ path: `${SCREENSHOTS}/options-sequences-schedule.png` });

    await page.getByRole('button', { name: 'Save sequence' }).click();
    // The builder of a new sequence is #/sequences/new: saved, it moves to the sequence's own id.
    await expect.poll(() => page.url()).toMatch(/#\/sequences\/(?!new$)[\w-]+$/);

    const saved = await browser.worker.evaluate(() => __threadline.db.sequences.toArray());
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: 'Webinar follow-up', ownerId: 'sam@seller.example' });
    expect(saved[0]!.steps.map((s) => s.type)).toEqual(['auto_email', 'call', 'auto_email']);
    expect(saved[0]!.steps[0]!.subject).toBe('Thanks for joining, {{contact.firstName}}');
    expect(saved[0]!.steps[0]!.body).toBe(
      '<p>Hi {{contact.firstName | "there"}}, thanks for coming to the webinar.<strong> Slides attached.</strong></p>',
    );
    expect(saved[0]!.steps[1]).toMatchObject({ callScript: 'Ask which session they liked, offer a demo.' });

    await page.getByRole('link', { name: '← All sequences' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Webinar follow-up' }).isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/options-sequences-list.png` });
    await page.close();
  });
});
