import { browser } from 'wxt/browser';
import { ThreadlineDb } from '../db/database';
import { browserAlarm, ensureWatchAlarm, onTickAlarm, onWatchAlarm } from '../platform/alarms';
import { listen, type Runtime } from '../protocol/endpoints';
import { createChangeBroadcaster } from '../protocol/changes';
import type { RunnerDeps } from '../runner/deps';
import { htmlToText } from '../templates/text';
import { watchMailbox } from '../runner/reply-watcher';
import { createAccountService, type OAuthApps } from './accounts';
import { createCredentialStore, restrictStorageToExtension } from './credential-store';
import { createEngineHost } from './engine-host';
import { loadRep, loadTeamHolidays } from '../db/settings';
import { createWatchHost } from './watch-host';
import { createBackendSession } from '../sync/backend-session';
import { createSyncHost, SYNC_ALARM } from './sync-host';
import { createHoldIcon } from './sends-on-hold';
import { browserToolbarIcon } from '../platform/action-icon';
import { createQueueBadge, type BadgeApi } from './queue-badge';
import { isMailPage, mailHostsFor, matchPatterns } from '../hosts/mail-hosts';
import { DiagnosticsDb } from '../diagnostics/store';
import { backgroundHandlers } from './handlers';

/** The mail hosts whose content scripts may talk to the background: the one list (lib/hosts/mail-hosts.ts). */
export const MAIL_HOSTS = mailHostsFor(import.meta.env.MODE);

export interface BackgroundOptions {
  db?: ThreadlineDb;
  apps?: OAuthApps;
  /** Plain http backends: the demo and test builds only (lib/build/modes.ts). */
  allowHttpBackend?: boolean;
}

/**
 * Composition root of the service worker: the database, connected accounts, the engine and reply-watch
 * hosts, the alarms and the message protocol. Listeners are registered synchronously so an alarm or message
 * that wakes the worker reaches them.
 */
export function startBackground(options: BackgroundOptions = {}) {
  const db = options.db ?? new ThreadlineDb();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Tokens, accounts and the backend session: out of content scripts' reach (credential-store.ts).
  void restrictStorageToExtension(browser.storage.local);
  const credentials = createCredentialStore({ legacy: browser.storage.local });
  const accounts = createAccountService({
    storage: credentials,
    launchWebAuthFlow: (url, interactive) => browser.identity.launchWebAuthFlow({ url, interactive }),
    redirectUri: browser.identity.getRedirectURL(),
    fetch: (...args) => fetch(...args),
    clock: () => Date.now(),
    apps: options.apps ?? {},
  });
  const deps: RunnerDeps = {
    db,
    clock: { now: () => Date.now() },
    alarm: browserAlarm(),
    mailFor: (mailbox) => accounts.mailFor(mailbox),
    rep: () => loadRep(db, zone),
    teamHolidays: () => loadTeamHolidays(db),
    newId: () => crypto.randomUUID(),
    htmlToText,
  };
  // Every committed event tells the open views to reload (debounced).
  const changes = createChangeBroadcaster({
    runtimeId: browser.runtime.id,
    sendToPages: (m) => browser.runtime.sendMessage(m),
    mailTabIds: async () =>
      (await browser.tabs.query({ url: matchPatterns(MAIL_HOSTS) })).flatMap((t) =>
        t.id === undefined ? [] : [t.id],
      ),
    sendToTab: (id, m) => browser.tabs.sendMessage(id, m),
  });
  // The toolbar badge: tasks due today and enrollments that need the rep (queue-badge.ts).
  const badge = createQueueBadge({
    db,
    api: ((b) => b.action ?? b.browserAction)(browser as { action?: BadgeApi; browserAction?: BadgeApi }),
    now: () => Date.now(),
    timeZone: async () => (await loadRep(db, zone)).timeZone,
  });
  deps.onEvent = () => {
    changes.notify();
    sync.nudge();
    badge.update();
  };
  // Right before sending, look for replies that arrived since the last watch cycle.
  deps.checkReplies = (mailbox) => watchMailbox(deps, mailbox).then(() => undefined);
  const session = createBackendSession({
    storage: credentials,
    allowHttp: options.allowHttpBackend ?? false,
    fetch: (...args) => fetch(...args),
    idToken: (provider, nonce, { loginHint, sandboxUrl }) =>
      accounts.openIdToken(
        provider === 'microsoft' ? 'graph' : 'gmail',
        nonce,
        loginHint,
        provider === 'sandbox' ? sandboxUrl : undefined,
      ),
    newClientId: () => crypto.randomUUID(),
  });
  // Greyed with a pause badge while sends are on hold (sends-on-hold.ts).
  const holdIcon = createHoldIcon(db, browserToolbarIcon());
  const sync = createSyncHost({
    db,
    session,
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    alarms: browser.alarms,
    runner: deps,
    onHoldChange: () => {
      changes.notify();
      void holdIcon().catch(() => undefined);
    },
  });
  deps.decorate = (message, ref) => sync.decorate(message, ref);
  const host = createEngineHost(deps);
  const watch = createWatchHost(deps);
  const ready = accounts.refresh();

  onTickAlarm(() => void ready.then(() => host.tick()));
  // Reply watching runs on its own periodic alarm, once a minute, for every mailbox with live enrollments.
  onWatchAlarm(() => void ready.then(() => watch.cycle()));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void sync.onAlarm();
  });
  // The toolbar icon shows a hold recorded before the browser restarted (set icons do not survive it).
  void holdIcon().catch(() => undefined);
  void sync.start();
  void host.reconcile();
  void ensureWatchAlarm();
  // The toolbar icon opens the task queue in the browser's side panel (Chrome; Firefox has no sidePanel API).
  void (
    browser as { sidePanel?: { setPanelBehavior(b: { openPanelOnActionClick: boolean }): Promise<void> } }
  ).sidePanel
    ?.setPanelBehavior({ openPanelOnActionClick: true })
    .catch(() => undefined);

  void badge.refresh().catch(() => undefined);
  listen(
    browser.runtime as unknown as Runtime,
    backgroundHandlers({
      db,
      runner: deps,
      accounts,
      session,
      sync,
      engine: host,
      watch,
      ready,
      now: () => Date.now(),
      zone,
      viewsChanged: () => changes.notify(),
      queueChanged: () => {
        changes.notify();
        badge.update();
      },
      diagnostics: { db: new DiagnosticsDb(), version: browser.runtime.getManifest().version },
      pages: {
        sessionStorage: browser.storage.session,
        tabs: browser.tabs,
        pageUrl: (path) => browser.runtime.getURL(path as '/options.html'),
      },
    }),
    (url) => isMailPage(url, MAIL_HOSTS),
  );
  return { db, deps, host, watch, accounts, ready, sync };
}
