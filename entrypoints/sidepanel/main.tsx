import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { styles } from '@/components/styles';
import { prefetchFirstScreen } from '@/lib/inbox-ui/queue-container';
import { SidePanel } from '@/lib/inbox-ui/side-panel';
import type { Runtime } from '@/lib/protocol/endpoints';

const runtime = browser.runtime as unknown as Runtime;
// The queue's first screen is asked for while the page sets up and renders.
prefetchFirstScreen(runtime);

// The browser's side panel: the task queue on any tab (and a thread panel when a mail client had no slot).
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
  <SidePanel runtime={runtime} storage={browser.storage.local} />,
);
