import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemoCrm } from '../../scripts/demo-setup';
import { createCrmWorker } from '../../server/crm/worker';
import { createLogger } from '../../server/log';
import type { RunningServer } from '../../server/serve';
import { crmSandboxForTests, TEST_CRM_CALLBACK } from '../../server/testing/crm';
import type { TestServer } from '../../server/testing/harness';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import type { Sandbox } from '../../tools/sandbox/server';
import { seriousViolationsIn } from './support/axe';
import { signInFromOptions, startBackend, stopBackend } from './support/backend';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { optionsUrl, unstickHeader } from './support/extension-pages';
import { connectSandboxMailbox, sequenceRow } from './support/scenario';

/**
 * Settings → CRM in Chromium against a real backend and the HubSpot sandbox: an admin signs in, connects
 * HubSpot through the sandbox's consent page (the OAuth code flow through the backend), sees the connection,
 * maps a rep to a HubSpot owner, sees an email HubSpot refused with HubSpot's own message and clears it with
 * Retry, disconnects, and connects again with a private app's token.
 */
type Handle = {
  db: { sequences: { put(x: unknown): Promise<unknown> } };
  deps: unknown;
  host: { tick(): Promise<unknown> };
  enrollContacts(deps: unknown, req: unknown): Promise<{ enrolled: unknown[]; rejected: unknown[] }>;
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';
const ADMIN = 'lee@demo.example';
const REFUSAL = 'Property values were not valid: hs_email_subject is longer than this portal allows';
let browser: ExtensionBrowser;
let sandbox: Sandbox;
let hs: HubSpotSandbox;
let server: TestServer;
let http: RunningServer;
let worker: ReturnType<typeof createCrmWorker>;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const crm = await crmSandboxForTests();
  hs = crm.hs;
  hs.addOwner({ email: ADMIN, firstName: 'Lee', lastName: 'Admin' });
  ({ sandbox, server, http } = await startBackend({ mailbox: ADMIN, kind: 'gmail', crm: crm.config }));
  // The backend's worker that logs to HubSpot, run a round at a time here.
  worker = createCrmWorker({
    db: server.database.db,
    log: createLogger('silent'),
    now: server.now,
    config: crm.config,
  });
  browser = await launchWithExtension();
  // The test backend's public address (where HubSpot sends the admin back) is not a real host: HubSpot's
  // redirect there is pointed at the backend listening here (a redirect's target is not itself routed).
  const publicOrigin = new URL(TEST_CRM_CALLBACK).origin;
  await browser.context.route(`${hs.url}/oauth/authorize/consent`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers()['location'] ?? '';
    if (!location.startsWith(publicOrigin)) return route.fulfill({ response });
    return route.fulfill({
      status: response.status(),
      headers: { location: `${http.url}${location.slice(publicOrigin.length)}` },
    });
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopBackend({ http, server, sandbox });
  await hs?.stop();
});

const section = () => page.getByRole('region', { name: 'CRM (HubSpot)' });
const connection = () =>
  server.database.db
    .selectFrom('crm_connections' as never)
    .selectAll()
    .execute();

describe('Settings → CRM in Chromium', () => {
  it('explains the CRM bridge is a team feature until the rep signs in to the backend', async () => {
    page = await connectSandboxMailbox(browser, sandbox, ADMIN, 'gmail');
    await page.goto(optionsUrl(browser, '/settings/crm'));
    await expect.poll(() => section().getByTestId('crm-team-feature').textContent()).toMatch(/team feature/);
    await section().getByRole('link', { name: 'Settings → Team & sync' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/settings\/backend$/);
  }, 60_000);

  it('connects HubSpot with OAuth through the sandbox’s consent page', async () => {
    await signInFromOptions(page, browser, http.url, ADMIN);

    await page.goto(optionsUrl(browser, '/settings/crm'));
    await expect
      .poll(() => section().getByTestId('crm-not-connected').isVisible(), { timeout: 20_000 })
      .toBe(true);
    const consent = browser.context.waitForEvent('page');
    await section().getByRole('button', { name: 'Connect with HubSpot' }).click();
    const hubspot = await consent;
    await hubspot.waitForLoadState();
    expect(hubspot.url().startsWith(`${hs.url}/oauth/authorize?`)).toBe(true);
    await hubspot.getByRole('button', { name: 'Connect app' }).click();
    await expect
      .poll(() => hubspot.getByRole('heading', { level: 1 }).textContent())
      .toBe('HubSpot is connected');
    await hubspot.close();

    await page.bringToFront();
    await expect
      .poll(() => section().getByTestId('crm-portal').textContent(), { timeout: 20_000 })
      .toBe(String(hs.portalId));
    expect(await section().getByTestId('crm-kind').textContent()).toBe('the Threadline HubSpot app (OAuth)');
    expect(await section().getByTestId('crm-last-sync').textContent()).toBe('never');
    expect(await connection()).toHaveLength(1);
  }, 120_000);

  it('shows the rep matched to a HubSpot owner by email, and the admin maps another', async () => {
    const select = section().getByLabel(`HubSpot owner for ${ADMIN}`);
    await expect
      .poll(async () => (await select.locator('option:checked').textContent()) ?? '', { timeout: 20_000 })
      .toBe(`Lee Admin <${ADMIN}>`);
    expect(await section().getByTestId('crm-owner-row').textContent()).toContain('matched by email');
    const other = hs.addOwner({ email: 'pat.owner@demo.example', firstName: 'Pat', lastName: 'Owner' });
    // A new HubSpot owner shows after a reload of the page.
    await page.reload();
    await section().getByLabel(`HubSpot owner for ${ADMIN}`).selectOption(other.id);
    await expect
      .poll(() => section().getByTestId('crm-owner-row').textContent(), { timeout: 20_000 })
      .toContain('set by an admin');
    const rows = await server.database.db
      .selectFrom('crm_owner_map' as never)
      .selectAll()
      .execute();
    expect(rows).toMatchObject([{ owner_id: other.id, edited: true }]);
  }, 60_000);

  it('shows an email HubSpot refused with HubSpot’s own message, and Retry logs it once', async () => {
    hs.seed('contacts', { email: 'ada@buyer.example', firstname: 'Ada' });
    hs.fault({
      route: 'POST /crm/v3/objects/emails/batch/create',
      kind: 'status',
      status: 400,
      body: {
        status: 'error',
        message: REFUSAL,
        correlationId: 'c0ffee00-0000-4000-8000-000000000001',
        category: 'VALIDATION_ERROR',
      },
    });
    const report = await browser.worker.evaluate(
      async (seq) => {
        const t = __threadline;
        await t.db.sequences.put(seq);
        const r = await t.enrollContacts(t.deps, {
          sequenceId: 'seq-crm',
          contacts: [{ email: 'ada@buyer.example', firstName: 'Ada' }],
        });
        await t.host.tick();
        return r;
      },
      sequenceRow('seq-crm', 'CRM follow-up', [
        {
          id: 'm1',
          type: 'auto_email',
          delay: { value: 0, unit: 'minutes' },
          subject: 'Hello {{contact.firstName}}',
          body: '<p>Hi</p>',
          threadWithPrevious: true,
          variants: [],
        },
      ]),
    );
    expect(report.rejected).toEqual([]);
    expect(sandbox.sent(ADMIN)).toHaveLength(1);
    await page.goto(optionsUrl(browser, '/settings/backend'));
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 20_000 }).toBe('0');
    await expect.poll(async () => (await worker.runOnce()).failed, { timeout: 20_000 }).toBe(1);

    await page.goto(optionsUrl(browser, '/settings/crm'));
    const failure = section().getByTestId('crm-failure');
    await expect.poll(() => failure.textContent(), { timeout: 20_000 }).toContain(REFUSAL);
    expect(await section().getByTestId('crm-failed').textContent()).toBe('1');
    expect(hs.records('emails')).toHaveLength(0);
    // The sticky tab bar would cover the top of an element screenshot.
    await unstickHeader(page);
    await page.locator('#settings-crm').screenshot({ path: `${SCREENSHOTS}/settings-crm.png` });
    // Connected, with a failure, the options, the deal mapping and the owners: axe finds nothing serious.
    expect(await seriousViolationsIn(page, '#settings-crm')).toEqual([]);

    await failure.getByRole('button', { name: /^Retry email / }).click();
    await expect
      .poll(() => section().getByTestId('crm-notice').textContent(), { timeout: 20_000 })
      .toBe('1 activity queued again.');
    expect((await worker.runOnce()).logged).toBe(1);
    await expect.poll(() => section().getByTestId('crm-logged').textContent(), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => section().getByText('Nothing failed.').count(), { timeout: 20_000 }).toBe(1);
    expect(hs.records('emails')).toHaveLength(1);
    // Another round logs nothing again.
    expect((await worker.runOnce()).logged).toBe(0);
    expect(hs.records('emails')).toHaveLength(1);
  }, 120_000);

  it('disconnects after a confirm, then connects again with a private app’s token', async () => {
    await section().getByRole('button', { name: 'Disconnect HubSpot' }).click();
    await section().getByRole('button', { name: 'Yes, disconnect' }).click();
    await expect
      .poll(() => section().getByTestId('crm-notice').textContent(), { timeout: 20_000 })
      .toBe('HubSpot is disconnected; its tokens are revoked.');
    expect(await connection()).toHaveLength(0);

    await section().getByLabel('Private-app token').fill('pat-na1-not-a-token-of-this-portal');
    await section().getByRole('button', { name: 'Connect with a private-app token' }).click();
    await expect
      .poll(() => section().getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/HubSpot does not know this private-app token/);
    await section().getByLabel('Private-app token').fill(hs.privateAppToken());
    await section().getByRole('button', { name: 'Connect with a private-app token' }).click();
    await expect
      .poll(() => section().getByTestId('crm-kind').textContent(), { timeout: 20_000 })
      .toBe('a private app’s token');
    expect(await section().getByTestId('crm-portal').textContent()).toBe(String(hs.portalId));
    expect(await connection()).toMatchObject([{ kind: 'private_app' }]);
  }, 60_000);

  it('lets npm start’s setup step sign in afresh and reconnect (replacing an earlier run’s session and connection)', async () => {
    const token = hs.privateAppToken();
    await connectDemoCrm(
      { context: browser.context, extensionId: browser.extensionId, sandboxUrl: sandbox.url, mailbox: ADMIN },
      page,
      { backendUrl: http.url, privateAppToken: token },
    );
    expect(await section().getByTestId('crm-kind').textContent()).toBe('a private app’s token');
    const rows = await connection();
    expect(rows).toHaveLength(1);
  }, 60_000);
});
