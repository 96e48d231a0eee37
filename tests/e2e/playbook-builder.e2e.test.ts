import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolationsIn } from './support/axe';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { dealRow, optionsUrl, seedDeals, unstickHeader } from './support/extension-pages';

/**
 * The Playbooks tab's rule builder and stage editor in Chromium, on the built extension without a backend (a
 * rep alone on the device edits the playbook as a manager would): a new rule built from rows (the deal's
 * amount more than 10,000 EUR) flags the one big deal in the live preview as it is typed, a stage gets an
 * automation on that rule's flag, the playbook saves as built, and the rep turns the automation off for their
 * own deals. axe finds nothing serious on the built state.
 */
type Handle = {
  db: {
    playbooks: { toArray(): Promise<unknown[]> };
    meta: { get(key: string): Promise<{ value: unknown } | undefined> };
  };
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';

let browser: ExtensionBrowser;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchWithExtension();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('the Playbooks rule builder', () => {
  it('a manager builds a rule, sees the live preview flag a deal, adds an automation on its flag and saves', async () => {
    const now = Date.now();
    const deal = (id: string, name: string, amount: number) =>
      dealRow({ id, name, ownerId: 'lee@demo.example', stageId: 'demo', ageDays: 2, now, amount });
    await seedDeals(browser, [deal('acme', 'Acme', 50_000), deal('globex', 'Globex', 4_000)]);

    const page = await browser.context.newPage();
    await page.goto(optionsUrl(browser, '/playbooks'));
    await unstickHeader(page);
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const rule = page.getByTestId('rule-new_rule');
    await rule.getByLabel('Rule name').fill('Big deal');
    await rule.getByLabel('Message').fill('A big deal: bring in the VP');
    await rule.getByLabel('Severity').selectOption('info');

    // The new rule's one row: the close date is empty (no deal here has one: both flagged).
    const preview = rule.getByRole('status');
    await expect
      .poll(() => preview.textContent(), { timeout: 20_000 })
      .toBe('Flags 2 of your deals: Acme, Globex');
    const row = rule.getByRole('group', { name: 'Condition 1' });
    await row.getByLabel('Subject').selectOption('field:amount');
    await row.getByLabel('Operator').selectOption('gt');
    await row.getByRole('spinbutton', { name: 'Amount' }).fill('10000');
    await row.getByRole('textbox', { name: 'Currency' }).fill('EUR');
    await expect.poll(() => preview.textContent()).toBe('Flags 1 of your deals: Acme');
    // A value of the wrong kind is named at the field, and the preview waits for a valid rule.
    await row.getByRole('textbox', { name: 'Currency' }).fill('EU');
    await expect
      .poll(() => row.getByTestId('condition-problem').textContent())
      .toMatch(/^value: currency must be a three-letter currency code/);
    await row.getByRole('textbox', { name: 'Currency' }).fill('EUR');
    await expect.poll(() => preview.textContent()).toBe('Flags 1 of your deals: Acme');
    await rule.screenshot({ path: `${SCREENSHOTS}/options-playbooks-rule-builder.png` });

    // An automation on the Demo stage, run when the new rule flags a deal there.
    const demo = page.getByTestId('stage-demo');
    await demo.getByRole('button', { name: 'Add an automation to Demo' }).click();
    const automation = demo.getByTestId('automation-demo_automation');
    await automation.getByLabel('When').selectOption({ label: 'Flagged by Big deal' });
    await automation.getByLabel('Does').selectOption('task');
    await automation.getByLabel('Title').fill('Loop in the VP');
    expect(await automation.getByTestId('automation-state').textContent()).toBe('Runs on your deals.');

    await page.getByRole('button', { name: 'Save playbook' }).click();
    await expect.poll(() => page.getByText(/^Saved B2B/).count()).toBe(1);
    const saved = (await browser.worker.evaluate(() => __threadline.db.playbooks.toArray())) as {
      rules: { id: string; when: unknown; severity: string }[];
      stages: { id: string; automations: unknown[] }[];
    }[];
    expect(saved[0]!.rules.find((r) => r.id === 'new_rule')).toMatchObject({
      severity: 'info',
      when: {
        op: 'and',
        conditions: [{ type: 'field', field: 'amount', op: 'gt', value: { value: 10000, currency: 'EUR' } }],
      },
    });
    expect(saved[0]!.stages.find((s) => s.id === 'demo')!.automations.at(-1)).toEqual({
      id: 'demo_automation',
      label: 'On entering Demo',
      trigger: { on: 'flag', ruleId: 'new_rule' },
      action: { type: 'task', taskType: 'todo', title: 'Loop in the VP', dueInDays: 1 },
      enabled: true,
    });

    // The rep turns it off for their own deals: the stage says so, the background's meta row holds it.
    await page.getByRole('checkbox', { name: 'Demo: On entering Demo' }).uncheck();
    await expect
      .poll(() => automation.getByTestId('automation-state').textContent())
      .toBe('Turned off for your deals (see “Automations on your deals”).');
    expect(
      await browser.worker.evaluate(
        async () => (await __threadline.db.meta.get('process.automationsOff'))?.value,
      ),
    ).toEqual(['demo_automation']);

    expect(await seriousViolationsIn(page, '.tlp-editor')).toEqual([]);
    await demo.screenshot({ path: `${SCREENSHOTS}/options-playbooks-stage.png` });
    await page.close();
  }, 240_000);
});
