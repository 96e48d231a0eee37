import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { Runtime } from '@/lib/protocol/endpoints';
import { OptionsApp, type OptionsPage } from '@/components/options/options-app';
import { OPTIONS_CSS } from '@/components/options/styles';
import { AccountsSection } from '@/components/options/settings/mailboxes';

const runtime = browser.runtime as unknown as Runtime;
const pages: OptionsPage[] = [
  {
    id: 'settings',
    label: 'Settings',
    render: () => <AccountsSection runtime={runtime} />,
  },
];

const style = document.createElement('style');
style.textContent = OPTIONS_CSS;
document.head.append(style);
createRoot(document.getElementById('root')!).render(<OptionsApp pages={pages} />);
