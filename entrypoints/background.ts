import '@inboxsdk/core/background.js';
import { startBackground } from '@/lib/background/start';
import { createBrowserPlatform } from '@/lib/platform/platform';
import { enrollContacts } from '@/lib/runner/enroll';
import { saveRep } from '@/lib/db/settings';
import { TICK_ALARM } from '@/lib/platform/alarms';
import { allowsLocalHosts } from '@/lib/build/modes';

export default defineBackground({
  type: 'module',
  main() {
    const background = startBackground({
      platform: createBrowserPlatform(),
      apps: {
        googleClientId: import.meta.env.WXT_GOOGLE_CLIENT_ID,
        googleClientSecret: import.meta.env.WXT_GOOGLE_CLIENT_SECRET,
        microsoftClientId: import.meta.env.WXT_MICROSOFT_CLIENT_ID,
        microsoftTenant: import.meta.env.WXT_MICROSOFT_TENANT,
      },
      // A production build reaches its backend over https only (Settings → Team & sync says so).
      allowHttpBackend: allowsLocalHosts(import.meta.env.MODE),
    });
    // End-to-end tests drive the worker through this handle; it exists only in `--mode test` builds.
    if (import.meta.env.MODE === 'test') {
      Object.assign(globalThis, { __threadline: { ...background, enrollContacts, saveRep, TICK_ALARM } });
    }
  },
});
