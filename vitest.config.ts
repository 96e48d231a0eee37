import { configDefaults, defineConfig } from 'vitest/config';
import { ciReporters } from './tools/ci-reporters.ts';
import { FAULT_SUITES, INTEGRATION_SUITES } from './tools/test-tiers.ts';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and component tests: next to the code they test (lib/**, components/**, tools/**, server/**).
// End-to-end tests live in tests/e2e and run with vitest.e2e.config.ts after a test build. The suites that
// start a database or HTTP sandboxes, and the slow fault-injection suites (tools/test-tiers.ts), run in their
// own tiers, vitest.integration.config.ts and vitest.faults.config.ts.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    ...ciReporters('unit'),
    environment: 'happy-dom',
    setupFiles: ['fake-indexeddb/auto'],
    include: ['{lib,components,tools,server,entrypoints,scripts,tests/integration}/**/*.test.{ts,tsx}'],
    exclude: [...configDefaults.exclude, ...INTEGRATION_SUITES, ...FAULT_SUITES],
    testTimeout: 20_000,
  },
});
