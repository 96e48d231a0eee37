import { mailHostsFor, matchPatterns } from '@/lib/hosts/mail-hosts';
import { createOutlookDriver } from '@/lib/hosts/outlook/driver';
import { panelShadowMode } from '@/components/inbox/mount';
import { startInbox } from '@/components/inbox/start-inbox';
import { browserRuntime } from '@/lib/platform/runtime';
import { ask } from '@/lib/protocol/inbox-client';

// Outlook on the web: our own DOM driver; the shared panels mount next to the reading pane.
export default defineContentScript({
  // The one list of mail hosts; the demo inbox only outside production builds (contract 3).
  matches: matchPatterns(mailHostsFor(import.meta.env.MODE), 'outlook'),
  main(ctx) {
    const runtime = browserRuntime();
    const driver = createOutlookDriver({
      onLocationChange: (cb) => ctx.addEventListener(window, 'wxt:locationchange', cb),
      hosts: mailHostsFor(import.meta.env.MODE),
      // A deal step's new message: the background opens Outlook's compose deeplink in a tab.
      compose: async (req) => (await ask(runtime, 'compose.outlook', req)).opened,
      // People Outlook shows by name alone: the background asks the rep's mailbox (Graph).
      lookupPeople: async (conversationId, mailbox) =>
        (await ask(runtime, 'thread.people', { conversationId, ...(mailbox ? { mailbox } : {}) })).people,
    });
    startInbox(ctx, driver, { runtime, shadowMode: panelShadowMode(import.meta.env.MODE) });
  },
});
