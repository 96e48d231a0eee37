/**
 * The demo's first-run setup, done in the extension's own options page exactly as a new user would do it by
 * hand: connect the demo mailbox of the mail sandbox (the real OAuth code flow against the sandbox), and create
 * a short sequence whose send window is open at any hour, so the tour never waits for the next business
 * morning. `npm start` runs it in the browser it opens; the end-to-end tour runs the same code. Each step is
 * skipped when it was already done (the browser profile is kept between runs).
 */
import type { BrowserContext, Page } from 'playwright-core';

export const DEMO_SEQUENCE = 'Demo follow-up';

export interface DemoSetup {
  context: BrowserContext;
  extensionId: string;
  sandboxUrl: string;
  mailbox: string;
}

const options = (s: DemoSetup, route: string) => `chrome-extension://${s.extensionId}/options.html#${route}`;

async function visible(page: Page, locator: ReturnType<Page['getByText']>, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Settings → Mailboxes → "Demo: connect a mailbox of the mail sandbox". */
export async function connectDemoMailbox(s: DemoSetup, page: Page): Promise<'connected' | 'already'> {
  await page.goto(options(s, '/settings'));
  const accounts = page.getByTestId('account-mailbox');
  await visible(page, page.getByText('Demo: connect a mailbox of the mail sandbox'));
  if ((await accounts.allTextContents()).includes(s.mailbox)) return 'already';
  await page.getByText('Demo: connect a mailbox of the mail sandbox').click();
  await page.getByLabel('Sandbox URL').fill(s.sandboxUrl);
  await page.getByLabel('Mailbox', { exact: true }).fill(s.mailbox);
  await page.getByLabel('Kind').selectOption('graph');
  await page.getByRole('button', { name: 'Connect sandbox mailbox' }).click();
  await accounts.filter({ hasText: s.mailbox }).waitFor({ timeout: 20_000 });
  return 'connected';
}

/** Sequences → New sequence: two emails, the second two days later, sendable at any hour on any day. */
export async function createDemoSequence(s: DemoSetup, page: Page): Promise<'created' | 'already'> {
  await page.goto(options(s, '/sequences'));
  const create = page.getByRole('button', { name: /^(Create your first sequence|New sequence)$/ });
  await visible(page, create);
  if ((await page.getByRole('link', { name: DEMO_SEQUENCE }).count()) > 0) return 'already';
  await create.first().click();
  await page.getByLabel('Sequence name').fill(DEMO_SEQUENCE);
  await page.getByLabel('Subject', { exact: true }).fill('A two-week pilot');
  await page.getByTestId('body-editor').click();
  await page.keyboard.type(
    'Hi there, a short note to follow up on my last email. Would a two-week pilot on your own data be useful?',
  );
  await page.getByRole('button', { name: 'Add: Automatic email' }).click();
  await page.getByTestId('body-editor').last().click();
  await page.keyboard.type('Checking in once more: happy to set the pilot up whenever suits you.');
  // The tour should not wait for office hours in the contact's time zone.
  await page.getByLabel('Send window starts').fill('00:00');
  await page.getByLabel('Send window ends').fill('23:59');
  const weekdays = page.getByLabel('Send on weekdays only');
  if (await weekdays.isChecked()) await weekdays.uncheck();
  await page.getByRole('button', { name: 'Save sequence' }).click();
  await page.waitForURL(/#\/sequences\/(?!new$)[\w-]+$/, { timeout: 15_000 });
  return 'created';
}

/** Both steps, in one options page that is closed afterwards; says what it did. */
export async function setUpDemo(s: DemoSetup): Promise<string[]> {
  const page = await s.context.newPage();
  try {
    const connected = await connectDemoMailbox(s, page);
    const sequence = await createDemoSequence(s, page);
    return [
      connected === 'connected'
        ? `Connected the demo mailbox ${s.mailbox} (Settings → Mailboxes).`
        : `The demo mailbox ${s.mailbox} was already connected.`,
      sequence === 'created'
        ? `Created the sequence “${DEMO_SEQUENCE}” (Sequences), open at any hour.`
        : `The sequence “${DEMO_SEQUENCE}” was already there.`,
    ];
  } finally {
    await page.close();
  }
}

export interface DemoCrmSetup {
  /** The backend `npm start` runs. */
  backendUrl: string;
  /** A private app's token of the HubSpot sandbox's demo portal (scripts/demo-crm.ts). */
  privateAppToken: string;
}

/**
 * Settings → Team & sync: sign in to the backend with the demo mailbox (the mail sandbox is the OpenID
 * issuer), then Settings → CRM: connect the HubSpot sandbox's demo portal with its private-app token, as an
 * admin would. A session or a connection left from an earlier run belongs to that run's backend and sandbox,
 * so both are replaced.
 */
export async function connectDemoCrm(s: DemoSetup, page: Page, crm: DemoCrmSetup): Promise<void> {
  await page.goto(options(s, '/settings/backend'));
  const user = page.getByTestId('backend-user');
  const signIn = page.getByText('Demo: sign in with a mailbox of the mail sandbox');
  await visible(page, page.getByTestId('backend-section'));
  await Promise.race([user.waitFor({ timeout: 15_000 }), signIn.waitFor({ timeout: 15_000 })]);
  // A session kept from an earlier run was signed by that run's backend (its SESSION_SECRET is made per
  // process in the demo): start a fresh one.
  if (await user.isVisible()) {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn.waitFor({ timeout: 15_000 });
  }
  await page.getByLabel('Backend address').fill(crm.backendUrl);
  await signIn.click();
  await page.getByLabel('Sandbox mailbox').fill(s.mailbox);
  await page.getByRole('button', { name: 'Sign in with the sandbox mailbox' }).click();
  await user.waitFor({ timeout: 20_000 });
  await page.goto(options(s, '/settings/crm'));
  const section = page.getByTestId('crm-section');
  const connected = section.getByTestId('crm-connected');
  const notConnected = section.getByTestId('crm-not-connected');
  await Promise.race([connected.waitFor({ timeout: 20_000 }), notConnected.waitFor({ timeout: 20_000 })]);
  if (await connected.isVisible()) {
    await section.getByRole('button', { name: 'Disconnect HubSpot' }).click();
    await section.getByRole('button', { name: 'Yes, disconnect' }).click();
    await notConnected.waitFor({ timeout: 20_000 });
  }
  await section.getByLabel('Private-app token').fill(crm.privateAppToken);
  await section.getByRole('button', { name: 'Connect with a private-app token' }).click();
  await section.getByTestId('crm-portal').waitFor({ timeout: 20_000 });
}
