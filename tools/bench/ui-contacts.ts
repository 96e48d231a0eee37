import type { Page } from 'playwright-core';
import type { launchWithExtension } from '../../tests/e2e/support/browser';
import { calibInPage, median, round } from './common';

declare const __threadline: {
  db: {
    sequences: { put(x: unknown): Promise<unknown> };
    contacts: { bulkPut(x: unknown[]): Promise<unknown> };
    enrollments: { bulkPut(x: unknown[]): Promise<unknown> };
  };
};

const CONTACTS = 50_000;
const ENROLLMENTS = 5_000;

/** 50,000 contacts at 500 companies, the first 5,000 enrolled in one sequence. */
export function seed(now: number) {
  const sequence = {
    id: 'bench-enrollments',
    name: 'Bench enrollments',
    ownerId: 'r',
    sharing: 'private',
    archived: false,
    updatedAt: now,
    settings: {
      sendWindow: { start: '08:00', end: '18:00' },
      timeZoneBasis: 'contact',
      weekdaysOnly: true,
      holidays: [],
      dailySendCap: 500,
      perMinuteCap: 10,
      minSecondsBetweenSends: 30,
      tasksBlock: true,
      unenrollCompanyOnReply: false,
    },
    steps: [1, 2, 3].map((n) => ({
      id: `s${n}`,
      type: 'auto_email',
      delay: { value: n === 1 ? 0 : 2, unit: 'business_days' },
      subject: n === 1 ? 'Hi {{contact.firstName}}' : '',
      body: '<p>Hello</p>',
      threadWithPrevious: true,
      variants: [],
    })),
  };
  const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
    id: `bc${i}`,
    email: `p${i}@co${i % 500}.example`,
    domain: `co${i % 500}.example`,
    firstName: `First${i}`,
    lastName: `Last${i % 977}`,
    company: `Company ${i % 500}`,
    custom: { industry: ['Retail', 'Energy', 'Software'][i % 3]! },
  }));
  const enrollments = Array.from({ length: ENROLLMENTS }, (_, i) => {
    const paused = i % 10 === 0;
    return {
      id: `be${i}`,
      sequenceId: sequence.id,
      contactId: `bc${i}`,
      mailbox: 'rep@seller.example',
      status: paused ? 'paused' : 'active',
      ...(paused ? { pauseReason: 'manual', pausedAt: now - 3_600_000 } : {}),
      enrolledAt: now - i * 60_000,
      stepIndex: i % 3,
      readyAt: now + i * 30_000,
      ...(paused ? {} : { dueAt: now + i * 30_000 }),
      edits: {},
      messageIds: [],
      failures: 0,
      version: 1,
    };
  });
  return { sequence, contacts, enrollments };
}

/** The page's clock in the first animation frame in which `ready` holds (the frame that paints it). */
async function frameWhen(page: Page, ready: () => number | false): Promise<number> {
  const at = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 60_000 });
  return (await at.jsonValue()) as number;
}

/**
 * contacts_50k_search_ms: in the Contacts tab with 50,000 contacts, from the input event of a query typed in
 * the search box to the first frame painting the filtered rows (the count and the matching row), median of 5
 * queries. enrollments_5000_ms: the Enrollments view of a sequence with 5,000 enrollments, from navigation
 * start to the first frame with rows, median of 5 loads after a first one.
 */
export async function measureContacts(b: Awaited<ReturnType<typeof launchWithExtension>>) {
  await b.worker.evaluate(async (s) => {
    await __threadline.db.sequences.put(s.sequence);
    for (let i = 0; i < s.contacts.length; i += 10_000)
      await __threadline.db.contacts.bulkPut(s.contacts.slice(i, i + 10_000));
    await __threadline.db.enrollments.bulkPut(s.enrollments);
  }, seed(Date.now()));
  const page = await b.context.newPage();
  // tsx keeps function names with an `__name` helper that the page does not have; the measuring code below
  // names its inner functions, so the page gets a stand-in.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`chrome-extension://${b.extensionId}/options.html#/contacts`);
  await page
    .getByText(`${CONTACTS.toLocaleString('en')} of ${CONTACTS.toLocaleString('en')} contacts`)
    .waitFor({
      timeout: 120_000,
    });
  const searches: number[] = [];
  for (const n of [4217, 31999, 777, 12345, 49998]) {
    const email = `p${n}@co${n % 500}.example`;
    const ms = await page.evaluate((query) => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const start = performance.now();
      setValue.call(input, query);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return new Promise<number>((resolve) => {
        const check = () => {
          const rows = document.querySelectorAll('[data-testid="contact-row"]');
          if (rows.length === 1 && rows[0]!.textContent!.includes(query)) resolve(performance.now() - start);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    }, email);
    searches.push(ms);
    await page.getByLabel('Search').fill('');
    await page.getByText(`${CONTACTS.toLocaleString('en')} of`).waitFor();
  }
  const calib = await calibInPage(page); // the options page's renderer
  const loads: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.goto('about:blank');
    await page.goto(
      `chrome-extension://${b.extensionId}/options.html#/sequences/bench-enrollments/enrollments`,
    );
    const ms = await frameWhen(
      page,
      () => !!document.querySelector('[data-testid="enrollment-row"]') && performance.now(),
    );
    if (i > 0) loads.push(ms);
  }
  await page.close();
  return {
    contacts_50k_search_ms: round(median(searches)),
    enrollments_5000_ms: round(median(loads)),
    calib_ms: round(calib),
  };
}
