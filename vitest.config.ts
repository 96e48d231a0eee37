import { configDefaults, defineConfig } from 'vitest/config';
import { ciReporters } from './tools/ci-reporters.ts';
import { DOM_SUITES, FAULT_SUITES, INTEGRATION_SUITES, UNIT_SUITES } from './tools/test-tiers.ts';
import { preactProject } from './vitest.preact.config.ts';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and component tests: next to the code they test (lib/**, components/**, tools/**, server/**).
// End-to-end tests live in tests/e2e and run with vitest.e2e.config.ts after a test build. The suites that
// start a database or HTTP sandboxes, and the slow fault-injection suites (tools/test-tiers.ts), run in their
// own tiers, vitest.integration.config.ts and vitest.faults.config.ts.
// One run, three projects sharing one pool of workers: the DOM-free files in Node, the page code in happy-dom
// (tools/test-tiers.ts says which is which), and the inbox UI again on Preact (vitest.preact.config.ts).
const notHere = [...configDefaults.exclude, ...INTEGRATION_SUITES, ...FAULT_SUITES];

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    ...ciReporters('unit'),
    setupFiles: ['fake-indexeddb/auto'],
    testTimeout: 20_000,
    // Vitest leaves one of two cores to itself by default; its own work is light next to the tests'.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: UNIT_SUITES,
          exclude: [...notHere, ...DOM_SUITES],
        },
      },
      {
        extends: true,
        test: { name: 'unit-dom', environment: 'happy-dom', include: DOM_SUITES, exclude: notHere },
      },
      preactProject,
    ],
  },
});
