import type { ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { styles } from '@/components/styles';

/**
 * Renders a panel inside an open shadow root at the end of `anchor`, with the shared stylesheet and the host's
 * theme. Keystrokes stay inside (Gmail and Outlook have single-key shortcuts), and nothing leaks either way:
 * the stylesheet resets `:host` itself. Returns the unmount function.
 */
export async function mountPanel(
  ctx: ContentScriptContext,
  anchor: HTMLElement,
  theme: 'light' | 'dark',
  node: ReactNode,
): Promise<() => void> {
  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'threadline-panel',
    position: 'inline',
    anchor,
    append: 'last',
    css: styles,
    inheritStyles: true, // styles.ts starts with `:host { all: initial }`; WXT's own reset would hide display
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container, _shadow, host) {
      host.setAttribute('data-theme', theme);
      const root = createRoot(container);
      root.render(node);
      return root;
    },
    onRemove: (root) => root?.unmount(),
  });
  ui.mount();
  return () => ui.remove();
}
