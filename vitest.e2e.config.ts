import { defineConfig } from 'vitest/config';
import { ciReporters } from './tools/ci-reporters.ts';

// End-to-end tests: the built extension (`wxt build --mode test`) in Debian's Chromium, driven by playwright-core.
export default defineConfig({
  test: {
    ...ciReporters('e2e'),
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
