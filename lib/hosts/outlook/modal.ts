import type { ComposeButton } from '../types';

const MODAL_ATTR = 'data-threadline-modal';

/**
 * A modal over Outlook for the enroll flow (Outlook offers no modal to add-ons in the page): a backdrop, a
 * titled dialog with a close button, Escape and a click on the backdrop close it, and focus goes back where it
 * was. `el` is the empty slot the panel mounts in.
 */
export function openModal(
  doc: Document,
  button: ComposeButton,
  theme: 'light' | 'dark',
): { el: HTMLElement; close(): void; signal: AbortSignal } {
  const ctl = new AbortController();
  const before = doc.activeElement as HTMLElement | null;
  const root = doc.createElement('div');
  root.setAttribute(MODAL_ATTR, '');
  root.style.cssText =
    'position: fixed; inset: 0; z-index: 2147483000; display: flex; align-items: center; justify-content: center; background: rgba(0, 0, 0, 0.4);';
  const dialog = doc.createElement('div');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', button.title);
  dialog.tabIndex = -1;
  const dark = theme === 'dark';
  dialog.style.cssText = `width: min(560px, 94vw); max-height: 88vh; overflow: auto; border-radius: 8px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.35); background: ${dark ? '#292929' : '#fff'}; color: ${dark ? '#fff' : '#242424'}; font: 14px 'Segoe UI', system-ui, sans-serif;`;
  const header = doc.createElement('div');
  header.style.cssText =
    'display: flex; align-items: center; justify-content: space-between; padding: 12px 16px 0 20px; font-size: 16px; font-weight: 600;';
  const title = doc.createElement('span');
  title.textContent = button.title;
  const x = doc.createElement('button');
  x.type = 'button';
  x.setAttribute('aria-label', button.closeLabel);
  x.title = button.closeLabel;
  x.textContent = '×';
  x.style.cssText =
    'border: 0; background: transparent; color: inherit; font-size: 22px; line-height: 1; width: 32px; height: 32px; border-radius: 4px; cursor: pointer;';
  header.append(title, x);
  const el = doc.createElement('div');
  dialog.append(header, el);
  root.append(dialog);
  const close = () => {
    if (ctl.signal.aborted) return;
    ctl.abort();
    root.remove();
    before?.focus?.();
  };
  x.addEventListener('click', close);
  root.addEventListener('click', (e) => e.target === root && close());
  // Capture: the panel keeps its keystrokes from Outlook's shortcuts, so Escape is caught on the way down.
  dialog.addEventListener('keydown', (e) => e.key === 'Escape' && close(), { capture: true });
  doc.body.append(root);
  dialog.focus();
  return { el, close, signal: ctl.signal };
}
