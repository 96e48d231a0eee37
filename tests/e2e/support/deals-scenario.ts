import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Playbook } from '../../../lib/domain/playbook';
import { defaultPlaybook } from '../../../lib/process';
import { seriousViolationsIn } from './axe';
import { sidePanelUrl } from './extension-pages';
import { ADA, BEN, introSequence, REP, SHOTS, type InboxWorld } from './inbox-scenario';
import { connectSandboxMailbox } from './scenario';

/**
 * The behavior layer's scenario every mail host runs (tests/e2e/deals.e2e.test.ts for Outlook,
 * deals-gmail.e2e.test.ts for Gmail), with the built extension: create a deal from the conversation in one
 * click, answer its criteria inline, follow the next step (the recap opens the host's reply, filled in), be
 * warned (warn gate) moving on early while the Demo stage's automation enrolls the champion, see the deal's
 * fix-it in the queue and watch it leave by itself once its flag clears, and be refused (require gate).
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

export interface DealsHost {
  /** Screenshot prefix and sequence id: `gmail`, `outlook`. */
  name: string;
  title: string;
  provider: 'gmail' | 'graph';
  openThread(world: InboxWorld): Promise<Page>;
  panel(page: Page): Locator;
  /**
   * Runs `open` (the Next step's button), then checks the host's reply it opened: to Ada, on the thread's
   * subject, with the meeting template's text filled in.
   */
  replyOpened(world: InboxWorld, open: () => Promise<void>): Promise<void>;
}

/**
 * The default playbook with the given gate, its Demo automation enrolling the champion in the host's sequence;
 * without the "single-threaded" note, which a two-person deal keeps raising (the fix-it then stays for it).
 */
function playbook(host: DealsHost, gate: Playbook['gate']): Playbook {
  const p = defaultPlaybook();
  p.gate = gate;
  p.rules = p.rules.filter((r) => r.id !== 'single-threaded');
  const auto = p.stages.find((s) => s.id === 'demo')!.automations[0]!;
  auto.enabled = true;
  if (auto.action.type === 'enroll') auto.action.sequenceId = introSequence(host).id;
  return p;
}

/** The recap/meeting template's text (the default playbook's Discovery recommended action). */
export const MEETING_TEXT = 'Would 30 minutes';

export function dealsScenario(host: DealsHost, world: InboxWorld): void {
  const shot = (page: Page, n: number, what: string) =>
    page.screenshot({ path: `${SHOTS}/${host.name}-deals-${n}-${what}.png` });
  const panel = () => host.panel(world.page);
  const card = () => panel().locator('[data-deal-id]');
  const criterion = (id: string) => card().locator(`[data-criterion="${id}"]`);

  it(`creates a deal for the ${host.title} conversation’s company in one click`, async () => {
    const options = await connectSandboxMailbox(world.browser, world.sandbox, REP, host.provider);
    await options.close();
    await world.browser.worker.evaluate(
      async ([s, p]) => {
        await __threadline.db.sequences.put(s);
        await __threadline.db.playbooks.put(p);
      },
      [introSequence(host), playbook(host, 'warn')] as const,
    );
    world.page = await host.openThread(world);
    const create = panel().getByRole('button', { name: 'Create a deal for Acme' });
    await expect.poll(() => create.count(), { timeout: 15_000 }).toBe(1);
    await create.click();
    await expect
      .poll(() => card().getByRole('heading', { name: 'Deal: Acme' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await criterion('discovery-pain').getAttribute('data-met')).toBe('false');
    await shot(world.page, 1, 'created');
    expect(await seriousViolationsIn(world.page, 'threadline-panel')).toEqual([]);
  });

  it('answers the criteria inline, and the next step opens a new message filled in', async () => {
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
    await world.page.keyboard.type('Two days a month per analyst');
    await world.page.keyboard.press('Enter');
    await expect
      .poll(() => criterion('discovery-metrics').getAttribute('data-met'), { timeout: 10_000 })
      .toBe('true');
    await card()
      .getByRole('combobox', { name: /^Role: Ben/ })
      .selectOption('champion');
    await expect
      .poll(() => criterion('discovery-champion').getAttribute('data-met'), { timeout: 10_000 })
      .toBe('true');
    // Every criterion met: the stage's recommended action (book the meeting), done by the button: a new
    // message in the host's compose opens with the template filled in, said so, nothing to copy.
    await expect.poll(() => card().locator('[data-next-step="action"]').count(), { timeout: 10_000 }).toBe(1);
    await host.replyOpened(world, () => card().getByRole('button', { name: 'Do it' }).click());
    await expect
      .poll(() => card().getByRole('alert').textContent(), { timeout: 10_000 })
      .toContain(`a new message to ${ADA}, subject “Re: Acme hiring plans”, is open`);
    expect(
      await card()
        .getByRole('textbox', { name: /Your message/ })
        .count(),
    ).toBe(0);
    await shot(world.page, 2, 'next-step-reply');
  });

  it('warns when moving past unmet criteria (warn gate), and entering Demo enrolls the champion', async () => {
    await world.page.bringToFront();
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
    expect(enrolled.map((e) => [e.sequenceId, e.status])).toEqual([[introSequence(host).id, 'active']]);
    await shot(world.page, 3, 'warned-and-enrolled');
  });

  it('puts the deal’s fix-it in the queue, which leaves by itself once the flag clears', async () => {
    // In Demo nobody is the economic buyer: an error flag, and the deal's fix-it in the rep's queue.
    const side = await world.browser.context.newPage();
    await side.setViewportSize({ width: 400, height: 900 });
    await side.goto(sidePanelUrl(world.browser));
    const item = side.locator('[data-testid="fix-it-item"]').filter({ hasText: 'Acme' });
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    expect(await item.textContent()).toContain('No contact has the role economic buyer');
    await shot(side, 4, 'fix-it-in-queue');
    // The rep names Ada the economic buyer in the thread panel; the queue, refreshed, no longer has it.
    await world.page.bringToFront();
    await card()
      .getByRole('combobox', { name: /^Role: Ada/ })
      .selectOption('economic_buyer');
    await expect
      .poll(() => card().locator('[data-rule="no-economic-buyer"]').count(), { timeout: 10_000 })
      .toBe(0);
    await side.bringToFront();
    await expect
      .poll(
        async () => {
          await side.evaluate(() => window.dispatchEvent(new Event('focus')));
          return item.count();
        },
        { timeout: 15_000 },
      )
      .toBe(0);
    await shot(side, 5, 'fix-it-gone');
    await side.close();
  });

  it('refuses moving too early when the pipeline requires the criteria, naming them', async () => {
    await world.page.bringToFront();
    await world.browser.worker.evaluate((p) => __threadline.db.playbooks.put(p), playbook(host, 'require'));
    await card().getByRole('button', { name: 'Move to Proposal' }).click();
    const alert = card().getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('Not moved.');
    expect(await alert.textContent()).toContain('The demo is held');
    expect(await card().getByText('Demo', { exact: true }).getAttribute('aria-current')).toBe('step');
    expect(await alert.getByRole('button', { name: 'Override and move' }).count()).toBe(1);
    await shot(world.page, 6, 'refused');
    expect(await seriousViolationsIn(world.page, 'threadline-panel')).toEqual([]);
  });
}
