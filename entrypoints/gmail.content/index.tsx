import { browser } from 'wxt/browser';
import { startGmailDriver } from '@/lib/hosts/gmail/driver';
import { ICON_URL } from '@/lib/inbox-ui/icon';
import { startInbox } from '@/lib/inbox-ui/start-inbox';
import type { Runtime } from '@/lib/protocol/endpoints';

// Gmail: InboxSDK finds threads and sidebar slots; the shared panels mount there.
export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  async main(ctx) {
    const driver = await startGmailDriver(import.meta.env.WXT_INBOXSDK_APP_ID ?? '', {
      iconUrl: ICON_URL,
      title: 'Threadline',
      queueTitle: 'Threadline tasks',
    });
    startInbox(ctx, driver, {
      runtime: browser.runtime as unknown as Runtime,
      storage: browser.storage.local,
    });
  },
});
