// Import boundaries, checked by `npm run check:boundaries` (tools/check-boundaries.ts, which adds the rule
// dependency-cruiser cannot state: no cycle between lib/ folders). Each known exception carries the date it
// was recorded: it is to be removed, and a new violation fails.

const PURE = '^lib/(domain|engine|templates|replies|analytics|process)/';
const TESTS = '\\.test(-helper)?\\.tsx?$';

/* global module */
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
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
