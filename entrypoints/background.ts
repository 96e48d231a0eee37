import { startBackground } from '@/lib/background/start';
import { enrollContacts } from '@/lib/runner/enroll';
import { saveRep } from '@/lib/background/settings';
import { TICK_ALARM } from '@/lib/platform/alarms';

export default defineBackground({
  type: 'module',
  main() {
    const background = startBackground();
    // End-to-end tests drive the worker through this handle; it exists only in `--mode test` builds.
    if (import.meta.env.MODE === 'test') {
      Object.assign(globalThis, { __threadline: { ...background, enrollContacts, saveRep, TICK_ALARM } });
    }
  },
});
