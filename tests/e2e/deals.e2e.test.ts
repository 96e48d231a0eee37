import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playbook } from '../../lib/domain/playbook';
import { MAIL_HOSTS, mailHostOf } from '../../lib/hosts/mail-hosts';
import { defaultPlaybook } from '../../lib/process';
import { startSandbox } from '../../tools/sandbox/server';
import { seriousViolationsIn } from './support/axe';
import { launchWithExtension } from './support/browser';
import { ADA_OPENS, BEN, introSequence, REP, SHOTS, type InboxWorld } from './support/inbox-scenario';
import { connectSandboxMailbox } from './support/scenario';

/**
 * The behavior layer in the thread panel, on the Outlook fixture with the built extension: create a deal from
 * the conversation in one click, answer its criteria inline, follow the next step, be warned (warn gate) and
 * refused (require gate) moving too early, and see the Demo stage's automation enroll the champion.
 */
type Handle = {
  db: {
    playbooks: { put(p: unknown): Promise<unknown> };
    sequences: { put(s: unknown): Promise<unknown> };
    enrollments: { toArray(): Promise<{ contactId: string; sequenceId: string; status: string }[]> };
    contacts: { where(i: string): { equals(v: string): { first(): Promise<{ id: string } | undefined> } } };
  };
};
declare const __threadline: Handle;

const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
const ORIGIN = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;
const HOST = { name: 'outlook', title: 'Outlook' };
const world = {} as InboxWorld;
let page: Page;

function playbook(gate: Playbook['gate']): Playbook {
  const p = defaultPlaybook();
  p.gate = gate;
  const auto = p.stages.find((s) => s.id === 'demo')!.automations[0]!;
  auto.enabled = true;
  if (auto.action.type === 'enroll') auto.action.sequenceId = introSequence(HOST).id;
  return p;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  world.sandbox = await startSandbox({ port: 0 });
  world.sandbox.addMailbox(REP, 'graph');
  const opened = await world.sandbox.inject(REP, ADA_OPENS);
  world.thread = opened.threadId;
  const fixture = fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, world.thread);
  world.browser = await launchWithExtension();
  await world.browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (mailHostOf(url.href, MAIL_HOSTS)?.kind === 'outlook')
      return route.fulfill({ contentType: 'text/html', body: fixture });
    if (url.hostname === '127.0.0.1') return route.continue();
    return route.abort();
  });
});
afterAll(async () => {
  await world.browser?.close();
  await world.sandbox?.stop();
});

const panel = () => page.locator('threadline-panel');
const card = () => panel().locator('[data-deal-id]');
const criterion = (id: string) => card().locator(`[data-criterion="${id}"]`);

describe('deals in the Outlook thread panel', () => {
  it('creates a deal for the conversation’s company in one click', async () => {
    const options = await connectSandboxMailbox(world.browser, world.sandbox, REP, 'graph');
    await options.close();
    await world.browser.worker.evaluate(
      async ([s, p]) => {
        await __threadline.db.sequences.put(s);
        await __threadline.db.playbooks.put(p);
      },
      [introSequence(HOST), playbook('warn')] as const,
    );
    page = await world.browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${ORIGIN}/mail/inbox/id/${encodeURIComponent(world.thread)}`);
    const create = panel().getByRole('button', { name: 'Create a deal for Acme' });
    await expect.poll(() => create.count(), { timeout: 15_000 }).toBe(1);
    await create.click();
    await expect
      .poll(() => card().getByRole('heading', { name: 'Deal: Acme' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await criterion('discovery-pain').getAttribute('data-met')).toBe('false');
    await page.screenshot({ path: `${SHOTS}/deals-1-created.png` });
    expect(await seriousViolationsIn(page, 'threadline-panel')).toEqual([]);
  });

  it('answers the criteria inline and follows the next step', async () => {
    await criterion('discovery-pain')
      .getByRole('textbox', { name: 'Identified pain' })
      .fill('Analysts drown in spreadsheets');
    await criterion('discovery-pain').getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => criterion('discovery-pain').getAttribute('data-met'), { timeout: 10_000 })
      .toBe('true');
    // The Next step asks for the metrics: its button lands in that field.
    await expect
      .poll(() => card().getByText('The metrics are known', { exact: false }).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await card().getByRole('button', { name: 'Answer' }).click();
    await page.keyboard.type('Two days a month per analyst');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => criterion('discovery-metrics').getAttribute('data-met'), { timeout: 10_000 })
      .toBe('true');
    await card()
      .getByRole('combobox', { name: /^Role: Ben/ })
      .selectOption('champion');
    await expect
      .poll(() => criterion('discovery-champion').getAttribute('data-met'), { timeout: 10_000 })
      .toBe('true');
    // Every criterion met: the stage's recommended action, done by the button (the reply text to paste).
    await expect.poll(() => card().locator('[data-next-step="action"]').count(), { timeout: 10_000 }).toBe(1);
    await card().getByRole('button', { name: 'Do it' }).click();
    await expect
      .poll(
        () =>
          card()
            .getByRole('textbox', { name: /Your reply/ })
            .inputValue(),
        { timeout: 10_000 },
      )
      .toContain('Would 30 minutes');
    await page.screenshot({ path: `${SHOTS}/deals-2-next-step.png` });
  });

  it('warns when moving past unmet criteria (warn gate), and entering Demo enrolls the champion', async () => {
    await card().getByRole('button', { name: 'Move to Demo' }).click();
    const alert = card().getByRole('alert');
    await expect
      .poll(() => alert.textContent(), { timeout: 10_000 })
      .toContain('Moved with unmet criteria: Budget is confirmed');
    expect(await card().getByText('Demo', { exact: true }).getAttribute('aria-current')).toBe('step');
    const enrolled = await world.browser.worker.evaluate(async (ben) => {
      const contact = await __threadline.db.contacts.where('email').equals(ben).first();
      return (await __threadline.db.enrollments.toArray()).filter((e) => e.contactId === contact?.id);
    }, BEN);
    expect(enrolled.map((e) => [e.sequenceId, e.status])).toEqual([[introSequence(HOST).id, 'active']]);
    await page.screenshot({ path: `${SHOTS}/deals-3-warned-and-enrolled.png` });
  });

  it('refuses moving too early when the pipeline requires the criteria, naming them', async () => {
    await world.browser.worker.evaluate((p) => __threadline.db.playbooks.put(p), playbook('require'));
    await card().getByRole('button', { name: 'Move to Proposal' }).click();
    const alert = card().getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('Not moved.');
    expect(await alert.textContent()).toContain('The demo is held');
    expect(await card().getByText('Demo', { exact: true }).getAttribute('aria-current')).toBe('step');
    expect(await alert.getByRole('button', { name: 'Override and move' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/deals-4-refused.png` });
    expect(await seriousViolationsIn(page, 'threadline-panel')).toEqual([]);
  });
});
