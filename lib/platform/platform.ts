import { browserAction, type ToolbarAction } from './action-icon';
import type { Alarms } from './alarms';
import { browserIdentity, type Identity } from './identity';
import { browserRuntime, type RuntimeMessaging } from './runtime';
import { browserSidePanel, type SidePanel } from './side-panel';
import { browserStorage, type Storage } from './storage';
import { browserTabs, type Tabs } from './tabs';
import { browser } from 'wxt/browser';

/**
 * Every browser API the service worker uses, each behind its own small interface, so the worker starts from
 * this one object: the browser's (createBrowserPlatform) or testing.ts's fakes (createFakePlatform).
 */
export interface Platform {
  runtime: RuntimeMessaging;
  storage: Storage;
  identity: Identity;
  tabs: Tabs;
  sidePanel: SidePanel;
  alarms: Alarms;
  /** The toolbar button's icon and badge; undefined where the browser has none. */
  action: ToolbarAction | undefined;
  /** The network (mail providers, the team backend). */
  fetch: typeof fetch;
}

export function createBrowserPlatform(): Platform {
  return {
    runtime: browserRuntime(),
    storage: browserStorage(),
    identity: browserIdentity(),
    tabs: browserTabs(),
    sidePanel: browserSidePanel(),
    alarms: browser.alarms,
    action: browserAction(),
    // Called through a function so it always reaches the global `fetch` with the global as `this`.
    fetch: (...args) => fetch(...args),
  };
}
