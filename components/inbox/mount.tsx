import type { ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { styles } from '@/components/styles';
import { acceptOnlyUserEvents } from './user-events';

/**
 * How the panels' shadow roots are attached. Closed in every build a rep runs: the mail page's scripts then get
 * `null` for `host.shadowRoot` and cannot read the contacts and sequences inside or reach its buttons. Only the
 * end-to-end test build leaves them open, for Playwright's locators (which cannot enter a closed root).
 */
export const panelShadowMode = (buildMode: string): ShadowRootMode =>
  buildMode === 'test' ? 'open' : 'closed';

/**
 * Renders a panel inside a shadow root at the end of `anchor`, with the shared stylesheet and the host's
 * theme. Keystrokes stay inside (Gmail and Outlook have single-key shortcuts), and nothing leaks either way:
 * the stylesheet resets `:host` itself. Only the rep's own clicks, keystrokes and typing reach the panel
 * (user-events.ts). Returns the unmount function.
 */
export async function mountPanel(
  ctx: ContentScriptContext,
  anchor: HTMLElement,
  theme: 'light' | 'dark',
  node: ReactNode,
  mode: ShadowRootMode = 'closed',
): Promise<() => void> {
  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'threadline-panel',
    position: 'inline',
    anchor,
    append: 'last',
    mode,
    css: styles,
    inheritStyles: true, // styles.ts starts with `:host { all: initial }`; WXT's own reset would hide display
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container, shadow, host) {
      host.setAttribute('data-theme', theme);
      acceptOnlyUserEvents(shadow);
      const root = createRoot(container);
      root.render(node);
      return root;
    },
    onRemove: (root) => root?.unmount(),
  });
  ui.mount();
  return () => ui.remove();
}
