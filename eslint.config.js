import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// The pure core must stay pure: no browser APIs, Dexie, DOM frameworks or network clients.
const PURE = [
  'lib/domain/**',
  'lib/engine/**',
  'lib/replies/**',
  'lib/templates/**',
  'lib/analytics/**',
  'lib/contract/**',
  'lib/process/**',
];
const IMPURE_MODULES = [
  { name: 'dexie', message: 'The pure core takes the database as an argument; Dexie belongs in lib/db.' },
  { name: 'webextension-polyfill', message: 'Browser APIs belong in lib/platform.' },
  { name: 'wxt/browser', message: 'Browser APIs belong in lib/platform.' },
  { name: 'react', message: 'UI belongs in components/.' },
  { name: 'react-dom', message: 'UI belongs in components/.' },
  { name: 'node:http', message: 'Network belongs at the edges.' },
  { name: 'node:https', message: 'Network belongs at the edges.' },
  { name: 'node:net', message: 'Network belongs at the edges.' },
  { name: 'node:fs', message: 'Files belong at the edges.' },
];

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', '.bench/**', '.data/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error (and its ordering), and a promise handed to a
    // callback slot that ignores it (an event listener, forEach) does the same. The TypeScript project service
    // gives these rules the types of tsconfig.json.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The pure core's globals are an allow-list: the language's own builtins and nothing else (no process,
    // performance, timers, console, fetch, DOM). The imports are an allow-list too (.dependency-cruiser.cjs).
    files: PURE,
    ignores: ['**/*.test.ts', '**/*.test-helper.ts'],
    rules: { 'no-undef': 'error' },
  },
  {
    files: PURE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IMPURE_MODULES,
          patterns: [
            {
              group: ['**/db/**', '**/platform/**', '**/mail/**', '**/sync/**', '**/hosts/**'],
              message: 'The pure core may not import effectful modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The pure core does no network I/O.' },
        { name: 'browser', message: 'The pure core does not touch browser APIs.' },
        { name: 'chrome', message: 'The pure core does not touch browser APIs.' },
        { name: 'document', message: 'The pure core does not touch the DOM.' },
        { name: 'window', message: 'The pure core does not touch the DOM.' },
        { name: 'indexedDB', message: 'The pure core does not touch storage.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The pure core takes `now` as an argument.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The pure core takes `now` as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The pure core is deterministic.',
        },
      ],
    },
  },
);
