import path from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { ciReporters } from './tools/ci-reporters.ts';
import { PREACT_SUITES } from './tools/test-tiers.ts';

// The inbox UI's component tests again, rendered by Preact's React layer: the content scripts and the side
// panel run these components on Preact (wxt.config.ts), the options page and vitest.config.ts on React.
// `npm run test:unit` runs it as a project of vitest.config.ts; `vitest run --config vitest.preact.config.ts`
// runs it alone.
export const preactProject = {
  plugins: [WxtVitest()],
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-(dev-)?runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
      // Its ES build, so that its own imports of react and react-dom go through the aliases above.
      {
        find: /^@testing-library\/react$/,
        replacement: path.resolve('node_modules/@testing-library/react/dist/@testing-library/react.esm.js'),
      },
    ],
  },
  test: {
    name: 'unit-preact',
    environment: 'happy-dom',
    setupFiles: ['fake-indexeddb/auto', './components/testing/preact-change.ts'],
    include: PREACT_SUITES,
    // Bundled by Vite rather than loaded by Node, so that they too get Preact instead of React.
    server: { deps: { inline: ['@testing-library/react', '@tanstack/react-virtual'] } },
    testTimeout: 20_000,
  },
} satisfies TestProjectInlineConfiguration;

export default defineConfig({
  plugins: preactProject.plugins,
  resolve: preactProject.resolve,
  test: { ...ciReporters('unit-preact'), ...preactProject.test },
});
