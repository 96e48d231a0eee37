import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_HOSTS, mailHostOf } from '../../lib/hosts/mail-hosts';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { ALWAYS_OPEN, connectSandboxMailbox, sequenceRow } from './support/scenario';

/**
 * Accessibility of every screen a rep uses, checked by axe-core in the built extension in Chromium (real
 * layout, real colours): each tab of the options page (found in its navigation, so a tab added later is
 * checked too) with the screens behind them (the sequence builder, a sequence's Enrollments view, a contact's
 * page, bulk enrollment), the side panel, and the inbox panels on Outlook's dated fixture (the thread panel
 * and the enroll form; the task queue is the side panel there). A serious or critical violation fails,
 * with axe's experimental rules on (label-content-name-mismatch is one), and every page needs a level-one
 * heading.
 */
type Handle = {
  db: { sequences: { put(x: unknown): Promise<unknown> } };
  deps: unknown;
  enrollContacts(deps: unknown, req: unknown): Promise<{ enrolled: { contactId: string }[] }>;
  saveRep(db: unknown, rep: unknown): Promise<void>;
};
declare const __threadline: Handle;

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const REP = 'riley.chen@northwind.example';
const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
const ORIGIN = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;

/** Serious and critical violations in `selector` (shadow roots included), and a missing h1 when `page` is whole. */
async function problems(page: Page, selector = 'body', wholePage = true): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(
    async ({ sel, wholePage }) => {
      type Result = { violations: { id: string; impact?: string; nodes: { target: unknown[] }[] }[] };
      const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Result> } }).axe;
      const result = await axe.run(
        { include: [sel] },
        {
          resultTypes: ['violations'],
          rules: {
            'label-content-name-mismatch': { enabled: true },
            'page-has-heading-one': { enabled: wholePage },
          },
        },
      );
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'page-has-heading-one')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
    },
    { sel: selector, wholePage },
  );
}

let browser: ExtensionBrowser;
let sandbox: Sandbox;
let page: Page;
let contactId: string;
const options = async (hash: string) => {
  await page.goto(`chrome-extension://${browser.extensionId}/options.html#${hash}`);
  await page.locator('main').waitFor();
};

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, 'graph');
  const opened = await sandbox.inject(REP, {
    from: 'Ada Lovelace <ada.lovelace@acme.example>',
    subject: 'Acme hiring plans',
    text: 'Thanks Riley, looping in Ben who runs our data team.',
  });
  const fixture = fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, opened.threadId);
  browser = await launchWithExtension();
  await browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (mailHostOf(url.href, MAIL_HOSTS)?.kind === 'outlook')
      return route.fulfill({ contentType: 'text/html', body: fixture });
    if (url.hostname === '127.0.0.1') return route.continue();
    return route.abort();
  });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('no serious accessibility problem on any screen', () => {
  it('has a connected mailbox and a sequence with two enrollments to show', async () => {
    await (await connectSandboxMailbox(browser, sandbox, REP, 'graph')).close();
    contactId = await browser.worker.evaluate(
      async ({ sequence }) => {
        const t = __threadline;
        await t.db.sequences.put(sequence);
        const r = await t.enrollContacts(t.deps, {
          sequenceId: sequence.id,
          contacts: [
            { email: 'grace@contoso.example', firstName: 'Grace', company: 'Contoso' },
            { email: 'linus@contoso.example', company: 'Contoso' },
          ],
        });
        return r.enrolled[0]!.contactId;
      },
      {
        sequence: sequenceRow(
          'seq-a11y',
          'Accessible intro',
          [
            {
              id: 's1',
              type: 'auto_email',
              delay: { value: 1, unit: 'days' },
              subject: 'Hello {{contact.firstName}}',
              body: '<p>Hi {{contact.firstName}}</p>',
              threadWithPrevious: true,
              variants: [],
            },
            {
              id: 's2',
              type: 'auto_email',
              delay: { value: 2, unit: 'days' },
              subject: '',
              body: '<p>Following up, {{contact.firstName}}.</p>',
              threadWithPrevious: true,
              variants: [],
            },
          ],
          ALWAYS_OPEN,
        ),
      },
    );
    expect(contactId).toBeTruthy();
  });

  it('every tab of the options page', async () => {
    await options('/sequences');
    const tabs = await page
      .getByRole('navigation', { name: 'Threadline' })
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    // Sequences, Contacts, Analytics and Settings at least; any tab added since is in the list too.
    expect(tabs).toEqual(expect.arrayContaining(['#/sequences', '#/contacts', '#/analytics', '#/settings']));
    const found: Record<string, string[]> = {};
    for (const tab of tabs) {
      await options(tab.slice(1));
      // Each page reads its data first: checked once its content has replaced the loading line.
      await expect
        .poll(() => page.locator('main').textContent(), { timeout: 15_000 })
        .not.toMatch(/^\s*Loading/);
      await page.waitForTimeout(300);
      found[tab] = await problems(page);
    }
    expect(found).toEqual(Object.fromEntries(tabs.map((t) => [t, []])));
  });

  it('the sequence builder, the Enrollments view, a contact’s page and bulk enrollment', async () => {
    const found: Record<string, string[]> = {};
    await options('/sequences/seq-a11y');
    await page.getByLabel('Sequence name').waitFor();
    found.builder = await problems(page);
    await options('/sequences/seq-a11y/enrollments');
    await expect.poll(() => page.getByTestId('enrollments-count').textContent()).toMatch(/^2 of 2/);
    found.enrollments = await problems(page);
    await options(`/contacts/${encodeURIComponent(contactId)}`);
    await page.getByRole('button', { name: 'Save contact' }).waitFor();
    found.contact = await problems(page);
    await options('/contacts');
    await page.getByRole('button', { name: /^Enroll all \d+ matching/ }).click();
    const bulk = page.getByRole('region', { name: /^Enroll \d+ contacts/ });
    await bulk.getByLabel('Sequence').selectOption('seq-a11y');
    await bulk.getByRole('button', { name: 'Check' }).click();
    await bulk.getByTestId('preflight').waitFor();
    found.bulkEnroll = await problems(page);
    expect(found).toEqual({ builder: [], enrollments: [], contact: [], bulkEnroll: [] });
  });

  it('the side panel (the task queue and what needs attention)', async () => {
    const side = await browser.context.newPage();
    await side.setViewportSize({ width: 400, height: 900 });
    await side.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await side.getByRole('heading', { level: 1 }).waitFor({ state: 'attached' });
    await side.waitForTimeout(500);
    expect(await problems(side)).toEqual([]);
    await side.close();
  });

  it('the inbox panels: the thread panel and its enroll form in Outlook', async () => {
    const outlook = await browser.context.newPage();
    await outlook.setViewportSize({ width: 1440, height: 900 });
    await outlook.goto(`${ORIGIN}/mail/inbox/id/${encodeURIComponent(FIXTURE_CONV)}`);
    const panel = outlook.locator('threadline-panel');
    await expect.poll(() => panel.getByText('Ada Lovelace').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await problems(outlook, 'threadline-panel', false)).toEqual([]);
    await panel.getByRole('button', { name: 'Enroll: Ada Lovelace' }).click();
    await panel.getByRole('button', { name: /^Enroll 1 contact in/ }).waitFor();
    expect(await problems(outlook, 'threadline-panel', false)).toEqual([]);
    await outlook.close();
  });
});
