/**
 * The one list of mail hosts (contract 4). Content-script matches, the background's mail-tab query, the
 * protocol's sender check, the Outlook deeplink origin, the fixtures and the e2e URLs all derive from it, so a
 * host added here (Microsoft moving business mailboxes to outlook.cloud.microsoft in 2025) reaches every one.
 * No browser API here: the manifest is built from it in Node.
 */
import { allowsLocalHosts } from '../build/modes';

export type MailHostKind = 'gmail' | 'outlook';

export interface MailHost {
  kind: MailHostKind;
  /** Scheme, host and (for the demo inbox) port, as `new URL(...).origin` gives it. */
  origin: string;
  /** The part of the site the content script runs on: '/' for the real hosts, '/demo/' for the demo inbox. */
  path: string;
  /** The demo inbox of the mail sandbox: never in a production build (contract 3). */
  demo?: true;
}

/**
 * The real mail hosts. Outlook's four origins, per shared HOSTS.md (checked 2026-12-07): outlook.office.com and
 * outlook.office365.com for work or school accounts, outlook.live.com for Outlook.com, and
 * outlook.cloud.microsoft where Microsoft has moved business mailboxes since 2025 (trockerapp/trocker #34,
 * opentabs-dev/opentabs #57; office.com/mail redirects there).
 */
export const MAIL_HOSTS: readonly MailHost[] = [
  { kind: 'gmail', origin: 'https://mail.google.com', path: '/' },
  { kind: 'outlook', origin: 'https://outlook.office.com', path: '/' },
  { kind: 'outlook', origin: 'https://outlook.office365.com', path: '/' },
  { kind: 'outlook', origin: 'https://outlook.live.com', path: '/' },
  { kind: 'outlook', origin: 'https://outlook.cloud.microsoft', path: '/' },
];

/** The mail sandbox's demo inbox (contract 5): the same page structure as Outlook on the web. */
export const DEMO_INBOX: MailHost = {
  kind: 'outlook',
  origin: 'http://127.0.0.1:8025',
  path: '/demo/',
  demo: true,
};

/**
 * The mail hosts of a build: the real ones, plus the demo inbox outside production (at `demoOrigin` when the
 * sandbox runs on another port).
 */
export function mailHostsFor(mode: string | undefined, demoOrigin?: string): MailHost[] {
  // The modes that may reach local hosts (lib/build/modes.ts, contract 3); any other counts as production.
  if (!mode || !allowsLocalHosts(mode)) return [...MAIL_HOSTS];
  return [...MAIL_HOSTS, demoOrigin ? { ...DEMO_INBOX, origin: new URL(demoOrigin).origin } : DEMO_INBOX];
}

/**
 * Manifest match patterns for one kind of host. A match pattern cannot name a port in Firefox and names none
 * in Chrome's ports-agnostic form, so the demo inbox's pattern covers 127.0.0.1 on any port; `isMailPage`
 * checks the port at run time.
 */
export function matchPatterns(hosts: readonly MailHost[], kind?: MailHostKind): string[] {
  return hosts
    .filter((h) => !kind || h.kind === kind)
    .map((h) => {
      const u = new URL(h.origin);
      return `${u.protocol}//${u.hostname}${h.path}*`;
    });
}

/** The mail host a page belongs to, by exact origin and path prefix; undefined for any other page. */
export function mailHostOf(url: string, hosts: readonly MailHost[]): MailHost | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  return hosts.find((h) => h.origin === u.origin && u.pathname.startsWith(h.path));
}

export const isMailPage = (url: string, hosts: readonly MailHost[]) => mailHostOf(url, hosts) !== undefined;

/**
 * Where Outlook's compose deeplink goes: the origin the rep is on. outlook.office.com/mail/deeplink/compose
 * answers AADSTS90015 to accounts moved to outlook.cloud.microsoft (spatie/calendar-links PR #216, 2026-05).
 * The demo inbox keeps its path prefix.
 */
export function outlookDeeplinkBase(pageUrl: string | undefined, hosts: readonly MailHost[]): string {
  const host = pageUrl ? mailHostOf(pageUrl, hosts) : undefined;
  if (host?.kind === 'outlook')
    return `${host.origin}${host.path === '/' ? '' : host.path.replace(/\/$/, '')}`;
  return 'https://outlook.office.com';
}

/**
 * Edge 150+ blocked extensions on *.cloud.microsoft for a while (microsoft/MicrosoftEdge-Extensions #644,
 * 2026-07): the content script is simply never injected there, so nothing in the page can notice. What can be
 * said cheaply is whether the browser is such an Edge: the options page's Diagnostics shows it, so a rep on
 * outlook.cloud.microsoft who sees no panel learns why.
 */
export function edgeMayBlockCloudMicrosoft(userAgent: string): boolean {
  const edge = /\bEdg\/(\d+)/.exec(userAgent);
  return edge !== null && Number(edge[1]) >= 150;
}
