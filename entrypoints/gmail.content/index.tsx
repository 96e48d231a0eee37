import { browser } from 'wxt/browser';
import { startGmailDriver } from '@/lib/hosts/gmail/driver';
import { MAIL_HOSTS, matchPatterns } from '@/lib/hosts/mail-hosts';
import { ICON_URL } from '@/lib/inbox-ui/icon';
import { panelShadowMode } from '@/lib/inbox-ui/mount';
import { startInbox } from '@/lib/inbox-ui/start-inbox';
import type { Runtime } from '@/lib/protocol/endpoints';

// Gmail: InboxSDK finds threads and sidebar slots; the shared panels mount there.
export default defineContentScript({
  matches: matchPatterns(MAIL_HOSTS, 'gmail'),
  async main(ctx) {
    const driver = await startGmailDriver(import.meta.env.WXT_INBOXSDK_APP_ID ?? '', {
      iconUrl: ICON_URL,
      title: 'Threadline',
      queueTitle: 'Threadline tasks',
    });
    startInbox(ctx, driver, {
      runtime: browser.runtime as unknown as Runtime,
      shadowMode: panelShadowMode(import.meta.env.MODE),
    });
  },
});
