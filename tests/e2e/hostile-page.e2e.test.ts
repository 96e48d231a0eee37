import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { serveApp, type RunningServer } from '../../server/serve';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { ALWAYS_OPEN, connectSandboxMailbox } from './support/scenario';

/**
 * What a hostile mail page can do to Threadline, tried for real in Chromium with the built extension: a mailbox
 * of the mail sandbox connected and the rep signed in to a real backend, then Outlook (the dated fixture) open.
 * Code run in the content script's own isolated world (through the DevTools protocol, as a compromised or
 * confused content script would run) reads every storage area it can and finds no credential, and writes
 * another host into `backend` and the account's sandbox address: the background still sends tokens only to
 * the sandbox and the backend. A script of the page itself clicks Enroll and types into the email: nothing
 * happens, while the rep's real clicks enroll.
 */
type Handle = {
  db: {
    sequences: { put(x: unknown): Promise<unknown> };
    enrollments: { toArray(): Promise<{ edits: Record<string, unknown> }[]> };
  };
  accounts: {
    mailFor(m: string): { changesSince(c?: string): Promise<unknown> } | undefined;
    refresh(): Promise<void>;
  };
  sync: { syncNow(): Promise<unknown>; view(): Promise<{ url?: string; user?: unknown }> };
};
declare const __threadline: Handle;
declare const chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>> } } };

const REP = 'riley.chen@northwind.example';
const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
const SEQUENCE = {
  id: 'seq-hostile',
  name: 'Hostile page check',
  ownerId: 'rep',
  sharing: 'private',
  archived: false,
  updatedAt: 0,
  settings: ALWAYS_OPEN,
  steps: [
    {
      id: 's1',
      type: 'auto_email',
      // Nothing leaves during the test: the email is due tomorrow.
      delay: { value: 1, unit: 'days' },
      subject: 'Hello {{contact.firstName}}',
      body: '<p>Hi {{contact.firstName}}, a quick note.</p>',
      threadWithPrevious: true,
      variants: [],
    },
  ],
};

let browser: ExtensionBrowser;
let sandbox: Sandbox;
let server: TestServer;
let backend: RunningServer;
/** Another host on this machine: whatever reaches it was sent where it should not be. */
let attacker: http.Server;
let attackerUrl: string;
const stolen: { url: string; authorization?: string; body: string }[] = [];
let outlook: Page;
let fixture: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, 'graph');
  const opened = await sandbox.inject(REP, {
    from: 'Ada Lovelace <ada.lovelace@acme.example>',
    subject: 'Acme hiring plans',
    text: 'Thanks Riley, looping in Ben who runs our data team.',
  });
  fixture = fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, opened.threadId);
  server = await createTestServer({ issuers: [{ issuer: sandbox.url, audiences: ['threadline-demo'] }] });
  backend = await serveApp(server.app, { port: 0, hostname: '127.0.0.1' });
  attacker = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      stolen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  browser = await launchWithExtension();
  await browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'outlook.office.com')
      return route.fulfill({ contentType: 'text/html', body: fixture });
    return url.hostname === '127.0.0.1' ? route.continue() : route.abort();
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await backend?.stop();
  await server?.close();
  await sandbox?.stop();
  await new Promise((resolve) => attacker?.close(resolve));
});

/** Runs `expression` in the Threadline content script's isolated world of `page` and returns its value. */
async function inContentScript(cdp: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    contextId,
    expression,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(`content script: ${JSON.stringify(exceptionDetails)}`);
  return result.value;
}

/** The isolated world Chromium made for Threadline's content script in `page`. */
async function contentScriptWorld(page: Page): Promise<{ cdp: CDPSession; contextId: number }> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  await expect
    .poll(() => worlds.some((w) => w.auxData?.type === 'isolated' && w.name === 'Threadline'))
    .toBe(true);
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.name === 'Threadline')!;
  return { cdp, contextId: world.id };
}

/**
 * Every token the extension keeps for the mailbox and the backend session, read where the extension keeps them
 * (its credential database; storage.local too, where versions before it kept them, so that this test tells).
 */
const credentialValues = () =>
  browser.worker.evaluate(async () => {
    const found: string[] = [];
    const walk = (v: unknown, key: string) => {
      if (typeof v === 'string' && /token/i.test(key) && v.length > 8) found.push(v);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as object)) walk(x, k);
    };
    walk(await chrome.storage.local.get(null), '');
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const open = indexedDB.open('threadline-credentials');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('items')) return resolve([]);
        const all = db.transaction('items').objectStore('items').getAll();
        all.onsuccess = () => resolve(all.result);
      };
    });
    walk(rows, '');
    return found;
  });

describe('a hostile mail page', () => {
  it('gets the rep’s mailbox connected and signed in to the backend first', async () => {
    const options = await connectSandboxMailbox(browser, sandbox, REP, 'graph');
    await options.goto(`chrome-extension://${browser.extensionId}/options.html#/settings/backend`);
    await options.getByLabel('Backend address').fill(backend.url);
    await options.getByText('Demo: sign in with a mailbox of the mail sandbox').click();
    await expect.poll(() => options.getByLabel('Sandbox mailbox').inputValue()).toBe(REP);
    await options.getByRole('button', { name: 'Sign in with the sandbox mailbox' }).click();
    await expect
      .poll(() => options.getByTestId('backend-user').textContent(), { timeout: 20_000 })
      .toContain(`Signed in as ${REP}`);
    await options.close();
    await browser.worker.evaluate((s) => __threadline.db.sequences.put(s), SEQUENCE);
    // Mailbox access and refresh tokens, the backend's access and refresh tokens.
    expect((await credentialValues()).length).toBeGreaterThanOrEqual(4);
  });

  it('finds no credential in any storage a content script can read', async () => {
    outlook = await browser.context.newPage();
    await outlook.goto('https://outlook.office.com/mail/inbox');
    const { cdp, contextId } = await contentScriptWorld(outlook);
    const dump = (await inContentScript(
      cdp,
      contextId,
      `(async () => {
        const read = async (area) => {
          try { return JSON.stringify(await chrome.storage[area].get(null)); }
          catch (e) { return 'refused: ' + e.message; }
        };
        const dbs = await indexedDB.databases();
        return { local: await read('local'), session: await read('session'), sync: await read('sync'),
          indexedDB: JSON.stringify(dbs), localStorage: JSON.stringify({ ...localStorage }) };
      })()`,
    )) as Record<string, string>;
    const secrets = await credentialValues();
    for (const [where, text] of Object.entries(dump)) {
      for (const secret of secrets) expect(text.includes(secret), `${where} holds a token`).toBe(false);
      expect(text, where).not.toMatch(/"(accounts|backend|tokens:[^"]*)"/);
    }
    expect(dump.indexedDB).not.toContain('threadline-credentials');
    // Chromium also keeps storage.local and storage.session from content scripts altogether.
    expect(dump.local).toMatch(/^refused/);
    expect(dump.session).toMatch(/^refused/);
    await cdp.detach();
  });

  it('cannot send the tokens elsewhere by writing another host into storage', async () => {
    const { cdp, contextId } = await contentScriptWorld(outlook);
    await inContentScript(
      cdp,
      contextId,
      `(async () => {
        const evil = ${JSON.stringify(attackerUrl)};
        try {
          await chrome.storage.local.set({
            backend: { url: evil, clientId: 'x' },
            accounts: [{ provider: 'graph', mailbox: ${JSON.stringify(REP)}, connectedAt: 1, sandboxUrl: evil }],
          });
        } catch (e) { return 'refused: ' + e.message; }
        return 'written';
      })()`,
    );
    await cdp.detach();
    // The worker starts again (as Chrome stops it when idle) and reads its state afresh, then uses every token.
    browser.worker = await browser.restartWorker();
    await expect
      .poll(() => browser.worker.evaluate(() => typeof __threadline === 'object').catch(() => false))
      .toBe(true);
    const errors = await browser.worker.evaluate(async (rep) => {
      const problems: string[] = [];
      const attempt = (work: () => Promise<unknown>) =>
        work().catch((error: unknown) => void problems.push(String(error)));
      await __threadline.accounts.refresh();
      await attempt(() => __threadline.accounts.mailFor(rep)!.changesSince(undefined));
      await attempt(() => __threadline.sync.syncNow());
      return problems;
    }, REP);
    // Nothing reached the other host (before the fix it received the mailbox's bearer token), and the mailbox
    // and the backend were reached where they are.
    expect(stolen).toEqual([]);
    expect(errors).toEqual([]);
    expect(await browser.worker.evaluate(() => __threadline.sync.view())).toMatchObject({ url: backend.url });
  });

  it('cannot enroll anyone or rewrite the email with script, while the rep’s own clicks do', async () => {
    const panel = outlook.locator('threadline-panel');
    await expect.poll(() => panel.getByText('Ada Lovelace').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The page's own script: the test build leaves the root open for Playwright; production's is closed.
    const clickFromPage = (name: string) =>
      outlook.evaluate((label) => {
        const root = document.querySelector('threadline-panel')!.shadowRoot!;
        const button = [...root.querySelectorAll('button')].find((b) =>
          (b.getAttribute('aria-label') ?? b.textContent ?? '').startsWith(label),
        );
        if (!button) throw new Error(`no button ${label}`);
        button.click();
        button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      }, name);
    await clickFromPage('Enroll: Ada Lovelace');
    await outlook.waitForTimeout(300);
    expect(await panel.getByRole('button', { name: /^Enroll 1 contact in/ }).count()).toBe(0);

    await panel.getByRole('button', { name: 'Enroll: Ada Lovelace' }).click();
    const submit = panel.getByRole('button', { name: /^Enroll 1 contact in Hostile page check/ });
    await expect.poll(() => submit.count()).toBe(1);
    await panel.getByRole('button', { name: 'Edit for this enrollment: step 1' }).click();
    // The page rewrites the email the way a script can: set the field, announce an input.
    await outlook.evaluate(() => {
      const root = document.querySelector('threadline-panel')!.shadowRoot!;
      const body = root.querySelector<HTMLTextAreaElement>('textarea')!;
      body.value = '<p>Pay here: https://attacker.example/invoice</p>';
      body.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    });
    await clickFromPage('Enroll 1 contact in Hostile page check');
    await outlook.waitForTimeout(300);
    const enrollments = () => browser.worker.evaluate(() => __threadline.db.enrollments.toArray());
    expect(await enrollments()).toEqual([]);

    await submit.click();
    await expect.poll(async () => (await enrollments()).length, { timeout: 10_000 }).toBe(1);
    expect(JSON.stringify((await enrollments())[0]!.edits)).not.toContain('attacker.example');
  });

  it('still hands a thread with no panel slot to the side panel, through the background', async () => {
    // What the content script sends when the mail client offers no place for the panel (start-inbox.tsx).
    const { cdp, contextId } = await contentScriptWorld(outlook);
    const answer = await inContentScript(
      cdp,
      contextId,
      `chrome.runtime.sendMessage({ threadline: 1, name: 'thread.fallback', request: { thread: {
        id: 'conv-1', subject: 'Renewal', host: 'outlook',
        participants: [{ email: 'grace.hopper@acme.example', name: 'Grace Hopper' }] } } })`,
    );
    await cdp.detach();
    expect(answer).toEqual({ ok: true, data: { ok: true } });
    const side = await browser.context.newPage();
    await side.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await expect.poll(() => side.getByText('Grace Hopper').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await side.close();
  });
});
