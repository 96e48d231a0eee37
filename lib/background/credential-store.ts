import Dexie, { type Table } from 'dexie';

/**
 * Where the mailbox OAuth tokens, the connected accounts (with a sandbox mailbox's address) and the backend
 * session live: an IndexedDB database of the extension's own origin. Only the extension's pages and its service
 * worker open it; a content script runs with the mail site's origin, so its IndexedDB is the site's and this
 * database is out of its reach in every browser. (`storage.local` is not: content scripts read and write it in
 * Firefox, where `setAccessLevel` exists for `storage.session` only, and in Chrome until restricted.) A database
 * of its own, apart from the synced one: never captured for sync, never in "export my data".
 */
export const CREDENTIALS_DB = 'threadline-credentials';

interface Row {
  key: string;
  value: unknown;
}

class CredentialDb extends Dexie {
  items!: Table<Row, string>;
  meta!: Table<Row, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ items: 'key', meta: 'key' });
  }
}

/** Set once storage.local's credentials have moved: from then on, anything found there is dropped, never read. */
const MIGRATED = 'migratedFromStorageLocal';

/** The key-value surface the account service and the backend session keep their state behind. */
export interface KeyValueStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** What the migration reads from: `browser.storage.local` (get(null) gives every item). */
export interface LegacyStorage {
  get(keys: null): Promise<Record<string, unknown>>;
  remove(keys: string[]): Promise<void>;
}

/** The keys earlier versions kept in storage.local: the accounts, each mailbox's tokens, the backend session. */
export const isCredentialKey = (key: string) =>
  key === 'accounts' || key === 'backend' || key.startsWith('tokens:');

/**
 * The credential store. With `legacy`, the first operation waits until whatever an earlier version left in
 * storage.local has moved here (a rep who updates stays signed in). The move happens once: copied with a marker
 * in one transaction, deleted after (a worker killed in between deletes next time). Whatever turns up in
 * storage.local later was written by someone else (a content script, in Firefox) and is deleted unread: read,
 * an account's sandbox address or the backend's URL written there would send the tokens to another host.
 */
export function createCredentialStore(
  options: { name?: string; legacy?: LegacyStorage } = {},
): KeyValueStore & { migrated: Promise<void> } {
  const db = new CredentialDb(options.name ?? CREDENTIALS_DB);
  const migrated = options.legacy ? migrate(db, options.legacy) : Promise.resolve();
  const ready = <T>(work: () => Promise<T>) => migrated.then(work);
  return {
    migrated,
    get: (key) =>
      ready(async () => {
        const row = await db.items.get(key);
        return row ? { [key]: row.value } : {};
      }),
    set: (items) =>
      ready(async () => {
        await db.items.bulkPut(Object.entries(items).map(([key, value]) => ({ key, value })));
      }),
    remove: (key) => ready(() => db.items.delete(key)),
  };
}

async function migrate(db: CredentialDb, legacy: LegacyStorage): Promise<void> {
  const all = await legacy.get(null);
  const keys = Object.keys(all).filter(isCredentialKey);
  await db.transaction('rw', db.items, db.meta, async () => {
    if (await db.meta.get(MIGRATED)) return;
    await db.items.bulkPut(keys.map((key) => ({ key, value: all[key] })));
    await db.meta.put({ key: MIGRATED, value: true });
  });
  if (keys.length) await legacy.remove(keys);
}

/** The part of `storage.local` whose access level Chrome lets an extension set. */
export interface RestrictableStorage {
  setAccessLevel?(options: { accessLevel: 'TRUSTED_CONTEXTS' }): Promise<void>;
}

/**
 * Defence in depth where the browser offers it: Chrome keeps `storage.local` from content scripts once told to
 * (Firefox supports the call for `storage.session` only, and rejects or lacks it here). Nothing sensitive is in
 * storage.local any more either way; the content scripts ask the background for what they need.
 */
export async function restrictStorageToExtension(storage: RestrictableStorage): Promise<boolean> {
  try {
    if (!storage.setAccessLevel) return false;
    await storage.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return true;
  } catch {
    return false;
  }
}
