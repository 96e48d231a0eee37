import { defineConfig } from 'wxt';

// The extension's manifest and build. Entrypoints only wire; logic lives in lib/.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: {
    name: 'Threadline',
    description: 'One-to-one sales follow-up sequences inside your own Gmail or Outlook.',
    permissions: ['alarms', 'storage', 'unlimitedStorage'],
  },
});
