import { ThreadlineDb } from '../db/database';
import { loadRep, loadTeamHolidays } from '../db/settings';
import { DiagnosticsDb } from '../diagnostics/store';
import { isMailPage, mailHostsFor, matchPatterns } from '../hosts/mail-hosts';
import { browserToolbarIcon } from '../platform/action-icon';
import { browserAlarm, ensureWatchAlarm, routeAlarms, TICK_ALARM, WATCH_ALARM } from '../platform/alarms';
import type { Platform } from '../platform/platform';
import { createChangeBroadcaster } from '../protocol/changes';
import { listen } from '../protocol/endpoints';
import type { RunnerDeps } from '../runner/deps';
import { watchMailbox } from '../runner/reply-watcher';
import { createBackendSession } from '../sync/backend-session';
import { htmlToText } from '../templates/text';
import { createAccountService, type OAuthApps } from './accounts';
import { createCredentialStore, restrictStorageToExtension } from './credential-store';
import { runHubSpotStageEntries } from './deal-hubspot-entries';
import { createEngineHost } from './engine-host';
import { backgroundHandlers } from './handlers';
import { createQueueBadge } from './queue-badge';
import { createHoldIcon } from './sends-on-hold';
import { createSyncHost, SYNC_ALARM } from './sync-host';
import { createWatchHost } from './watch-host';

/** The mail hosts whose content scripts may talk to the background: the one list (lib/hosts/mail-hosts.ts). */
export const MAIL_HOSTS = mailHostsFor(import.meta.env.MODE);

export interface BackgroundOptions {
  /** The browser (createBrowserPlatform) or, in tests, lib/platform/testing.ts's fakes. */
  platform: Platform;
  db?: ThreadlineDb;
  apps?: OAuthApps;
  /** Plain http backends: the demo and test builds only (lib/build/modes.ts). */
  allowHttpBackend?: boolean;
}

/**
 * Composition root of the service worker: the database, connected accounts, the engine and reply-watch
 * hosts, the alarms and the message protocol, all over `platform`. Listeners are registered synchronously so
 * an alarm or message that wakes the worker reaches them.
 */
export function startBackground(options: BackgroundOptions) {
  const { platform } = options;
  const now = () => Date.now();
  const db = options.db ?? new ThreadlineDb();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // The one chrome.alarms listener, made in the worker's first turn; each alarm's handler is added below.
  const alarms = routeAlarms(platform.alarms);
  // Tokens, accounts and the backend session: out of content scripts' reach (credential-store.ts).
  const local = platform.storage.local;
  void restrictStorageToExtension(local);
  const credentials = createCredentialStore({ legacy: local });
  const accounts = createAccountService({
    storage: credentials,
    launchWebAuthFlow: (url, interactive) => platform.identity.launchWebAuthFlow(url, interactive),
    redirectUri: platform.identity.getRedirectURL(),
    fetch: platform.fetch,
    clock: now,
    apps: options.apps ?? {},
  });
  // Every committed event tells the open views to reload (debounced).
  const changes = createChangeBroadcaster({
    runtimeId: platform.runtime.id,
    sendToPages: (m) => platform.runtime.sendMessage(m),
    mailTabIds: () => platform.tabs.idsMatching(matchPatterns(MAIL_HOSTS)),
    sendToTab: (id, m) => platform.tabs.sendMessage(id, m),
  });
  // The toolbar badge: tasks due today and enrollments that need the rep (queue-badge.ts).
  const badge = createQueueBadge({
    db,
    api: platform.action,
    now,
    timeZone: async () => (await loadRep(db, zone)).timeZone,
  });
  const session = createBackendSession({
    storage: credentials,
    allowHttp: options.allowHttpBackend ?? false,
    fetch: platform.fetch,
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
  const holdIcon = createHoldIcon(db, browserToolbarIcon(platform.action));
  // The team backend's sync, and the mailbox lease sends go through while signed in (sync-host.ts).
  const sync = createSyncHost({
    db,
    session,
    fetch: platform.fetch,
    now,
    alarms: platform.alarms,
    onHoldChange: () => {
      changes.notify();
      void holdIcon().catch(() => undefined);
    },
    // Stage moves made in HubSpot arrive by sync: the owner's devices run the stage's enter automations once.
    afterSync: () =>
      runHubSpotStageEntries({
        db,
        runner: deps,
        now,
        role: async () => (await session.load())?.session?.user.role,
        queueChanged: () => {
          changes.notify();
          badge.update();
        },
        tick: () => ready.then(() => host.tick()),
      }),
  });
  // The runner's dependencies, whole from the start.
  const deps: RunnerDeps = {
    db,
    clock: { now },
    alarm: browserAlarm(platform.alarms),
    mailFor: (mailbox) => accounts.mailFor(mailbox),
    rep: () => loadRep(db, zone),
    teamHolidays: () => loadTeamHolidays(db),
    newId: () => crypto.randomUUID(),
    htmlToText,
    onEvent: () => {
      changes.notify();
      sync.nudge();
      badge.update();
    },
    // Right before sending, look for replies that arrived since the last watch cycle.
    checkReplies: (mailbox) => watchMailbox(deps, mailbox).then(() => undefined),
    decorate: (message, ref) => sync.decorate(message, ref),
    lease: sync.lease,
  };
  const host = createEngineHost(deps);
  const watch = createWatchHost(deps);
  const ready = accounts.refresh();

  alarms.on(TICK_ALARM, () => void ready.then(() => host.tick()));
  // Reply watching runs on its own periodic alarm, once a minute, for every mailbox with live enrollments.
  alarms.on(WATCH_ALARM, () => void ready.then(() => watch.cycle()));
  alarms.on(SYNC_ALARM, () => void sync.onAlarm());
  // The toolbar icon shows a hold recorded before the browser restarted (set icons do not survive it).
  void holdIcon().catch(() => undefined);
  void sync.start();
  void host.reconcile();
  void ensureWatchAlarm(platform.alarms);
  // The toolbar icon opens the task queue in the browser's side panel (Chrome; Firefox has none).
  void platform.sidePanel.openOnActionClick().catch(() => undefined);
  void badge.refresh().catch(() => undefined);

  listen(
    platform.runtime,
    backgroundHandlers({
      platform,
      db,
      runner: deps,
      accounts,
      session,
      sync,
      engine: host,
      watch,
      ready,
      now,
      zone,
      viewsChanged: () => changes.notify(),
      queueChanged: () => {
        changes.notify();
        badge.update();
      },
      diagnosticsDb: new DiagnosticsDb(),
      hosts: MAIL_HOSTS,
    }),
    (url) => isMailPage(url, MAIL_HOSTS),
  );
  return { db, deps, host, watch, accounts, ready, sync };
}
