import { browser } from 'wxt/browser';

export type StorageChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;
export type StorageChangeListener = (changes: StorageChanges) => void;

/** One of the browser's key-value storage areas (`storage.local`, `storage.session`). */
export interface StorageArea {
  /** `null` reads every item. */
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  onChanged: {
    addListener(cb: StorageChangeListener): void;
    removeListener(cb: StorageChangeListener): void;
  };
  /** Chrome only: who may read the area (TRUSTED_CONTEXTS keeps content scripts out). */
  setAccessLevel?(options: { accessLevel: 'TRUSTED_CONTEXTS' }): Promise<void>;
}

export interface Storage {
  /** This device, kept across restarts. */
  local: StorageArea;
  /** Kept while the browser runs; extension pages only. */
  session: StorageArea;
}

type BrowserArea = typeof browser.storage.local;

function area(storage: BrowserArea): StorageArea {
  return {
    get: (keys) => storage.get(keys),
    set: (items) => storage.set(items),
    remove: (keys) => storage.remove(keys),
    onChanged: {
      addListener: (cb) => storage.onChanged.addListener(cb),
      removeListener: (cb) => storage.onChanged.removeListener(cb),
    },
    // Firefox lacks it for storage.local: leave it out rather than calling something that is not there.
    ...(storage.setAccessLevel ? { setAccessLevel: (options) => storage.setAccessLevel(options) } : {}),
  };
}

export function browserStorage(storage: typeof browser.storage = browser.storage): Storage {
  return { local: area(storage.local), session: area(storage.session) };
}
