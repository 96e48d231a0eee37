import path from 'node:path';
import { defineConfig } from 'wxt';
import { blankedEnvFor, hostPermissionsFor, optionalHostPermissionsFor } from './lib/build/modes';

// The extension's manifest and build. Entrypoints only wire; logic lives in lib/.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // WXT auto-imports components/ exports wherever a file uses one of their names undeclared; its scan takes a
  // parameter named `now` or `rep` for one. The gallery's sample data is never meant that way: importing it
  // dragged its module (and the classic zod it parses steps with) into every bundle, content scripts too.
  imports: { dirs: ['!components/gallery-data.ts'] },
  // Build modes (lib/build/modes.ts): production reaches no local host and asks only for https backends.
  manifest: ({ mode, browser, manifestVersion }) => ({
    name: 'Threadline',
    description: 'One-to-one sales follow-up sequences inside your own Gmail or Outlook.',
    // scripting: InboxSDK's background injects its page-world script. WXT adds sidePanel for Chrome itself
    // (the side panel entrypoint; Firefox has a sidebar instead). Each is justified in the README's
    // "Packaging for the stores". Icons: public/icon/ (scripts/render-icons.ts); on hold, lib/platform/action-icon.ts.
    action: {
      default_title: 'Threadline: your task queue',
      default_icon: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    },
    permissions: ['alarms', 'storage', 'unlimitedStorage', 'identity', 'scripting'],
    // The mail APIs and their sign-in, Gmail, and (development, test, demo) the sandbox and a local backend.
    host_permissions: hostPermissionsFor(mode),
    // A self-hosted backend's address is the rep's to choose; the options page asks for it when it is set.
    optional_host_permissions: optionalHostPermissionsFor(mode),
    // Manifest V2 (WXT's Firefox build) has no optional_host_permissions: WXT drops them, so say it the MV2 way.
    ...(manifestVersion === 2 ? { optional_permissions: optionalHostPermissionsFor(mode) } : {}),
    // Firefox: a fixed add-on id (identity.getRedirectURL derives the OAuth redirect address from it) and what
    // leaves the device (public/privacy.html): contacts' names and addresses, and the emails, to the rep's mail
    // provider and, when the team runs one, its own backend.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'threadline@threadline.extension',
              data_collection_permissions: {
                required: ['personallyIdentifyingInfo', 'personalCommunications'],
              },
            },
          },
        }
      : {}),
    web_accessible_resources: [{ resources: ['pageWorld.js'], matches: ['https://mail.google.com/*'] }],
  }),
  hooks: {
    // InboxSDK's page-world script must sit at the extension root (bundlers forget it: a common setup bug).
    'build:publicAssets': (_wxt, files) => {
      files.push({
        absoluteSrc: path.resolve('node_modules/@inboxsdk/core/pageWorld.js'),
        relativeDest: 'pageWorld.js',
      });
      // The package carries its changelog (the version itself comes from package.json).
      files.push({ absoluteSrc: path.resolve('CHANGELOG.md'), relativeDest: 'CHANGELOG.md' });
    },
    // Content scripts run on every mail page, and the side panel must open at once: they render the same
    // components with Preact's React layer (about 15 KB instead of React DOM's 190 KB). The side panel's app
    // is an unlisted script for that (entrypoints/sidepanel-app.tsx). The options page keeps React (TipTap
    // needs it).
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((e) => e.type === 'content-script' || e.type === 'unlisted-script')) return;
      config.resolve ??= {};
      config.resolve.alias = [
        { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
        { find: /^react-dom$/, replacement: 'preact/compat' },
        { find: /^react\/jsx-(dev-)?runtime$/, replacement: 'preact/jsx-runtime' },
        { find: /^react$/, replacement: 'preact/compat' },
        ...(Array.isArray(config.resolve.alias)
          ? config.resolve.alias
          : Object.entries(config.resolve.alias ?? {}).map(([find, replacement]) => ({ find, replacement }))),
      ];
    },
  },
  vite: ({ mode }) => ({
    // Development-only variables (a Google web client's secret) are never compiled into a production bundle,
    // unless the publisher says so in so many words (lib/build/modes.ts, SHIP_GOOGLE_SECRET_ENV).
    define: blankedEnvFor(mode, process.env),
    plugins:
      mode === 'test'
        ? [
            {
              // InboxSDK never finishes loading outside real Gmail: test builds swap the SDK module (not the
              // Gmail driver) for a double with the same API subset. A plugin rather than an alias: it sees the path
              // WXT's own `@/` alias resolved.
              name: 'threadline:inboxsdk-double',
              enforce: 'pre' as const,
              resolveId(source: string, importer?: string) {
                const sdk = path.resolve('lib/hosts/gmail/sdk');
                // WXT's `@/` alias has already made the path absolute by the time plugins see it.
                const target = path.isAbsolute(source)
                  ? source
                  : importer && source.startsWith('.')
                    ? path.resolve(path.dirname(importer), source)
                    : undefined;
                if (target === sdk || target === `${sdk}.ts`)
                  return path.resolve('tests/e2e/support/inboxsdk-double.ts');
                return null;
              },
            },
          ]
        : [],
  }),
});
