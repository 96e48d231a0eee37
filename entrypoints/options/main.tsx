import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { Runtime } from '@/lib/protocol/endpoints';
import { AccountsSection } from './accounts-section';
import { OPTIONS_CSS } from './style';

const style = document.createElement('style');
style.textContent = OPTIONS_CSS;
document.head.append(style);
createRoot(document.getElementById('root')!).render(
  <main className="tl-options">
    <h1>Threadline</h1>
    <AccountsSection runtime={browser.runtime as unknown as Runtime} />
  </main>,
);
