import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { MAIL_HOSTS, mailHostOf } from '../../../lib/hosts/mail-hosts';
import { startSandbox } from '../../../tools/sandbox/server';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { ADA, ADA_OPENS, BEN, REP, SHOTS, type InboxWorld } from './inbox-scenario';
import { gmailFixtureHtml } from './inboxsdk-double';

/**
 * The mail hosts' pages the newer end-to-end tests open (deals, deals-gmail, the CRM world): the rep's
 * conversation with Ada (Ben in copy) on the Outlook fixture or on Gmail's page over the InboxSDK double, and
 * the browser routed so that the mail host is that page and nothing but the sandboxes and the backend
 * (127.0.0.1) is reachable.
 */
export type MailHostKind = 'outlook' | 'gmail';

export const OUTLOOK_ORIGIN = MAIL_HOSTS.find((h) => h.origin === 'https://outlook.office.com')!.origin;

/** The conversation id the Outlook fixture was saved with (replaced by the sandbox's). */
const FIXTURE_CONV = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';

/** Outlook's reading pane (a saved page) showing the conversation `thread`. */
export const outlookPage = (thread: string): string =>
  fs
    .readFileSync('tests/fixtures/outlook/reading-pane-2026-12-07.html', 'utf8')
    .replaceAll(FIXTURE_CONV, thread);

/** Gmail's page (the InboxSDK double) with Riley's conversation with Ada, Ben in copy. */
export function gmailPage(thread: string): string {
  const riley = { name: 'Riley Chen', emailAddress: REP };
  const ada = { name: 'Ada Lovelace', emailAddress: ADA };
  const ben = { name: 'Ben Okafor', emailAddress: BEN };
  return gmailFixtureHtml({
    user: riley,
    threads: [
      {
        id: thread,
        subject: ADA_OPENS.subject,
        messages: [
          { from: riley, to: [ada], date: 'Nov 16', body: '<p>Hi Ada, great to meet you at the summit.</p>' },
          { from: ada, to: [riley], cc: [ben], date: 'Nov 17', body: `<p>${ADA_OPENS.text}</p>` },
        ],
      },
    ],
  });
}

/** Where the host opens the conversation `thread`. */
export const threadUrl = (host: MailHostKind, thread: string): string =>
  host === 'gmail'
    ? `https://mail.google.com/mail/u/0/#inbox/${thread}`
    : `${OUTLOOK_ORIGIN}/mail/inbox/id/${encodeURIComponent(thread)}`;

/**
 * The mail host's pages are `html`; the sandboxes and the backend (127.0.0.1) pass; any other request is
 * refused and its address pushed to `blocked`.
 */
export async function routeMailHost(
  browser: ExtensionBrowser,
  host: MailHostKind,
  html: string,
  blocked: string[] = [],
): Promise<void> {
  await browser.context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    const mail =
      host === 'gmail'
        ? url.hostname === 'mail.google.com'
        : mailHostOf(url.href, MAIL_HOSTS)?.kind === 'outlook';
    if (mail) return route.fulfill({ contentType: 'text/html', body: html });
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
}

/**
 * The world the deals scenario runs in (support/deals-scenario.ts), filled in: the mail sandbox with the rep's
 * mailbox holding Ada's message, the built extension in Chromium, the host's page showing that conversation.
 */
export async function startConversation(
  world: InboxWorld,
  host: MailHostKind,
  blocked: string[] = [],
): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  world.sandbox = await startSandbox({ port: 0 });
  world.sandbox.addMailbox(REP, host === 'gmail' ? 'gmail' : 'graph');
  const opened = await world.sandbox.inject(REP, ADA_OPENS);
  world.thread = opened.threadId;
  world.browser = await launchWithExtension();
  await routeMailHost(
    world.browser,
    host,
    host === 'gmail' ? gmailPage(world.thread) : outlookPage(world.thread),
    blocked,
  );
}

export async function stopConversation(world: Partial<InboxWorld>): Promise<void> {
  await world.browser?.close();
  await world.sandbox?.stop();
}

/** The conversation in the host, in a new tab at a desktop size (where the panel has room). */
export async function openThreadPage(
  browser: ExtensionBrowser,
  host: MailHostKind,
  thread: string,
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(threadUrl(host, thread));
  return page;
}
