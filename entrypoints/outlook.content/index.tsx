import { browser } from 'wxt/browser';
import { createOutlookDriver } from '@/lib/hosts/outlook/driver';
import { startInbox } from '@/lib/inbox-ui/start-inbox';
import type { Runtime } from '@/lib/protocol/endpoints';

// Outlook on the web: our own DOM driver; the shared panels mount next to the reading pane.
export default defineContentScript({
  matches: ['https://outlook.office.com/*', 'https://outlook.live.com/*', 'https://outlook.office365.com/*'],
  main(ctx) {
    const driver = createOutlookDriver({
      onLocationChange: (cb) => ctx.addEventListener(window, 'wxt:locationchange', cb),
    });
    startInbox(ctx, driver, {
      runtime: browser.runtime as unknown as Runtime,
      storage: browser.storage.local,
    });
  },
});
