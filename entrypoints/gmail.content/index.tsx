import { startGmailDriver } from '@/lib/hosts/gmail/driver';
import { MAIL_HOSTS, matchPatterns } from '@/lib/hosts/mail-hosts';
import { themeOf } from '@/lib/hosts/people';
import { hostProblemReporter } from '@/components/inbox/anchor-note';
import { ICON_URL } from '@/components/inbox/icon';
import { panelShadowMode } from '@/components/inbox/mount';
import { startInbox } from '@/components/inbox/start-inbox';
import { browserRuntime } from '@/lib/platform/runtime';
import { ask } from '@/lib/protocol/inbox-client';

// Gmail: InboxSDK finds threads and sidebar slots; the shared panels mount there.
export default defineContentScript({
  matches: matchPatterns(MAIL_HOSTS, 'gmail'),
  async main(ctx) {
    const deps = {
      runtime: browserRuntime(),
      shadowMode: panelShadowMode(import.meta.env.MODE),
    };
    const noteFailure = hostProblemReporter(ctx, deps, 'Gmail', () => themeOf(document.body));
    const driver = await startGmailDriver(
      import.meta.env.WXT_INBOXSDK_APP_ID,
      { iconUrl: ICON_URL, title: 'Threadline', queueTitle: 'Threadline tasks' },
      (detail) => {
        const problem = { anchor: 'inboxsdk', page: 'gmail' as const, detail };
        // A missing or malformed app id is for Settings → Diagnostics (InboxSDK still tries); a load that
        // fails or hangs also gets the note in Gmail.
        if (detail === 'load_failed') noteFailure(problem);
        else void ask(deps.runtime, 'diagnostics.record', problem).catch(() => undefined);
      },
    );
    startInbox(ctx, driver, deps);
  },
});
