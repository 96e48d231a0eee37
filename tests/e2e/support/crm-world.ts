import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { MAIL_HOSTS, mailHostOf } from '../../../lib/hosts/mail-hosts';
import { serveApp, type RunningServer } from '../../../server/serve';
import { crmSandboxForTests } from '../../../server/testing/crm';
import { createTestServer, type TestServer } from '../../../server/testing/harness';
import type { HubSpotSandbox } from '../../../tools/sandbox/hubspot/server';
import { startSandbox, type Sandbox } from '../../../tools/sandbox/server';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { ADA, ADA_OPENS, BEN, REP } from './inbox-scenario';
import { gmailFixtureHtml } from './inboxsdk-double';

/**
 * The thread panel's CRM section end to end (the e2e test and the benchmark): the built extension in
 * Chromium on the Outlook fixture, a mailbox of the mail sandbox, a real backend over HTTP signed in to with
 * the sandbox mailbox, and the HubSpot sandbox holding Ada (owner Riley, an open deal) and Ben (no deal).
 */
export type CrmHost = 'outlook' | 'gmail';

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

const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
export const OUTLOOK = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;
export const DEAL_NAME = 'Acme analytics rollout';

declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };

/** Gmail's page: the InboxSDK double's fixture with the same conversation (as tests/e2e/gmail.e2e.test.ts). */
function gmailFixture(thread: string): string {
  const riley = { name: 'Riley Chen', emailAddress: REP };
  const ada = { name: 'Ada Lovelace', emailAddress: ADA };
  const ben = { name: 'Ben Okafor', emailAddress: BEN };
  return gmailFixtureHtml({
    user: riley,
    threads: [
      {
        id: thread,
        subject: 'Acme hiring plans',
        messages: [
          { from: riley, to: [ada], date: 'Nov 16', body: '<p>Hi Ada, great to meet you at the summit.</p>' },
          { from: ada, to: [riley], cc: [ben], date: 'Nov 17', body: '<p>Looping in Ben.</p>' },
        ],
      },
    ],
  });
}

export async function startCrmWorld(host: CrmHost = 'outlook'): Promise<CrmWorld> {
  const kind = host === 'gmail' ? 'gmail' : 'graph';
  const sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, kind);
  const opened = await sandbox.inject(REP, ADA_OPENS);
  const fixture =
    host === 'gmail'
      ? gmailFixture(opened.threadId)
      : fs
          .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
          .replaceAll(FIXTURE_CONV, opened.threadId);
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
  const server = await createTestServer({
    issuers: [{ issuer: sandbox.url, audiences: ['threadline-demo'] }],
    crm: config,
  });
  const http = await serveApp(server.app, { port: 0, hostname: '127.0.0.1' });
  const browser = await launchWithExtension();
  // The mail host is the fixture; the sandboxes and the backend (127.0.0.1) are the only other hosts reachable.
  await browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    const mail =
      host === 'gmail'
        ? url.hostname === 'mail.google.com'
        : mailHostOf(url.href, MAIL_HOSTS)?.kind === 'outlook';
    if (mail) return route.fulfill({ contentType: 'text/html', body: fixture });
    if (url.hostname === '127.0.0.1') return route.continue();
    return route.abort();
  });
  const options = await connectMailbox(browser, sandbox, kind);
  return { host, browser, sandbox, hs, server, http, thread: opened.threadId, adaId, dealId, options };
}

/** The rep's mailbox connected through the options page (support/scenario.ts's steps, without vitest). */
async function connectMailbox(
  browser: ExtensionBrowser,
  sandbox: Sandbox,
  kind: 'gmail' | 'graph',
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings`);
  await page.getByText('Demo: connect a mailbox of the mail sandbox').click();
  await page.getByLabel('Sandbox URL').fill(sandbox.url);
  await page.getByLabel('Mailbox', { exact: true }).fill(REP);
  await page.getByLabel('Kind').selectOption(kind);
  await page.getByRole('button', { name: 'Connect sandbox mailbox' }).click();
  await page.getByTestId('account-mailbox').filter({ hasText: REP }).waitFor({ timeout: 20_000 });
  return page;
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
  const p = page ?? (await world.browser.context.newPage());
  if (!page) await p.setViewportSize({ width: 1440, height: 900 });
  await p.goto(
    world.host === 'gmail'
      ? `https://mail.google.com/mail/u/0/#inbox/${world.thread}`
      : `${OUTLOOK}/mail/inbox/id/${encodeURIComponent(world.thread)}`,
  );
  return p;
}

/** The thread panel in the host's page. */
export const panelIn = (world: CrmWorld, page: Page) =>
  page.locator(world.host === 'gmail' ? '[aria-label="Threadline"] threadline-panel' : 'threadline-panel');

export async function stopCrmWorld(world: Partial<CrmWorld>): Promise<void> {
  await world.browser?.close();
  await world.http?.stop();
  await world.server?.close();
  await world.hs?.stop();
  await world.sandbox?.stop();
}
