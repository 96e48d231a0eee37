import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { ciReporters } from './tools/ci-reporters.ts';
import { FAULT_SUITES } from './tools/test-tiers.ts';

// The fault-injection tier (`npm run test:faults`): the suites that kill the server or the worker, in the same
// environment as vitest.config.ts, which leaves exactly these files out.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    ...ciReporters('faults'),
    environment: 'happy-dom',
    setupFiles: ['fake-indexeddb/auto'],
    include: FAULT_SUITES,
    testTimeout: 20_000,
  },
});
