import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolationsIn } from './support/axe';
import {
  connectHubSpot,
  DEAL_NAME,
  openThread,
  panelIn,
  signInBackend,
  startCrmWorld,
  stopCrmWorld,
  type CrmWorld,
} from './support/crm-world';
import { ADA, BEN, SHOTS } from './support/inbox-scenario';

/**
 * The thread panel's HubSpot section in Chromium with the built extension, on the Outlook fixture: a real
 * backend over HTTP (signed in to with the sandbox mailbox) and the HubSpot sandbox. Without a backend and
 * without a connection the panel shows its participants and nothing of HubSpot; once the admin connects,
 * the same thread shows Ada's HubSpot contact (owner, lifecycle stage, last activity, link) and her open deal
 * with its stage, and Ben as a contact without deals; the deal card names the HubSpot deal's stage; enrolling
 * Ben fills his company, title and time zone from HubSpot and says so.
 */
let world: CrmWorld;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  world = await startCrmWorld();
}, 120_000);
afterAll(async () => {
  await stopCrmWorld(world ?? {});
});

const panel = () => page.locator('threadline-panel');
const participants = () => panel().getByRole('checkbox');

async function panelPainted() {
  await expect
    .poll(
      () =>
        panel()
          .getByRole('button', { name: /Enroll/ })
          .count(),
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
}

describe('HubSpot in the Outlook thread panel', () => {
  it('shows nothing of HubSpot without a backend, nor when the team has not connected it', async () => {
    page = await openThread(world);
    await panelPainted();
    // The section loads after the panel paints: wait until it has answered "no backend", then nothing shows.
    const answered = (state: string) => panel().locator(`[data-crm-state="${state}"]`).count();
    await expect.poll(() => answered('no_backend'), { timeout: 20_000 }).toBe(1);
    expect(await panel().locator('[data-crm]').count()).toBe(0);
    await signInBackend(world);
    await page.reload();
    await panelPainted();
    // The lookup answered "not connected": the section stays away, no error shown.
    await expect.poll(() => answered('not_connected'), { timeout: 20_000 }).toBe(1);
    expect(await panel().locator('[data-crm]').count()).toBe(0);
    expect(
      await panel()
        .getByText(/HubSpot could not be read/)
        .count(),
    ).toBe(0);
  }, 60_000);

  it('shows each participant’s HubSpot contact and open deals once connected', async () => {
    await connectHubSpot(world);
    await page.reload();
    await panelPainted();
    const section = panel().getByRole('region', { name: 'HubSpot' });
    const ada = section.locator(`[data-crm-contact="${world.adaId}"]`);
    await expect.poll(() => ada.count(), { timeout: 20_000 }).toBe(1);
    const link = ada.getByRole('link', { name: 'Ada Lovelace in HubSpot (opens a new tab)' });
    expect(await link.getAttribute('href')).toBe(
      `https://app.hubspot.com/contacts/${world.hs.portalId}/record/0-1/${world.adaId}`,
    );
    const text = (await ada.textContent()) ?? '';
    expect(text).toContain('Head of Data, Acme Analytics');
    expect(text).toContain('Riley Chen');
    expect(text).toContain('Opportunity');
    expect(text).toContain('30 Nov 2026');
    const deal = ada.locator(`[data-crm-deal="${world.dealId}"]`);
    expect(await deal.getByRole('link', { name: DEAL_NAME }).getAttribute('href')).toBe(
      `https://app.hubspot.com/contacts/${world.hs.portalId}/record/0-3/${world.dealId}`,
    );
    expect(await deal.textContent()).toContain('Presentation Scheduled (Sales Pipeline)');
    const ben = section.locator('[data-crm-contact]').filter({ hasText: 'Ben Okafor' });
    expect(await ben.textContent()).toContain('No open deals');
    expect(await ben.textContent()).toContain('Lead');
    // The participants' list is there as before.
    expect(await participants().count()).toBeGreaterThan(0);
    await ada.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/crm-panel-outlook.png` });
    expect(await seriousViolationsIn(page, 'threadline-panel')).toEqual([]);
  }, 60_000);

  it('shows the HubSpot deal’s stage, with its link, in the thread’s deal card', async () => {
    await panel().getByRole('button', { name: 'Create a deal for Acme' }).click();
    const line = panel().locator(`[data-deal-id] [data-crm-deal-line="${world.dealId}"]`);
    await expect.poll(() => line.count(), { timeout: 20_000 }).toBe(1);
    expect(await line.textContent()).toContain('In HubSpot: Presentation Scheduled (Sales Pipeline)');
    expect(await line.getByRole('link').getAttribute('href')).toBe(
      `https://app.hubspot.com/contacts/${world.hs.portalId}/record/0-3/${world.dealId}`,
    );
  }, 60_000);

  it('enrolling takes the details the thread lacks from HubSpot and says so', async () => {
    const row = panel().locator('li').filter({ hasText: BEN }).first();
    await row.getByRole('button', { name: /Enroll/ }).click();
    const note = panel().locator('[data-crm="filled"]');
    await expect.poll(() => note.count(), { timeout: 20_000 }).toBe(1);
    const said = (await note.textContent()) ?? '';
    expect(said).toContain('Filled in from HubSpot');
    expect(said).toContain('Ben Okafor: company, title, time zone');
    // Filled in and still the rep's to correct: HubSpot's values are in the form, each marked as HubSpot's.
    expect(await panel().getByRole('textbox', { name: 'Company', exact: true }).inputValue()).toBe(
      'Acme Analytics',
    );
    expect(await panel().getByRole('textbox', { name: 'Title', exact: true }).inputValue()).toBe(
      'Data Team Lead',
    );
    expect(await panel().locator('[data-crm-filled="crm"]').count()).toBe(3);
    expect(said).not.toContain(ADA);
    await page.screenshot({ path: `${SHOTS}/crm-panel-enroll.png` });
  }, 60_000);
});

describe('HubSpot in the Gmail thread panel (InboxSDK double)', () => {
  let gmail: CrmWorld;
  afterAll(async () => {
    await stopCrmWorld(gmail ?? {});
  });

  it('shows Ada’s HubSpot contact and open deal in Gmail’s sidebar once connected', async () => {
    gmail = await startCrmWorld('gmail');
    await signInBackend(gmail);
    await connectHubSpot(gmail);
    const tab = await openThread(gmail);
    const section = panelIn(gmail, tab).getByRole('region', { name: 'HubSpot' });
    const ada = section.locator(`[data-crm-contact="${gmail.adaId}"]`);
    await expect.poll(() => ada.count(), { timeout: 30_000 }).toBe(1);
    expect(await ada.textContent()).toContain('Riley Chen');
    expect(await ada.locator(`[data-crm-deal="${gmail.dealId}"]`).textContent()).toContain(
      'Presentation Scheduled (Sales Pipeline)',
    );
    await ada.scrollIntoViewIfNeeded();
    await tab.screenshot({ path: `${SHOTS}/crm-panel-gmail.png` });
    expect(await seriousViolationsIn(tab, '[aria-label="Threadline"] threadline-panel')).toEqual([]);
  }, 120_000);
});
