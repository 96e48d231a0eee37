import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Sandbox } from '../../../tools/sandbox/server';
import type { ExtensionBrowser } from './browser';
import { ALWAYS_OPEN, connectSandboxMailbox, sequenceRow } from './scenario';

/**
 * The inbox scenario every mail host runs (tests/e2e/gmail.e2e.test.ts, outlook.e2e.test.ts): the rep connects
 * the host's mailbox of the mail sandbox, opens a conversation with Ada (and Ben in copy), enrolls Ada from the
 * thread with an edited first email, which goes out as a reply in that conversation; Ada replies and drops
 * out; Ben starts at the call step, the call is completed from the side-panel queue, and the sequence sends
 * him the next email. What only one host has (Gmail's sidebar and modals, Outlook's compose page and other
 * origins) stays in its own file, after this.
 */

type Handle = {
  db: { sequences: { put(x: unknown): Promise<unknown> } };
  host: { tick(): Promise<unknown> };
  watch: { cycle(): Promise<unknown> };
};
declare const __threadline: Handle;

export const SHOTS = 'tests/e2e/screenshots';
export const REP = 'riley.chen@northwind.example';
export const ADA = 'ada.lovelace@acme.example';
export const BEN = 'ben.okafor@acme.example';

/** Ada's message, which the rep's mailbox holds in the conversation the rep opens. */
export const ADA_OPENS = {
  from: `Ada Lovelace <${ADA}>`,
  subject: 'Acme hiring plans',
  text: 'Thanks Riley, looping in Ben who runs our data team. We are hiring six analysts.',
};

/** What the host's test file set up before the scenario runs (filled in by its beforeAll). */
export interface InboxWorld {
  browser: ExtensionBrowser;
  sandbox: Sandbox;
  /** The conversation's id in the sandbox mailbox, and the Message-ID of Ada's message in it. */
  thread: string;
  adaMessageId: string;
  /** The host page with the open conversation, once the scenario opened it. */
  page: Page;
}

export interface InboxHost {
  /** Screenshot prefix and sequence id: `gmail`, `outlook`. */
  name: string;
  /** As the rep calls it: `Gmail`, `Outlook` (the sequence is "<title> intro"). */
  title: string;
  provider: 'gmail' | 'graph';
  /** Where the panel sits, for the test's title. */
  panelPlace: string;
  /** The host's word for a thread. */
  threadWord: string;
  /** Opens the conversation in a new tab of the host. */
  openThread(world: InboxWorld): Promise<Page>;
  panel(page: Page): Locator;
  /** Host-specific checks at moments of the scenario (accessibility, the sent body). */
  check?: {
    threadShown?(page: Page): Promise<void>;
    enrollEdited?(page: Page): Promise<void>;
    firstSent?(raw: string): Promise<void>;
    sidePanel?(side: Page): Promise<void>;
  };
}

/** The sequence both hosts use: an email, a call, an email, all at once. */
export function introSequence(host: Pick<InboxHost, 'name' | 'title'>) {
  return sequenceRow(
    `seq-${host.name}`,
    `${host.title} intro`,
    [
      {
        id: 's1',
        type: 'auto_email',
        delay: { value: 0, unit: 'minutes' },
        subject: 'Hello {{contact.firstName}}',
        body: '<p>Hi {{contact.firstName}}, a quick note.</p>',
        threadWithPrevious: true,
        variants: [],
      },
      {
        id: 's2',
        type: 'call',
        delay: { value: 0, unit: 'minutes' },
        title: 'Call to follow up',
        notes: '',
        priority: 'high',
        callScript: 'Ask how the analyst hiring is going.',
      },
      {
        id: 's3',
        type: 'auto_email',
        delay: { value: 0, unit: 'minutes' },
        subject: 'Good to talk, {{contact.firstName}}',
        body: '<p>Thanks for the call.</p>',
        threadWithPrevious: false,
        variants: [],
      },
    ],
    ALWAYS_OPEN,
  );
}

/** Registers the scenario's steps, in order, inside the caller's describe. */
export function inboxScenario(host: InboxHost, world: InboxWorld): void {
  const shot = (page: Page, n: number, what: string) =>
    page.screenshot({ path: `${SHOTS}/${host.name}-${n}-${what}.png` });
  const panel = () => host.panel(world.page);
  const refresh = () => world.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  const tick = () => world.browser.worker.evaluate(() => __threadline.host.tick(), undefined);
  const enrollButton = () =>
    panel().getByRole('button', { name: new RegExp(`^Enroll 1 contact in ${host.title} intro`) });

  it(`connects the rep’s ${host.title} mailbox (sandbox) and has a sequence ready`, async () => {
    const options = await connectSandboxMailbox(world.browser, world.sandbox, REP, host.provider);
    await options.close();
    await world.browser.worker.evaluate((s) => __threadline.db.sequences.put(s), introSequence(host));
  });

  it(`shows the ${host.threadWord}’s outside people as not enrolled, ${host.panelPlace}`, async () => {
    world.page = await host.openThread(world);
    await expect
      .poll(() => panel().getByText('Ada Lovelace').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => panel().getByText('Not in a sequence').count()).toBe(2);
    // Riley is the rep: never a participant of their own panel.
    expect(await panel().getByText(REP).count()).toBe(0);
    await shot(world.page, 1, 'thread-not-enrolled');
    await host.check?.threadShown?.(world.page);
  });

  it(`enrolls Ada with an edited first email, which leaves the rep’s mailbox as a reply in the open ${host.threadWord}`, async () => {
    await panel().getByRole('button', { name: 'Enroll: Ada Lovelace' }).click();
    expect(await panel().getByRole('checkbox', { name: 'Reply in this thread' }).isChecked()).toBe(true);
    await panel().getByRole('button', { name: 'Edit for this enrollment: step 1' }).click();
    await panel().getByLabel('Body').fill('<p>Hi Ada, congratulations on the growth at Acme.</p>');
    await shot(world.page, 2, 'enroll-edited');
    await host.check?.enrollEdited?.(world.page);
    await enrollButton().click();
    await expect.poll(() => panel().getByText('Active').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await tick();
    const sent = world.sandbox.sent(REP);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([[[ADA], 'Re: Acme hiring plans']]);
    // It landed in the conversation the rep had open, answering Ada's message.
    expect(sent[0]).toMatchObject({ threadId: world.thread, inReplyTo: world.adaMessageId });
    await host.check?.firstSent?.(sent[0]!.raw);
    await shot(world.page, 3, 'enrolled');
  });

  it('shows Ada as unenrolled once she replies', async () => {
    const first = world.sandbox.sent(REP)[0]!;
    await world.sandbox.inject(REP, {
      from: `Ada Lovelace <${ADA}>`,
      subject: `Re: ${first.subject}`,
      text: 'Yes! Can we talk Thursday?',
      inReplyTo: first.messageId,
    });
    await world.browser.worker.evaluate(() => __threadline.watch.cycle(), undefined);
    await refresh();
    await expect
      .poll(
        () =>
          panel()
            .getByText(/replied/i)
            .count(),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    await shot(world.page, 4, 'unenrolled-replied');
  });

  it('starts Ben at the call step; the call is completed from the side-panel queue and the sequence goes on', async () => {
    await panel().getByRole('button', { name: 'Enroll: Ben Okafor' }).click();
    await panel().getByLabel('Start at step').selectOption({ index: 1 });
    await enrollButton().click();
    await tick();

    const side = await world.browser.context.newPage();
    await side.setViewportSize({ width: 400, height: 900 });
    await side.goto(`chrome-extension://${world.browser.extensionId}/sidepanel.html`);
    const complete = side.getByRole('button', { name: 'Complete: Ben Okafor' });
    await expect.poll(() => complete.count(), { timeout: 10_000 }).toBe(1);
    await side.getByLabel('Outcome').selectOption('connected');
    await shot(side, 5, 'side-panel-queue');
    await host.check?.sidePanel?.(side);
    await complete.click();
    await expect.poll(() => complete.count(), { timeout: 10_000 }).toBe(0);
    await shot(side, 6, 'side-panel-done');

    // Completing the call advanced Ben to step 3, an email, which went out.
    await tick();
    await expect.poll(() => world.sandbox.sent(REP).map((m) => m.to[0])).toEqual([ADA, BEN]);
    await refresh();
    await world.page.bringToFront();
    await expect.poll(() => panel().getByText('Finished').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await shot(world.page, 7, 'after-queue');
  });
}
