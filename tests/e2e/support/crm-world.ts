import type { Page } from 'playwright-core';
import type { RunningServer } from '../../../server/serve';
import { crmSandboxForTests } from '../../../server/testing/crm';
import type { TestServer } from '../../../server/testing/harness';
import type { HubSpotSandbox } from '../../../tools/sandbox/hubspot/server';
import type { Sandbox } from '../../../tools/sandbox/server';
import { startBackend, stopBackend } from './backend';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { ADA, ADA_OPENS, BEN, REP } from './inbox-scenario';
import {
  gmailPage,
  openThreadPage,
  outlookPage,
  routeMailHost,
  threadUrl,
  type MailHostKind,
} from './mail-pages';
import { connectSandboxMailbox } from './scenario';

/**
 * The thread panel's CRM section end to end (the e2e test and the benchmark): the built extension in
 * Chromium on the Outlook fixture, a mailbox of the mail sandbox, a real backend over HTTP signed in to with
 * the sandbox mailbox, and the HubSpot sandbox holding Ada (owner Riley, an open deal) and Ben (no deal).
 */
export type CrmHost = MailHostKind;

export interface CrmWorld {
  host: CrmHost;
  browser: ExtensionBrowser;
  sandbox: Sandbox;
  hs: HubSpotSandbox;
  server: TestServer;
  http: RunningServer;
  thread: string;
  adaId: string;
  dealId: string;
  /** The options page (an extension page: it may send the backend messages). */
  options: Page;
}

export const DEAL_NAME = 'Acme analytics rollout';

declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };

export async function startCrmWorld(host: CrmHost = 'outlook'): Promise<CrmWorld> {
  const kind = host === 'gmail' ? 'gmail' : 'graph';
  const { hs, config } = await crmSandboxForTests();
  const owner = hs.addOwner({ email: REP, firstName: 'Riley', lastName: 'Chen' });
  const company = hs.seed('companies', { name: 'Acme Analytics', domain: 'acme.example' });
  const adaId = hs.seed(
    'contacts',
    {
      email: ADA,
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Acme Analytics',
      jobtitle: 'Head of Data',
      lifecyclestage: 'opportunity',
      hubspot_owner_id: owner.id,
      hs_timezone: 'europe_slash_london',
      notes_last_updated: '2026-11-30T10:00:00.000Z',
    },
    [{ type: 'companies', id: company }],
  );
  const dealId = hs.seed(
    'deals',
    { dealname: DEAL_NAME, pipeline: 'default', dealstage: 'presentationscheduled', amount: '24000' },
    [
      { type: 'contacts', id: adaId },
      { type: 'companies', id: company },
    ],
  );
  hs.seed(
    'contacts',
    {
      email: BEN,
      firstname: 'Ben',
      lastname: 'Okafor',
      company: 'Acme Analytics',
      jobtitle: 'Data Team Lead',
      hs_timezone: 'america_slash_new_york',
      lifecyclestage: 'lead',
    },
    [{ type: 'companies', id: company }],
  );
  const { sandbox, server, http } = await startBackend({ mailbox: REP, kind, crm: config });
  const opened = await sandbox.inject(REP, ADA_OPENS);
  const browser = await launchWithExtension();
  await routeMailHost(
    browser,
    host,
    host === 'gmail' ? gmailPage(opened.threadId) : outlookPage(opened.threadId),
  );
  const options = await connectSandboxMailbox(browser, sandbox, REP, kind);
  return { host, browser, sandbox, hs, server, http, thread: opened.threadId, adaId, dealId, options };
}

/** Sends a protocol message from the options page, as its own code does. */
async function send(world: CrmWorld, name: string, request: unknown): Promise<Record<string, unknown>> {
  const reply = (await world.options.evaluate(
    ([n, r]) => chrome.runtime.sendMessage({ threadline: 1, name: n, request: r }),
    [name, request] as const,
  )) as { ok: boolean; data?: Record<string, unknown>; error?: string };
  if (!reply.ok) throw new Error(`${name}: ${reply.error}`);
  return reply.data!;
}

/** The rep signs in to the backend with the sandbox mailbox (Settings → Team & sync's messages). */
export async function signInBackend(world: CrmWorld): Promise<void> {
  await send(world, 'backend.configure', { url: world.http.url });
  await send(world, 'backend.signIn', { provider: 'sandbox', loginHint: REP, sandboxUrl: world.sandbox.url });
}

/** The team's admin (the rep, first of the team) connects HubSpot with a private app's token. */
export async function connectHubSpot(world: CrmWorld): Promise<void> {
  const session = (await send(world, 'backend.session', {})) as { accessToken?: string };
  if (!session.accessToken) throw new Error('not signed in to the backend');
  const res = await world.server.call('POST', '/crm/hubspot/private-app', {
    token: session.accessToken,
    body: { token: world.hs.privateAppToken() },
  });
  if (res.status !== 200) throw new Error(`connecting HubSpot answered ${res.status}`);
}

/**
 * Times each panel paint from inside the page, from its start: `panel` is the DOMContentLoaded→first button
 * of the thread panel (the participants' list), `crm` the time from then to the CRM section showing a
 * contact. Installed in every page of the context before its scripts run.
 */
export async function timePanels(world: CrmWorld): Promise<void> {
  // As source text: a function would be compiled by tsx with name helpers the page does not have.
  await world.browser.context.addInitScript(`(() => {
    const timing = {};
    window.__crmTiming = timing;
    let paint;
    let done = false;
    function tick() {
      if (done) return;
      const root = document.querySelector('threadline-panel')?.shadowRoot;
      const now = performance.now();
      if (paint === undefined && root?.querySelector('button')) {
        paint = now;
        const nav = performance.getEntriesByType('navigation')[0];
        timing.panel = now - (nav?.domContentLoadedEventEnd ?? 0);
      }
      if (paint !== undefined && root?.querySelector('[data-crm-contact]')) {
        timing.crm = now - paint;
        done = true;
        return;
      }
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })();`);
}

/** Opens the conversation in the mail host (the fixture), in a new tab unless given one. */
export async function openThread(world: CrmWorld, page?: Page): Promise<Page> {
  if (!page) return openThreadPage(world.browser, world.host, world.thread);
  await page.goto(threadUrl(world.host, world.thread));
  return page;
}

/** The thread panel in the host's page. */
export const panelIn = (world: CrmWorld, page: Page) =>
  page.locator(world.host === 'gmail' ? '[aria-label="Threadline"] threadline-panel' : 'threadline-panel');

export async function stopCrmWorld(world: Partial<CrmWorld>): Promise<void> {
  await world.browser?.close();
  await stopBackend(world);
  await world.hs?.stop();
}
