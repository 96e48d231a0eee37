/**
 * The test tiers. `npm run check` runs the unit tier (vitest.config.ts: everything not listed here), the fast
 * gate a developer runs all day; `npm test` and CI also run the two slower tiers, so nothing is dropped:
 *
 * - integration (`npm run test:integration`, vitest.integration.config.ts): suites that start a database (the
 *   backend on PGlite, or PostgreSQL with DATABASE_URL) or HTTP sandboxes (mail, OAuth, HubSpot), each file its
 *   own, and take seconds each;
 * - faults (`npm run test:faults`, vitest.faults.config.ts): they kill the server or the service worker at
 *   random points many times over and take tens of seconds each.
 *
 * Each tier writes its own JSON report for .ci/run's totals (tools/ci-reporters.ts).
 */
export const FAULT_SUITES = [
  'server/sync/kill.test.ts',
  'server/sync/crash.test.ts',
  'tests/integration/exactly-once.test.ts',
  'server/crm/kill.test.ts',
  'server/crm/kill-process.test.ts',
];

export const INTEGRATION_SUITES = [
  // The backend over HTTP on its database, started per file.
  'server/**/*.test.ts',
  // The extension's sync, leases, session and tracking against a real backend.
  'lib/sync/{backend-session,dexie-sync,deals-sync,lease-client,sync-client,tracking,two-devices}.test.ts',
  'lib/background/sync-host.test.ts',
  // Mail providers and the engine against the mail sandbox over HTTP, and the sandboxes themselves.
  'lib/mail/**/*.sandbox.test.ts',
  'tests/integration/**/*.test.ts',
  'tools/sandbox/**/*.test.ts',
];

/**
 * Within the unit tier, the environment follows where the code runs: the UI (components/) and the mail-page
 * drivers (lib/hosts/) run in a page and are tested in happy-dom; everything else (the pure core, the worker's
 * code, the options ports, the tools) runs in a service worker or Node, has no DOM there, and is tested in
 * Node, which starts far faster. A file can still choose its own with a `// @vitest-environment` comment.
 */
export const UNIT_SUITES = [
  '{lib,components,tools,server,entrypoints,scripts,tests/integration}/**/*.test.{ts,tsx}',
];
export const DOM_SUITES = ['components/**/*.test.{ts,tsx}', 'lib/hosts/**/*.test.{ts,tsx}'];

/** The inbox UI's component tests, run a second time on Preact (vitest.preact.config.ts). */
export const PREACT_SUITES = [
  'components/{task-queue,thread-panel,enroll,sends-on-hold}/**/*.test.tsx',
  'components/inbox/**/*.test.tsx',
];
