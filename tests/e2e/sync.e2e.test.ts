import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { serveApp, type RunningServer } from '../../server/serve';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { connectSandboxMailbox, sequenceRow } from './support/scenario';

/**
 * The extension in Chromium signs in to a real backend over HTTP through the options page: the sandbox is the
 * OpenID issuer (launchWebAuthFlow, PKCE, a signed ID token with the backend's nonce), then a sequence saved
 * on this device reaches the backend's database with "Sync now", and the page says nothing is waiting. With
 * the backend stopped, an email due is held (no lease) and the side panel says so until the backend is back.
 */
type Handle = {
  db: {
    sequences: { put(x: unknown): Promise<unknown> };
    enrollments: { where(index: string): { equals(v: string): { modify(c: object): Promise<number> } } };
  };
  deps: unknown;
  host: { tick(): Promise<unknown> };
  sync: { syncNow(): Promise<unknown> };
  enrollContacts(deps: unknown, req: unknown): Promise<{ enrolled: unknown[]; rejected: unknown[] }>;
};
declare const __threadline: Handle;

const SCREENSHOTS = 'tests/e2e/screenshots';
/** One email step that goes as soon as the contact is enrolled. */
const EMAIL_NOW = {
  id: 'm1',
  type: 'auto_email',
  delay: { value: 0, unit: 'minutes' },
  subject: 'Hello {{contact.firstName}}',
  body: '<p>Hi</p>',
  threadWithPrevious: true,
  variants: [],
};
let browser: ExtensionBrowser;
let sandbox: Sandbox;
let server: TestServer;
let http: RunningServer;
beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox('lee@demo.example', 'gmail');
  server = await createTestServer({ issuers: [{ issuer: sandbox.url, audiences: ['threadline-demo'] }] });
  http = await serveApp(server.app, { port: 0, hostname: '127.0.0.1' });
  browser = await launchWithExtension();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await http?.stop();
  await server?.close();
  await sandbox?.stop();
});

describe('team & sync from the options page', () => {
  it('signs in to the backend with the sandbox’s OpenID issuer and syncs a sequence to it', async () => {
    const page = await connectSandboxMailbox(browser, sandbox, 'lee@demo.example', 'gmail');
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings/backend`);
    await page.getByLabel('Backend address').fill(http.url);
    await page.getByText('Demo: sign in with a mailbox of the mail sandbox').click();
    await expect.poll(() => page.getByLabel('Sandbox mailbox').inputValue()).toBe('lee@demo.example');
    await page.getByRole('button', { name: 'Sign in with the sandbox mailbox' }).click();
    await expect
      .poll(() => page.getByTestId('backend-user').textContent(), { timeout: 20_000 })
      .toBe(`Signed in as lee@demo.example (admin) at ${http.url}.`);

    await browser.worker.evaluate(
      (seq) => __threadline.db.sequences.put(seq),
      sequenceRow('seq-synced', 'Synced follow-up', [
        { id: 'a', type: 'todo', delay: { value: 0, unit: 'days' }, title: 'Look them up', notes: '' },
      ]),
    );
    await page.getByRole('button', { name: 'Sync now' }).click();
    // The server's database is the proof; the page's count of waiting changes follows.
    const synced = async () => {
      const rows = await server.database.db
        .selectFrom('entities')
        .select(['id', 'data'])
        .where('kind', '=', 'sequence')
        .where('id', '=', 'seq-synced')
        .execute();
      return (rows[0]?.data as { name?: string } | undefined)?.name;
    };
    await expect.poll(synced, { timeout: 20_000 }).toBe('Synced follow-up');
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 20_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('team').textContent()).toContain('lee@demo.example');
    // The sticky tab bar would cover the top of an element screenshot.
    await page.addStyleTag({ content: '.tl-options-header { position: static }' });
    await page.locator('#settings-backend').screenshot({ path: `${SCREENSHOTS}/options-team-sync.png` });
  }, 120_000);

  it('shows the team’s analytics from the backend once the first email has gone out and synced', async () => {
    const page = browser.context.pages().find((p) => p.url().includes('options.html'))!;
    const report = await browser.worker.evaluate(
      async (seq) => {
        const t = __threadline;
        await t.db.sequences.put(seq);
        const r = await t.enrollContacts(t.deps, {
          sequenceId: 'seq-mailed',
          contacts: [{ email: 'ada@buyer.example', firstName: 'Ada' }],
        });
        await t.host.tick();
        return r;
      },
      sequenceRow('seq-mailed', 'Mailed follow-up', [EMAIL_NOW]),
    );
    expect(report.rejected).toEqual([]);
    expect(sandbox.sent('lee@demo.example')).toHaveLength(1);
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings/backend`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const sentOnServer = async () =>
      (
        await server.database.db.selectFrom('entities').select('data').where('kind', '=', 'event').execute()
      ).filter((r) => (r.data as { type?: string } | null)?.type === 'sent').length;
    await expect.poll(sentOnServer, { timeout: 20_000 }).toBe(1);

    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/analytics`);
    await expect.poll(() => page.getByText('Your team’s results.').count(), { timeout: 20_000 }).toBe(1);
    const kpi = (key: string) => page.getByTestId(`kpi-${key}`).locator('.tla-kpi-value').textContent();
    await expect.poll(() => kpi('enrolled'), { timeout: 20_000 }).toBe('1');
    expect(await kpi('sent')).toBe('1');
    await page.screenshot({ path: `${SCREENSHOTS}/options-analytics-from-backend.png` });
    await page.close();
  }, 120_000);

  it('holds sends while the backend is down, says so in the side panel, and sends once it is back', async () => {
    const port = Number(new URL(http.url).port);
    await http.stop();
    await browser.worker.evaluate(
      async (seq) => {
        const t = __threadline;
        await t.db.sequences.put(seq);
        await t.enrollContacts(t.deps, {
          sequenceId: 'seq-held',
          contacts: [{ email: 'bea@buyer.example', firstName: 'Bea' }],
        });
        await t.host.tick();
      },
      sequenceRow('seq-held', 'Held follow-up', [EMAIL_NOW]),
    );
    expect(sandbox.sent('lee@demo.example')).toHaveLength(1);

    const side = await browser.context.newPage();
    await side.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    const banner = side.getByRole('status').filter({ hasText: 'Sends are on hold' });
    await expect
      .poll(() => banner.textContent(), { timeout: 20_000 })
      .toMatch(
        new RegExp(
          `this computer can’t reach your team’s backend at ${http.url} since \\d+:\\d\\d\\. 1 email due`,
        ),
      );
    await banner.screenshot({ path: `${SCREENSHOTS}/sidepanel-sends-on-hold.png` });
    const [options] = await Promise.all([
      browser.context.waitForEvent('page'),
      side.getByRole('button', { name: 'Open Team & sync' }).click(),
    ]);
    await expect.poll(() => options.url()).toContain('options.html#/settings/backend');
    await options.close();

    // The backend is back at the same address: the next sync reaches it and the banner goes.
    http = await serveApp(server.app, { port, hostname: '127.0.0.1' });
    await browser.worker.evaluate(() => __threadline.sync.syncNow());
    await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
    // The held email is looked at again a minute after the failed lease; move that minute on rather than wait.
    await browser.worker.evaluate(async () => {
      await __threadline.db.enrollments.where('sequenceId').equals('seq-held').modify({ dueAt: Date.now() });
      await __threadline.host.tick();
    });
    await expect.poll(() => sandbox.sent('lee@demo.example').length, { timeout: 20_000 }).toBe(2);
    await side.close();
  }, 120_000);
});
