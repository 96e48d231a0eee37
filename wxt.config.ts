import { defineConfig } from 'wxt';

// The extension's manifest and build. Entrypoints only wire; logic lives in lib/.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: {
    name: 'Threadline',
    description: 'One-to-one sales follow-up sequences inside your own Gmail or Outlook.',
    permissions: ['alarms', 'storage', 'unlimitedStorage', 'identity'],
    host_permissions: [
      'https://gmail.googleapis.com/*',
      'https://graph.microsoft.com/*',
      'https://oauth2.googleapis.com/*',
      'https://login.microsoftonline.com/*',
      // The mail sandbox and a backend run locally in the demo and in tests.
      'http://127.0.0.1/*',
      'http://localhost/*',
    ],
  },
});
