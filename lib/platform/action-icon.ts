import { browser } from 'wxt/browser';

/** What the toolbar icon shows: Threadline's mark, or the same greyed with a pause badge while sends are on hold. */
export type IconState = 'normal' | 'on_hold';

/** The part of chrome.action (Firefox MV2: browserAction) the toolbar icon needs. */
export interface ActionApi {
  setIcon(details: { path: Record<string, string> }): Promise<void> | void;
}

/** The toolbar button as the worker uses it: its icon, and the badge counting the queue (queue-badge.ts). */
export interface ToolbarAction extends ActionApi {
  setBadgeText(details: { text: string }): Promise<void> | void;
  setBadgeBackgroundColor?(details: { color: string }): Promise<void> | void;
}

/** Sets the toolbar icon for a state. */
export interface ToolbarIcon {
  show(state: IconState): Promise<void>;
}

export const ICON_SIZES = [16, 32, 48, 128] as const;

/** The packaged PNGs (public/icon/, rendered by scripts/render-icons.ts), by size, for setIcon. */
export function iconPaths(state: IconState): Record<string, string> {
  const prefix = state === 'on_hold' ? 'on-hold-' : '';
  return Object.fromEntries(ICON_SIZES.map((size) => [String(size), `/icon/${prefix}${size}.png`]));
}

/** The browser's action API: `action` in Manifest V3 (Chrome), `browserAction` in WXT's Firefox MV2 build. */
export function browserAction(): ToolbarAction | undefined {
  const b = browser as unknown as { action?: ToolbarAction; browserAction?: ToolbarAction };
  return b.action ?? b.browserAction;
}

export function browserToolbarIcon(action: ActionApi | undefined): ToolbarIcon {
  return {
    async show(state) {
      await action?.setIcon({ path: iconPaths(state) });
    },
  };
}
