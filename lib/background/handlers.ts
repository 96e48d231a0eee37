import type { ThreadlineDb } from '../db/database';
import type { DiagnosticsDb } from '../diagnostics/store';
import type { MailHost } from '../hosts/mail-hosts';
import type { Platform } from '../platform/platform';
import type { Handlers } from '../protocol/endpoints';
import type { RunnerDeps } from '../runner/deps';
import type { BackendSession } from '../sync/backend-session';
import { accountHandlers } from './account-handlers';
import type { AccountService } from './accounts';
import { crmSettingsHandlers } from './crm-settings';
import { crmLookupHandlers } from './crm-lookup';
import { crmDealsHandlers } from './crm-deals';
import { dealsHandlers } from './deals';
import { diagnosticsHandlers } from './diagnostics';
import { enrollmentsHandlers } from './enrollments';
import type { createEngineHost } from './engine-host';
import { inboxHandlers } from './inbox';
import { pageHandlers } from './pages';
import { runnerHandlers } from './runner-handlers';
import type { SyncHost } from './sync-host';
import { teamSyncHandlers } from './team-sync';
import { withViewing } from './viewing';
import type { createWatchHost } from './watch-host';

/** What the worker has built by the time it answers messages; each handler group takes the part it needs. */
export interface BackgroundServices {
  platform: Platform;
  db: ThreadlineDb;
  runner: RunnerDeps;
  accounts: AccountService;
  session: BackendSession;
  sync: SyncHost;
  engine: ReturnType<typeof createEngineHost>;
  watch: ReturnType<typeof createWatchHost>;
  /** The connected accounts are loaded. */
  ready: Promise<unknown>;
  now(): number;
  /** The browser's own time zone, the rep's until they set one. */
  zone: string;
  /** The open views reload (debounced). */
  viewsChanged(): void;
  /** The open views reload and the toolbar badge recounts the queue. */
  queueChanged(): void;
  diagnosticsDb: DiagnosticsDb;
  /** The build's mail hosts (lib/hosts/mail-hosts.ts). */
  hosts: readonly MailHost[];
}

/**
 * The worker's message table: one group per feature, each a `Handlers` object from its own module
 * (`<feature>Handlers(deps)`). A message answered by two groups is a wiring mistake and stops the start-up.
 */
export function backgroundHandlers(s: BackgroundServices): Handlers {
  const tickSoon = () => void s.ready.then(() => s.engine.tick());
  return composeHandlers({
    inbox: withViewing(
      inboxHandlers(s.runner, () => s.ready.then(() => s.engine.tick()), s.queueChanged),
      s.sync,
    ),
    // Settings → Diagnostics (anchor misses), and addresses for people Outlook shows by name alone.
    diagnostics: diagnosticsHandlers({
      db: s.diagnosticsDb,
      version: s.platform.runtime.version(),
      now: s.now,
      accounts: s.accounts,
    }),
    pages: pageHandlers({ ...s.platform, hosts: s.hosts, now: s.now }),
    accounts: accountHandlers({ ...s, tickSoon }),
    teamSync: teamSyncHandlers(s),
    crm: crmSettingsHandlers({
      session: s.session,
      tabs: s.platform.tabs,
      fetch: s.platform.fetch,
      now: s.now,
    }),
    runner: runnerHandlers(s),
    deals: dealsHandlers({
      db: s.db,
      runner: s.runner,
      now: s.now,
      role: async () => (await s.session.load())?.session?.user.role,
      queueChanged: s.queueChanged,
      tick: () => s.ready.then(() => s.engine.tick()),
    }),
    crmLookup: crmLookupHandlers({ session: s.session, fetch: s.platform.fetch, now: s.now }),
    crmDeals: crmDealsHandlers({ ...s, fetch: s.platform.fetch, pull: () => s.sync.syncNow() }),
    enrollments: enrollmentsHandlers({
      runner: s.runner,
      tick: () => s.ready.then(() => s.engine.tick()),
      queueChanged: s.queueChanged,
      now: s.now,
    }),
  });
}

/** Merges handler groups; throws when two groups answer the same message. */
export function composeHandlers(groups: Record<string, Handlers>): Handlers {
  const owner = new Map<string, string>();
  for (const [group, handlers] of Object.entries(groups)) {
    for (const name of Object.keys(handlers)) {
      const first = owner.get(name);
      if (first) throw new Error(`${name} is answered by two handler groups: ${first} and ${group}`);
      owner.set(name, group);
    }
  }
  return Object.assign({}, ...Object.values(groups)) as Handlers;
}
