import { mailHostOf, outlookDeeplinkBase, type MailHost } from '../hosts/mail-hosts';
import { FALLBACK_KEY } from '../protocol/fallback-thread';
import type { RuntimeMessaging } from '../platform/runtime';
import type { Storage } from '../platform/storage';
import type { Tabs } from '../platform/tabs';
import type { Handlers, Sender } from '../protocol/endpoints';
import { htmlToUnwrappedText } from '../templates/text';

/** storage.session: the Outlook on the web the rep was last on (its deeplink base), for the side panel. */
export const OUTLOOK_BASE_KEY = 'pages.outlookBase';

export interface PageHandlerDeps {
  /** storage.session: extension pages only, gone when the browser closes. */
  storage: { session: Pick<Storage['session'], 'set' | 'get'> };
  tabs: Pick<Tabs, 'create'>;
  runtime: Pick<RuntimeMessaging, 'getURL'>;
  /** The build's mail hosts (lib/hosts/mail-hosts.ts): Outlook's compose opens only on one of them. */
  hosts: readonly MailHost[];
  now(): number;
}

/**
 * The extension's own pages opened from a mail page (the side panel's thread, the options page), and
 * Outlook's compose for a deal step's new message.
 */
export function pageHandlers({ storage, tabs, runtime, hosts, now }: PageHandlerDeps): Handlers {
  /** The Outlook deeplink base of an Outlook page sender (remembered); else the one remembered, if any. */
  async function outlookBase(sender: Sender): Promise<string | undefined> {
    const host = sender.url ? mailHostOf(sender.url, hosts) : undefined;
    if (host?.kind === 'outlook') {
      const base = outlookDeeplinkBase(sender.url, hosts);
      await storage.session.set({ [OUTLOOK_BASE_KEY]: base });
      return base;
    }
    if (host) return undefined; // another mail client's page: not Outlook's compose
    const stored = (await storage.session.get(OUTLOOK_BASE_KEY))[OUTLOOK_BASE_KEY];
    return typeof stored === 'string' &&
      hosts.some((h) => h.kind === 'outlook' && stored.startsWith(h.origin))
      ? stored
      : undefined;
  }

  return {
    // A thread with no panel slot in its mail client: the side panel shows it.
    'thread.fallback': async ({ thread }, sender) => {
      await storage.session.set({ [FALLBACK_KEY]: thread && { ...thread, at: now() } });
      if (thread?.host === 'outlook') await outlookBase(sender);
      return { ok: true as const };
    },
    'options.open': async ({ section }) => {
      await tabs.create({ url: `${runtime.getURL('/options.html')}#/settings/${section}` });
      return { ok: true as const };
    },
    // Outlook's compose deeplink (any Outlook on the web, any UI language) in a tab the background opens.
    'compose.outlook': async ({ to, subject, body }, sender) => {
      const base = await outlookBase(sender);
      if (!base) return { opened: false };
      const url = new URL(`${base}/mail/deeplink/compose`);
      url.searchParams.set('to', to.join(';'));
      url.searchParams.set('subject', subject);
      url.searchParams.set('body', htmlToUnwrappedText(body));
      await tabs.create({ url: url.toString() });
      return { opened: true };
    },
  };
}
