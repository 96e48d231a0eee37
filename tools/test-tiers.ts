/**
 * The slow fault-injection suites: they kill the server or the service worker at random points many times
 * over and take tens of seconds each. They run in their own tier (`npm run test:faults`, vitest.faults.config.ts),
 * which `npm test` and CI run, and are left out of `npm run check` (vitest.config.ts) so the daily gate stays fast.
 */
export const FAULT_SUITES = [
  'server/sync/kill.test.ts',
  'server/sync/crash.test.ts',
  'tests/integration/exactly-once.test.ts',
];
