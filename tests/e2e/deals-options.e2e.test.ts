import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFromOptions, startBackend, stopBackend, type Backend } from './support/backend';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { dealRow, optionsUrl, seedDeals, unstickHeader } from './support/extension-pages';
import { connectSandboxMailbox } from './support/scenario';

/**
 * The options page's behavior-layer pages in Chromium, signed in to a real backend as the team's first member
 * (an admin, so a manager's rights): the Deals board moves a deal past unmet criteria by dragging it (warn:
 * moved, the skip recorded), the manager turns the pipeline's gate to require in the Playbooks editor, the
 * board then refuses a move from the keyboard naming the unmet criteria, and the manager overrides it with a
 * reason. After "Sync now", the backend holds the deals, the playbook and the override, and Process analytics
 * shows the team's figures from the backend.
 */
const SCREENSHOTS = 'tests/e2e/screenshots';
const ME = 'lee@demo.example';

let browser: ExtensionBrowser;
let backend: Backend;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  backend = await startBackend({ mailbox: ME, kind: 'gmail' });
  browser = await launchWithExtension();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopBackend(backend ?? {});
});

const serverRows = async (kind: string) =>
  (
    await backend.server.database.db
      .selectFrom('entities')
      .select(['id', 'data'])
      .where('kind', '=', kind)
      .execute()
  ).map((r) => ({ id: r.id, data: r.data as Record<string, unknown> }));

describe('deals, playbooks and process analytics on the options page', () => {
  it('moves deals under warn and require (refused, then overridden), edits the playbook, shows the team’s process', async () => {
    const page = await connectSandboxMailbox(browser, backend.sandbox, ME, 'gmail');
    await signInFromOptions(page, browser, backend.http.url, ME);

    const now = Date.now();
    const deal = (id: string, name: string) =>
      dealRow({ id, name, ownerId: ME, stageId: 'discovery', ageDays: 10, now });
    await seedDeals(browser, [deal('acme', 'Acme'), deal('globex', 'Globex')]);

    // warn (the default playbook): dragged past unmet criteria, moved, the skip said and recorded.
    await page.goto(optionsUrl(browser, '/deals'));
    await unstickHeader(page);
    const discovery = page.locator('[data-stage="discovery"]');
    await expect
      .poll(() => discovery.getAttribute('aria-label'), { timeout: 20_000 })
      .toBe('Discovery, 2 deals');
    await page.locator('[data-deal="acme"]').dragTo(page.locator('[data-stage="qualified"]'));
    await expect
      .poll(() => page.locator('[data-stage="qualified"]').getAttribute('aria-label'))
      .toBe('Qualified, 1 deals');
    await expect
      .poll(() => page.locator('.tld-status').textContent())
      .toMatch(/^Moved to Qualified; skipped: /);
    await page.locator('.tld-board').screenshot({ path: `${SCREENSHOTS}/options-deals-board.png` });

    // The manager turns the pipeline's gate to require.
    await page.goto(optionsUrl(browser, '/playbooks'));
    await page.getByLabel('When exit criteria are unmet').selectOption('require');
    await expect
      .poll(() => page.getByTestId('rule-stuck-30-days').getByRole('status').textContent())
      .toBe('Flags none of your deals now.');
    await page.getByRole('button', { name: 'Save playbook' }).click();
    await expect.poll(() => page.getByText(/^Saved B2B/).count()).toBe(1);
    await unstickHeader(page);
    // The pipeline's section (the rep's automation switches come first on the page).
    await page
      .locator('section[aria-labelledby="tlp-general"]')
      .screenshot({ path: `${SCREENSHOTS}/options-playbooks.png` });

    // require: refused from the keyboard control with the criteria named; the manager overrides with a reason.
    await page.goto(optionsUrl(browser, '/deals'));
    await page.getByRole('button', { name: 'Move Globex' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Move Globex to').selectOption('qualified');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    const refused = page.getByTestId('move-refused');
    await expect.poll(() => refused.textContent()).toContain('The pain is identified');
    await unstickHeader(page);
    await refused.screenshot({ path: `${SCREENSHOTS}/options-deals-refused.png` });
    await refused.getByLabel('Reason for the override').fill('Pain confirmed by the CFO on the call');
    await refused.getByRole('button', { name: 'Override and move' }).click();
    await expect
      .poll(() => page.locator('[data-stage="qualified"]').getAttribute('aria-label'))
      .toBe('Qualified, 2 deals');

    // Everything reaches the backend: the playbook (an admin's to write), the deals and the override.
    await page.goto(optionsUrl(browser, '/settings/backend'));
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 20_000 }).toBe('0');
    expect((await serverRows('playbook'))[0]?.data).toMatchObject({ pipelineId: 'b2b', gate: 'require' });
    expect((await serverRows('deal')).map((r) => [r.id, r.data.stageId]).sort()).toEqual([
      ['acme', 'qualified'],
      ['globex', 'qualified'],
    ]);
    expect((await serverRows('deal_event')).find((r) => r.data.kind === 'override')?.data).toMatchObject({
      dealId: 'globex',
      by: ME,
      data: { reason: 'Pain confirmed by the CFO on the call' },
    });

    // Process analytics from the backend, for the team.
    await page.goto(optionsUrl(browser, '/process'));
    await expect
      .poll(() => page.getByText('Your team’s deals, from the team backend.').count(), { timeout: 20_000 })
      .toBe(1);
    const kpis = page.getByTestId('process-kpis');
    await expect.poll(() => kpis.textContent(), { timeout: 20_000 }).toContain('Deals2');
    expect(await kpis.textContent()).toContain('Skips1');
    expect(await kpis.textContent()).toContain('Overrides1');
    await page.getByTestId('view-process-skips').getByRole('button', { name: 'Table' }).count();
    expect(await page.getByTestId('view-process-skips').textContent()).toContain(
      'Pain confirmed by the CFO on the call',
    );
    await unstickHeader(page);
    await page.locator('.tlp-process').screenshot({ path: `${SCREENSHOTS}/options-process-analytics.png` });
  }, 240_000);
});
