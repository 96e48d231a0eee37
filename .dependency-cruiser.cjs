// Import boundaries, checked by `npm run check:boundaries` (tools/check-boundaries.ts, which adds the rule
// dependency-cruiser cannot state: no cycle between lib/ folders). Each known exception carries the date it
// was recorded: it is to be removed, and a new violation fails.

const PURE = '^lib/(domain|engine|templates|replies|analytics|process)/';
const TESTS = '\\.test(-helper)?\\.tsx?$';

/* global module, __dirname */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-not-components',
      comment: 'lib/ is below the UI: components import lib, never the other way',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^components/' },
    },
    {
      name: 'lib-imports-resolve',
      comment:
        'an import the checker cannot follow (say, an alias it does not know) would pass every rule unseen',
      severity: 'error',
      from: { path: '^lib/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'pure-core-allow-list',
      comment: 'the pure folders import only each other, zod and temporal-polyfill',
      severity: 'error',
      from: { path: PURE, pathNot: TESTS },
      to: {
        pathNot: [
          PURE,
          '^node_modules/(zod|temporal-polyfill)/',
          // Known 2026-12-07 (issue 14): well-kept parsers without effects (MIME, HTML, CSV) used by the
          // pure folders.
          '^node_modules/(postal-mime|htmlparser2|html-to-text|papaparse)/',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: TESTS },
    tsPreCompilationDeps: true,
    // The `@/` alias of WXT's tsconfig has no baseUrl, which dependency-cruiser's resolver needs: this one adds
    // it (an absolute name, as dependency-cruiser resolves a relative `extends` from the wrong folder).
    tsConfig: { fileName: `${__dirname}/tools/tsconfig.boundaries.json` },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
