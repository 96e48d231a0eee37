import { browser } from 'wxt/browser';

/** What the toolbar icon shows: Threadline's mark, or the same greyed with a pause badge while sends are on hold. */
export type IconState = 'normal' | 'on_hold';

/** The part of chrome.action (Firefox MV2: browserAction) the toolbar icon needs. */
export interface ActionApi {
  setIcon(details: { path: Record<string, string> }): Promise<void> | void;
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
function browserAction(): ActionApi | undefined {
  const b = browser as unknown as { action?: ActionApi; browserAction?: ActionApi };
  return b.action ?? b.browserAction;
}

export function browserToolbarIcon(action: ActionApi | undefined = browserAction()): ToolbarIcon {
  return {
    async show(state) {
      await action?.setIcon({ path: iconPaths(state) });
    },
  };
}
