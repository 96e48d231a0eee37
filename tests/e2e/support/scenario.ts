import type { Page } from 'playwright-core';
import type { Sandbox } from '../../../tools/sandbox/server';
import type { ExtensionBrowser } from './browser';
import { optionsUrl } from './extension-pages';
import { until } from './poll';

/** Sequence settings that let every step go at once: end-to-end tests are about the path, not the clock. */
export const ALWAYS_OPEN = {
  sendWindow: { start: '00:00', end: '24:00' },
  timeZoneBasis: 'contact',
  weekdaysOnly: false,
  holidays: [],
  dailySendCap: 500,
  perMinuteCap: 10,
  minSecondsBetweenSends: 0,
  tasksBlock: true,
  unenrollCompanyOnReply: false,
} as const;

/** A stored sequence as the worker's database holds it. */
export function sequenceRow(id: string, name: string, steps: unknown[], settings: object = ALWAYS_OPEN) {
  return { id, name, ownerId: 'rep', sharing: 'private', archived: false, updatedAt: 0, settings, steps };
}

/** Connects a sandbox mailbox the way a rep would: the options page, the real OAuth flow (no vitest: the benchmarks use it). */
export async function connectSandboxMailbox(
  browser: ExtensionBrowser,
  sandbox: Sandbox,
  mailbox: string,
  kind: 'gmail' | 'graph',
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(optionsUrl(browser, '/settings'));
  await page.getByText('Demo: connect a mailbox of the mail sandbox').click();
  await page.getByLabel('Sandbox URL').fill(sandbox.url);
  await page.getByLabel('Mailbox', { exact: true }).fill(mailbox);
  await page.getByLabel('Kind').selectOption(kind);
  await page.getByRole('button', { name: 'Connect sandbox mailbox' }).click();
  await until(
    'the connected mailbox',
    () => page.getByTestId('account-mailbox').textContent(),
    mailbox,
    20_000,
  );
  return page;
}
