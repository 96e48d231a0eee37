import type { PublicPath } from 'wxt/browser';
import type { IconState, ToolbarAction } from './action-icon';
import type { Alarms } from './alarms';
import type { Identity } from './identity';
import type { Permissions } from './permissions';
import type { Platform } from './platform';
import type { MessageListener, MessageSender, RuntimeMessaging } from './runtime';
import type { SidePanel } from './side-panel';
import type { StorageArea, StorageChangeListener } from './storage';
import type { Tabs } from './tabs';

// Hand-written stand-ins for the browser APIs behind lib/platform, each keeping the state the real one keeps
// (and failing where it fails), so the worker's wiring runs in Node without any browser global.

/** A stand-in for chrome.action in tests: remembers every icon set, like the real one shows the last. */
export function createFakeAction(): ToolbarAction & {
  calls: Record<string, string>[];
  current(): IconState | undefined;
  badge: { text: string; color?: string };
} {
  const calls: Record<string, string>[] = [];
  const badge: { text: string; color?: string } = { text: '' };
  return {
    calls,
    badge,
    setIcon({ path }) {
      if (!path['16'] || !path['128']) throw new Error('setIcon: a path for 16 and 128 px is required');
      calls.push(path);
    },
    setBadgeText({ text }) {
      badge.text = text;
    },
    setBadgeBackgroundColor({ color }) {
      badge.color = color;
    },
    current() {
      const last = calls.at(-1);
      if (!last) return undefined;
      return last['16']!.includes('on-hold') ? 'on_hold' : 'normal';
    },
  };
}

export interface FakeAlarm {
  name: string;
  scheduledTime?: number;
  periodInMinutes?: number;
}

/** chrome.alarms: one alarm per name (creating it again replaces it); `fire` plays the browser's part. */
export function createFakeAlarms(): Alarms & {
  all(): FakeAlarm[];
  fire(name: string): void;
  listenerCount(): number;
} {
  const alarms = new Map<string, FakeAlarm>();
  const listeners: ((alarm: { name: string }) => void)[] = [];
  return {
    create(name, { when, periodInMinutes }) {
      alarms.set(name, {
        name,
        ...(when !== undefined ? { scheduledTime: when } : {}),
        ...(periodInMinutes !== undefined ? { periodInMinutes } : {}),
      });
    },
    get: async (name) => alarms.get(name),
    clear: async (name) => alarms.delete(name),
    onAlarm: { addListener: (cb) => void listeners.push(cb) },
    all: () => [...alarms.values()],
    fire(name) {
      for (const cb of listeners) cb({ name });
    },
    listenerCount: () => listeners.length,
  };
}

/** The worker's side of runtime messaging, plus the pages and content scripts that talk to it. */
export interface FakeRuntime extends RuntimeMessaging {
  /** What the worker sent to the extension's pages (runtime.sendMessage), oldest first. */
  broadcast: unknown[];
  /** Another context of the extension (a page, a content script) at `url`: its sendMessage reaches the worker. */
  from(url: string, id?: string): RuntimeMessaging;
  /** This extension's own page, e.g. `pageUrl('/options.html')`. */
  pageUrl(path: string): string;
}

export function createFakeRuntime(id = 'fake-extension-id', version = '0.0.0-test'): FakeRuntime {
  const listeners: MessageListener[] = [];
  const getURL = (path: string) => `chrome-extension://${id}${path.startsWith('/') ? '' : '/'}${path}`;
  const broadcast: unknown[] = [];
  // A message reaches every listener of the other contexts; the first that answers (returns a promise) wins.
  // Nobody answering rejects with Chrome's own words.
  const deliver = (message: unknown, sender: MessageSender) => {
    // Messages are copied between contexts (structured clone), never shared.
    const copy = structuredClone(message);
    for (const cb of [...listeners]) {
      const answer = cb(copy, sender);
      if (answer !== undefined) return answer.then((reply) => structuredClone(reply));
    }
    return Promise.reject(new Error('Could not establish connection. Receiving end does not exist.'));
  };
  const contextAt = (url: string, senderId: string): RuntimeMessaging => {
    return {
      id,
      sendMessage: (message) => deliver(message, { id: senderId, url }),
      // What the worker broadcasts is kept in `broadcast`; these contexts do not listen in unit tests.
      onMessage: { addListener: () => undefined, removeListener: () => undefined },
      getURL,
      version: () => version,
    };
  };
  return {
    id,
    broadcast,
    // The worker's own sendMessage goes to the extension's pages; none is open in a unit test.
    sendMessage: async (message) => {
      broadcast.push(structuredClone(message));
      throw new Error('Could not establish connection. Receiving end does not exist.');
    },
    onMessage: {
      addListener: (cb) => void listeners.push(cb),
      removeListener: (cb) => {
        const at = listeners.indexOf(cb);
        if (at >= 0) listeners.splice(at, 1);
      },
    },
    getURL: (path: PublicPath) => getURL(path),
    version: () => version,
    from: (url, senderId = id) => contextAt(url, senderId),
    pageUrl: getURL,
  };
}

/** storage.local / storage.session: values copied in and out, change events like the browser's. */
export function createFakeStorageArea(
  options: { restrictable?: boolean } = {},
): StorageArea & { items: Map<string, unknown>; accessLevel?: string } {
  const items = new Map<string, unknown>();
  const listeners: StorageChangeListener[] = [];
  const keysOf = (keys: string | string[] | null) =>
    keys === null ? [...items.keys()] : typeof keys === 'string' ? [keys] : keys;
  const area: StorageArea & { items: Map<string, unknown>; accessLevel?: string } = {
    items,
    get: async (keys) =>
      Object.fromEntries(
        keysOf(keys).flatMap((k) => (items.has(k) ? [[k, structuredClone(items.get(k))]] : [])),
      ),
    async set(values) {
      const changes = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, { oldValue: items.get(k), newValue: structuredClone(v) }]),
      );
      for (const [k, v] of Object.entries(values)) items.set(k, structuredClone(v));
      for (const cb of [...listeners]) cb(changes);
    },
    async remove(keys) {
      const gone = keysOf(keys).filter((k) => items.has(k));
      const changes = Object.fromEntries(gone.map((k) => [k, { oldValue: items.get(k) }]));
      for (const k of gone) items.delete(k);
      if (gone.length) for (const cb of [...listeners]) cb(changes);
    },
    onChanged: {
      addListener: (cb) => void listeners.push(cb),
      removeListener: (cb) => {
        const at = listeners.indexOf(cb);
        if (at >= 0) listeners.splice(at, 1);
      },
    },
  };
  if (options.restrictable)
    area.setAccessLevel = async ({ accessLevel }) => void (area.accessLevel = accessLevel);
  return area;
}

/** chrome.identity: the provider's page answers with `respond` (default: the rep closed the window). */
export function createFakeIdentity(
  id = 'fake-extension-id',
  respond: (url: string, interactive: boolean) => Promise<string | undefined> = async () => {
    throw new Error('The user did not approve access.');
  },
): Identity & { launched: { url: string; interactive: boolean }[] } {
  const launched: { url: string; interactive: boolean }[] = [];
  return {
    launched,
    launchWebAuthFlow(url, interactive) {
      launched.push({ url, interactive });
      return respond(url, interactive);
    },
    getRedirectURL: () => `https://${id}.chromiumapp.org/`,
  };
}

/** `permissions`: the rep's answer to each prompt is `grant`'s (default: allowed); granted origins are kept. */
export function createFakePermissions(
  grant: (origin: string) => boolean = () => true,
): Permissions & { asked: string[]; granted: Set<string> } {
  const asked: string[] = [];
  const granted = new Set<string>();
  return {
    asked,
    granted,
    async requestOrigin(origin) {
      // Chrome refuses a malformed origin pattern instead of prompting.
      matchesPattern(`${origin}/`, `${origin}/*`);
      asked.push(origin);
      if (granted.has(origin)) return true;
      if (!grant(origin)) return false;
      granted.add(origin);
      return true;
    },
  };
}

/** Whether `url` matches an extension match pattern (`https://*.example.com/*`, `<all_urls>`). */
export function matchesPattern(url: string, pattern: string): boolean {
  const u = new URL(url);
  if (pattern === '<all_urls>') return ['http:', 'https:', 'file:'].includes(u.protocol);
  const [, scheme, host, path] = /^(\*|https?|file):\/\/([^/]*)(\/.*)$/.exec(pattern) ?? [];
  if (!scheme || host === undefined || !path) throw new Error(`Invalid match pattern: ${pattern}`);
  if (scheme === '*' ? !['http:', 'https:'].includes(u.protocol) : u.protocol !== `${scheme}:`) return false;
  const hostOk =
    host === '*' ||
    (host.startsWith('*.')
      ? u.hostname === host.slice(2) || u.hostname.endsWith(host.slice(1))
      : u.hostname === host);
  const glob = new RegExp(
    `^${path
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return hostOk && glob.test(u.pathname + u.search);
}

/** chrome.tabs: open tabs by id and address; each message a tab gets is kept. */
export function createFakeTabs(open: { id: number; url: string }[] = []): Tabs & {
  open: { id: number; url: string }[];
  received: { tabId: number; message: unknown }[];
} {
  const received: { tabId: number; message: unknown }[] = [];
  let next = Math.max(0, ...open.map((t) => t.id)) + 1;
  return {
    open,
    received,
    idsMatching: async (patterns) =>
      open.filter((t) => patterns.some((p) => matchesPattern(t.url, p))).map((t) => t.id),
    async sendMessage(tabId, message) {
      if (!open.some((t) => t.id === tabId)) throw new Error(`No tab with id: ${tabId}.`);
      received.push({ tabId, message: structuredClone(message) });
      return undefined;
    },
    async create({ url }) {
      open.push({ id: next++, url });
    },
  };
}

/** Chrome's sidePanel, or (`supported: false`) a browser without one, like Firefox. */
export function createFakeSidePanel(supported = true): SidePanel & { opensOnActionClick: boolean } {
  const panel = {
    opensOnActionClick: false,
    async openOnActionClick() {
      if (!supported) return false;
      panel.opensOnActionClick = true;
      return true;
    },
  };
  return panel;
}

export type FakePlatform = Platform & {
  runtime: FakeRuntime;
  storage: {
    local: ReturnType<typeof createFakeStorageArea>;
    session: ReturnType<typeof createFakeStorageArea>;
  };
  identity: ReturnType<typeof createFakeIdentity>;
  tabs: ReturnType<typeof createFakeTabs>;
  sidePanel: ReturnType<typeof createFakeSidePanel>;
  alarms: ReturnType<typeof createFakeAlarms>;
  action: ReturnType<typeof createFakeAction>;
  /** Every request the worker made, in order. */
  requests: string[];
};

/**
 * Chrome as the worker sees it, all fakes. The network answers with `fetch` (default: none, every request
 * fails as offline), and each request's address is kept.
 */
export function createFakePlatform(
  options: { fetch?: typeof fetch; tabs?: { id: number; url: string }[] } = {},
): FakePlatform {
  const id = 'fake-extension-id';
  const requests: string[] = [];
  const network = options.fetch ?? (async () => Promise.reject(new TypeError('Failed to fetch')));
  return {
    runtime: createFakeRuntime(id),
    storage: { local: createFakeStorageArea({ restrictable: true }), session: createFakeStorageArea() },
    identity: createFakeIdentity(id),
    tabs: createFakeTabs(options.tabs),
    sidePanel: createFakeSidePanel(),
    alarms: createFakeAlarms(),
    action: createFakeAction(),
    requests,
    fetch: (input, init) => {
      requests.push(input instanceof Request ? input.url : String(input));
      return network(input, init);
    },
  };
}
