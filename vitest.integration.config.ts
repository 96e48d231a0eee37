import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { ciReporters } from './tools/ci-reporters.ts';
import { FAULT_SUITES, INTEGRATION_SUITES } from './tools/test-tiers.ts';

// The integration tier (`npm run test:integration`): the suites that start a database or HTTP sandboxes
// (tools/test-tiers.ts), in the same environment as vitest.config.ts, which leaves exactly these files out.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    ...ciReporters('integration'),
    environment: 'happy-dom',
    setupFiles: ['fake-indexeddb/auto'],
    include: INTEGRATION_SUITES,
    exclude: FAULT_SUITES,
    testTimeout: 20_000,
  },
});
