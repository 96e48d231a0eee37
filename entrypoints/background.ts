import '@inboxsdk/core/background.js';
import { startBackground } from '@/lib/background/start';
import { enrollContacts } from '@/lib/runner/enroll';
import { saveRep } from '@/lib/background/settings';
import { TICK_ALARM } from '@/lib/platform/alarms';

export default defineBackground({
  type: 'module',
  main() {
    const background = startBackground({
      apps: {
        googleClientId: import.meta.env.WXT_GOOGLE_CLIENT_ID,
        googleClientSecret: import.meta.env.WXT_GOOGLE_CLIENT_SECRET,
        microsoftClientId: import.meta.env.WXT_MICROSOFT_CLIENT_ID,
        microsoftTenant: import.meta.env.WXT_MICROSOFT_TENANT,
      },
    });
    // End-to-end tests drive the worker through this handle; it exists only in `--mode test` builds.
    if (import.meta.env.MODE === 'test') {
      Object.assign(globalThis, { __threadline: { ...background, enrollContacts, saveRep, TICK_ALARM } });
    }
  },
});
