/**
 * thread_panel_crm_ms and its companions (`npm run bench`, part `crm`, when the test build is there): the
 * built extension in Chromium on the Outlook fixture, signed in to a real backend over HTTP, HubSpot in the
 * sandbox (tests/e2e/support/crm-world.ts). Timed inside the page from the first frame (an init script polls
 * every animation frame):
 * - panel_first_paint_no_crm_ms: DOMContentLoaded → the thread panel's first button (the participants'
 *   list), the team signed in but without HubSpot connected; median of 10 opens after a first one.
 * - panel_first_paint_crm_ms: the same once HubSpot is connected (the CRM lookup runs beside it): the panel
 *   must not paint later.
 * - thread_panel_crm_ms: from that first paint to the CRM section showing the contact's record, the
 *   backend's minute-long cache expired before each open (every open asks HubSpot: contacts, their deals'
 *   links, the deals); median of 10.
 * - thread_panel_crm_cached_ms: the same, reopened within the minute (the backend asks HubSpot nothing).
 * - calib_page_ms: the yardstick in the same Outlook page (calibInPage), median of 5.
 */
import type { Page } from 'playwright-core';
import {
  connectHubSpot,
  openThread,
  signInBackend,
  startCrmWorld,
  stopCrmWorld,
  timePanels,
  type CrmWorld,
} from '../../tests/e2e/support/crm-world';
import { calibInPage, median, round } from './common';

const OPENS = 10;
type Timing = { panel?: number; crm?: number };

async function open(world: CrmWorld, page: Page, withCrm: boolean): Promise<Required<Timing>> {
  await openThread(world, page);
  // Source text, not functions: tsx would add name helpers the page does not have.
  await page.waitForFunction(
    withCrm
      ? 'window.__crmTiming?.crm !== undefined'
      : "window.__crmTiming?.panel !== undefined && !document.querySelector('threadline-panel')?.shadowRoot?.querySelector('[data-crm]')",
    undefined,
    { polling: 100, timeout: 30_000 },
  );
  const t = (await page.evaluate('window.__crmTiming')) as Timing;
  return { panel: t.panel ?? NaN, crm: t.crm ?? NaN };
}

export async function measureCrmPanel(): Promise<Record<string, number>> {
  const world = await startCrmWorld();
  try {
    await timePanels(world);
    await signInBackend(world);
    const page = await world.browser.context.newPage();
    const without: number[] = [];
    for (let i = 0; i <= OPENS; i++) {
      const t = await open(world, page, false);
      if (i > 0) without.push(t.panel);
    }
    await connectHubSpot(world);
    const panel: number[] = [];
    const crm: number[] = [];
    for (let i = 0; i <= OPENS; i++) {
      world.server.advance(61_000); // the backend's per-address cache expires: HubSpot is asked
      const t = await open(world, page, true);
      if (i > 0) {
        panel.push(t.panel);
        crm.push(t.crm);
      }
    }
    const cached: number[] = [];
    for (let i = 0; i < OPENS; i++) cached.push((await open(world, page, true)).crm);
    const calib: number[] = [];
    for (let i = 0; i < 5; i++) calib.push(await calibInPage(page));
    return {
      calib_page_ms: round(median(calib), 2),
      panel_first_paint_no_crm_ms: round(median(without), 1),
      panel_first_paint_crm_ms: round(median(panel), 1),
      thread_panel_crm_ms: round(median(crm), 1),
      thread_panel_crm_cached_ms: round(median(cached), 1),
    };
  } finally {
    await stopCrmWorld(world);
  }
}
