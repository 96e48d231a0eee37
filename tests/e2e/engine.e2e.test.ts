import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

/** Code evaluated in the service worker reaches the test handle of a `--mode test` build. */
type Handle = {
  db: { sequences: { put(x: unknown): Promise<unknown> }; enrollments: { count(): Promise<number> } };
  deps: unknown;
  enrollContacts(
    deps: unknown,
    req: unknown,
  ): Promise<{ enrolled: { firstDueAt?: number }[]; rejected: unknown[] }>;
  saveRep(db: unknown, rep: unknown): Promise<void>;
  TICK_ALARM: string;
};
declare const __threadline: Handle;
declare const chrome: {
  alarms: { get(name: string): Promise<{ scheduledTime: number } | undefined>; clearAll(): Promise<boolean> };
};

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

const alarmTime = (worker: Worker) =>
  worker.evaluate(async () => (await chrome.alarms.get(__threadline.TICK_ALARM))?.scheduledTime ?? null);

describe('the extension in Chromium', () => {
  it('starts its service worker, enrolls a contact, and sets the tick alarm to the first due time', async () => {
    const { worker } = browser;
    const firstDue = await worker.evaluate(async () => {
      const t = __threadline;
      await t.saveRep(t.db, { email: 'rep@seller.example', timeZone: 'Europe/London' });
      await t.db.sequences.put({
        id: 'seq-e2e',
        name: 'E2E',
        ownerId: 'rep',
        sharing: 'private',
        archived: false,
        updatedAt: 0,
        settings: {
          sendWindow: { start: '00:00', end: '24:00' },
          timeZoneBasis: 'contact',
          weekdaysOnly: false,
          holidays: [],
          dailySendCap: 500,
          perMinuteCap: 10,
          minSecondsBetweenSends: 30,
          tasksBlock: true,
          unenrollCompanyOnReply: false,
        },
        steps: [
          {
            id: 's1',
            type: 'auto_email',
            delay: { value: 3, unit: 'days' },
            subject: 'Hi {{contact.firstName}}',
            body: 'Hello',
            threadWithPrevious: true,
            variants: [],
          },
        ],
      });
      const report = await t.enrollContacts(t.deps, {
        sequenceId: 'seq-e2e',
        contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
      });
      return report.enrolled[0]?.firstDueAt ?? null;
    });
    expect(firstDue).toBeGreaterThan(Date.now() + 2.9 * 86_400_000);
    expect(await alarmTime(worker)).toBe(firstDue);
  });

  it('re-arms a dropped alarm from the database when the worker starts again', async () => {
    const { worker } = browser;
    const expected = await alarmTime(worker);
    await worker.evaluate(() => chrome.alarms.clearAll());
    expect(await alarmTime(worker)).toBeNull();
    // A fresh worker on the same IndexedDB, with nothing in memory: it must find the due time in the database.
    const restarted = await browser.restartWorker();
    await expect.poll(() => alarmTime(restarted), { timeout: 10_000 }).toBe(expected);
    expect(await restarted.evaluate(() => __threadline.db.enrollments.count())).toBe(1);
  });
});
