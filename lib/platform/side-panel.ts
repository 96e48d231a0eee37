import { browser } from 'wxt/browser';

/** The browser's side panel (Chrome's sidePanel; Firefox has none). */
export interface SidePanel {
  /** The toolbar icon opens the side panel; false where the browser has no side panel. */
  openOnActionClick(): Promise<boolean>;
}

interface SidePanelApi {
  setPanelBehavior(behavior: { openPanelOnActionClick: boolean }): Promise<void>;
}

export function browserSidePanel(
  api: SidePanelApi | undefined = (browser as { sidePanel?: SidePanelApi }).sidePanel,
): SidePanel {
  return {
    async openOnActionClick() {
      if (!api) return false;
      await api.setPanelBehavior({ openPanelOnActionClick: true });
      return true;
    },
  };
}
