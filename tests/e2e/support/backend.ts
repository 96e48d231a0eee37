import type { Page } from 'playwright-core';
import type { CrmConfig } from '../../../server/crm/config';
import { serveApp, type RunningServer } from '../../../server/serve';
import { createTestServer, type TestServer } from '../../../server/testing/harness';
import { startSandbox, type Sandbox } from '../../../tools/sandbox/server';
import type { ExtensionBrowser } from './browser';
import { optionsUrl } from './extension-pages';
import { until } from './poll';

/**
 * A team backend for end-to-end tests: the mail sandbox (the OpenID issuer the demo signs in with, holding
 * the rep's mailbox) and the real server over HTTP on 127.0.0.1; and the rep's sign-in to it from the options
 * page, step by step as a rep does it.
 */
export interface Backend {
  sandbox: Sandbox;
  server: TestServer;
  http: RunningServer;
}

export async function startBackend({
  mailbox,
  kind,
  crm,
}: {
  mailbox: string;
  kind: 'gmail' | 'graph';
  /** The CRM bridge's configuration (server/testing/crm.ts), when the test needs HubSpot. */
  crm?: CrmConfig;
}): Promise<Backend> {
  const sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(mailbox, kind);
  const server = await createTestServer({
    issuers: [{ issuer: sandbox.url, audiences: ['threadline-demo'] }],
    ...(crm && { crm }),
  });
  const http = await serveApp(server.app, { port: 0, hostname: '127.0.0.1' });
  return { sandbox, server, http };
}

export async function stopBackend(backend: Partial<Backend>): Promise<void> {
  await backend.http?.stop();
  await backend.server?.close();
  await backend.sandbox?.stop();
}

/**
 * Settings → Team & sync: the backend's address, the demo's sandbox sign-in (the mailbox offered is the
 * connected one), signed in as `mailbox` with `role` at that address.
 */
export async function signInFromOptions(
  page: Page,
  browser: ExtensionBrowser,
  backendUrl: string,
  mailbox: string,
  role: 'admin' | 'manager' | 'rep' = 'admin',
): Promise<void> {
  if (!page.url().endsWith('#/settings/backend')) await page.goto(optionsUrl(browser, '/settings/backend'));
  await page.getByLabel('Backend address').fill(backendUrl);
  await page.getByText('Demo: sign in with a mailbox of the mail sandbox').click();
  await until('the sandbox mailbox offered', () => page.getByLabel('Sandbox mailbox').inputValue(), mailbox);
  await page.getByRole('button', { name: 'Sign in with the sandbox mailbox' }).click();
  await until(
    'the backend sign-in',
    () => page.getByTestId('backend-user').textContent(),
    `Signed in as ${mailbox} (${role}) at ${backendUrl}.`,
    20_000,
  );
}
