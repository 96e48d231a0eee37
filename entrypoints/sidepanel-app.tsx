import { createRoot } from 'react-dom/client';
import { styles } from '@/components/styles';
import { SidePanel } from '@/components/inbox/side-panel';
import { browserRuntime } from '@/lib/platform/runtime';
import { browserStorage } from '@/lib/platform/storage';

// The browser's side panel: the task queue on any tab (and a thread panel when a mail client had no slot).
// Built like the content scripts (one classic script, Preact's React layer: see wxt.config.ts) so the panel
// opens at once; sidepanel/index.html loads it after first-screen.js.
export default defineUnlistedScript(() => {
  const style = document.createElement('style');
  // The shared stylesheet themes `:host`; here the document root plays that part.
  style.textContent =
    styles.replace(/:host\(([^)]*)\)/g, ':root$1').replaceAll(':host', ':root') +
    'body { margin: 0; } .tl-sidepanel { padding: 8px; }';
  document.head.append(style);
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const theme = () => document.documentElement.setAttribute('data-theme', dark.matches ? 'dark' : 'light');
  theme();
  dark.addEventListener('change', theme);

  createRoot(document.getElementById('root')!).render(
    <SidePanel runtime={browserRuntime()} storage={browserStorage().session} />,
  );
});
