import type { Alarms } from '../platform/alarms';
import type { ThreadlineDb } from '../db/database';
import type { RunnerDeps } from '../runner/deps';
import type { SendLease } from '../runner/lease';
import type { BackendSession, IdentityProvider, SignInHint } from '../sync/backend-session';
import { createDexieSyncStore, disableSync, enableSync } from '../sync/dexie-store';
import { createHttpLease } from '../sync/lease-client';
import { backoffMs, createSyncClient, type SyncStatus } from '../sync/sync-client';
import type { BackendView } from '../protocol/messages';
import type { OutgoingMessage } from '../mail/provider';
import { loadUnsubscribeLink } from '../db/settings';
import { fetchTrackingLinks, linksOf, withTracking } from '../sync/tracking';
import { backendCall, BackendError } from '../sync/backend-call';
import { Viewing } from '../contract/tracking';
import { clearHold, recordHold } from './sends-on-hold';

export const SYNC_ALARM = 'threadline-sync';
const STATUS_KEY = 'sync.status';
/** Local changes are pushed this long after the last one, so a burst of writes travels in one push. */
const NUDGE_MS = 3_000;

interface SavedStatus extends SyncStatus {
  lastAttemptAt?: number;
}

export interface SyncHostDeps {
  db: ThreadlineDb;
  session: BackendSession;
  fetch: typeof fetch;
  now(): number;
  alarms: Alarms;
  /** Sends went on hold (the lease could not be asked for) or off it again: the open views reload. */
  onHoldChange?(): void;
  /**
   * After each sync the backend answered: what the pulled rows set off (deal-hubspot-entries.ts). Not awaited:
   * a sync asked for right before a send never waits for it; so a later sync may call it while it still runs,
   * and it keeps its own runs from overlapping (runHubSpotStageEntries does).
   */
  afterSync?(): Promise<unknown>;
}

/**
 * The background's sync with the backend: a periodic alarm (and a nudge after local changes) pushes the
 * queued mutations and pulls the team's changes, with exponential backoff after failures. Everything it
 * needs is in IndexedDB and local storage, so a service worker that died mid-sync simply syncs again.
 */
export function createSyncHost(deps: SyncHostDeps) {
  const store = createDexieSyncStore(deps.db);
  let running: Promise<SavedStatus> | undefined;
  let nudge: ReturnType<typeof setTimeout> | undefined;
  let lastViewing = { key: '', at: 0 };
  /** The lease `wireLease` set up for the current session; none while signed out. */
  let current: NonNullable<RunnerDeps['lease']> | undefined;
  /**
   * The runner's send lease (its `lease` dependency, built once): asks through the current session's lease,
   * and while signed out grants every mailbox to this device, as a device without a backend sends.
   */
  const lease: NonNullable<RunnerDeps['lease']> = {
    port: {
      acquire: (mailbox, holder, now, until) =>
        current ? current.port.acquire(mailbox, holder, now, until) : Promise.resolve(true),
    } satisfies SendLease,
    get holder() {
      return current?.holder ?? '';
    },
  };

  const savedStatus = async (): Promise<SavedStatus> =>
    ((await deps.db.meta.get(STATUS_KEY))?.value as SavedStatus | undefined) ?? {
      pending: 0,
      failures: 0,
      rejected: [],
    };

  const held = (changed: boolean) => void (changed && deps.onHoldChange?.());
  /** Replaces the rep's current views on the backend (server/tracking: opens meanwhile are their own). */
  const postViews = async (url: string, enrollmentIds: readonly string[]) =>
    backendCall(deps.fetch, url, 'POST', '/tracking/views', Viewing, {
      body: { enrollmentIds: enrollmentIds.slice(0, 100) },
      token: await deps.session.token(deps.now()),
    });

  /**
   * Points the runner's lease at the backend's while signed in (only the holder of a mailbox's lease sends), and
   * records each answer: sends are on hold while the backend cannot be asked, and off hold once it answers
   * (another device holding the lease is an answer). One tick runs at a time and asks for one mailbox's lease
   * after another, so `failure` belongs to the call that just ended.
   */
  async function wireLease(): Promise<void> {
    const stored = await deps.session.load();
    if (!stored?.session && stored?.lapsedAt !== undefined) {
      // The backend ended the session; the rep did not sign out. Sending without the lease could send what
      // their other, signed-in computer sends: nothing goes out until they sign in again or sign out.
      const lapsed = new BackendError('The backend ended this session: sign in again', { status: 401 });
      current = {
        port: {
          async acquire() {
            const note = recordHold(deps.db, {
              error: lapsed,
              url: stored.url,
              signedIn: false,
              now: deps.now(),
            });
            held(await note.catch(() => false));
            return false;
          },
        },
        holder: stored.clientId,
      };
      return;
    }
    if (!stored?.session) {
      current = undefined;
      held(await clearHold(deps.db)); // nothing waits for a lease now
      return;
    }
    let failure: Error | undefined;
    const http = createHttpLease({
      baseUrl: stored.url,
      fetch: deps.fetch,
      token: () => deps.session.token(deps.now()),
      onError: (error) => (failure = error),
    });
    current = {
      port: {
        async acquire(mailbox, holder, now, until) {
          failure = undefined;
          const granted = await http.acquire(mailbox, holder, now, until);
          const error = failure as Error | undefined;
          const note = async () =>
            error
              ? recordHold(deps.db, {
                  error,
                  url: stored.url,
                  signedIn: Boolean((await deps.session.load())?.session),
                  now: deps.now(),
                })
              : clearHold(deps.db);
          // The bookkeeping never changes the lease's answer.
          held(await note().catch(() => false));
          return granted;
        },
      },
      holder: stored.clientId,
    };
  }

  async function syncOnce(): Promise<SavedStatus> {
    const stored = await deps.session.load();
    if (!stored?.session) return savedStatus();
    const previous = await savedStatus();
    const client = createSyncClient({
      baseUrl: stored.url,
      fetch: deps.fetch,
      token: () => deps.session.token(deps.now()),
      clientId: stored.clientId,
      store,
      now: deps.now,
    });
    const outcome = await client.syncOnce();
    const status: SavedStatus = {
      ...outcome,
      failures: outcome.error ? previous.failures + 1 : 0,
      lastSyncAt: outcome.error ? previous.lastSyncAt : outcome.lastSyncAt,
      lastAttemptAt: deps.now(),
      pending: await deps.db.syncOutbox.count(),
    };
    await deps.db.meta.put({ key: STATUS_KEY, value: status });
    // The backend answered and took this session: a lease asked for now would be granted or refused, not lost.
    if (!outcome.error) held(await clearHold(deps.db));
    if (!outcome.error) void deps.afterSync?.().catch(() => undefined);
    return status;
  }

  /** A new backend or session starts with a clean slate: no failures, nothing on hold. */
  async function resetStatus(): Promise<void> {
    await deps.db.meta.delete(STATUS_KEY);
    held(await clearHold(deps.db));
  }

  const syncNow = () =>
    (running ??= syncOnce().finally(() => {
      running = undefined;
    }));

  return {
    lease,
    /** Whether sends go through the backend's lease (signed in, or a session the backend ended). */
    leased: () => current !== undefined,
    async start(): Promise<void> {
      await wireLease();
      if (!(await deps.alarms.get(SYNC_ALARM))) await deps.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
    },
    /** The periodic alarm: sync unless still backing off from failures. */
    async onAlarm(): Promise<void> {
      const status = await savedStatus();
      const wait = backoffMs(status.failures);
      if (status.lastAttemptAt !== undefined && deps.now() < status.lastAttemptAt + wait) return;
      await syncNow();
    },
    /** Something changed locally: push it soon. */
    nudge(): void {
      clearTimeout(nudge);
      nudge = setTimeout(() => void syncNow().catch(() => undefined), NUDGE_MS);
    },
    syncNow,
    /**
     * The rep has a thread open with these enrollments: the backend counts opens of their emails meanwhile as
     * the rep's own, not the contact's. The same set is reported at most once a minute; failures are ignored
     * (a missed report only means an open may be counted as the contact's).
     */
    /**
     * The rep left a thread: its views end now rather than two minutes on (an open meanwhile is the
     * contact's). Only if no other thread has been reported since, which would have replaced them anyway.
     */
    async endViewing(enrollmentIds: readonly string[]): Promise<void> {
      const stored = await deps.session.load();
      const key = [...enrollmentIds].sort().join(',');
      if (!stored?.session || !key || key !== lastViewing.key) return;
      lastViewing = { key: '', at: 0 };
      try {
        await postViews(stored.url, []);
      } catch {
        // The views run out by themselves two minutes after the last report.
      }
    },
    async reportViewing(enrollmentIds: readonly string[]): Promise<void> {
      const stored = await deps.session.load();
      if (!stored?.session || enrollmentIds.length === 0) return;
      const key = [...enrollmentIds].sort().join(',');
      if (key === lastViewing.key && deps.now() - lastViewing.at < 60_000) return;
      lastViewing = { key, at: deps.now() };
      try {
        await postViews(stored.url, enrollmentIds);
      } catch {
        lastViewing = { key: '', at: 0 };
      }
    },
    /**
     * The runner's `decorate`: while signed in, the email's links go through the backend's click redirect,
     * it carries the open pixel and, when the rep chose it in Settings, the one-click unsubscribe link and
     * header. The enrollment must be on the backend first, so changes waiting are pushed. On any trouble the
     * email goes as it is: tracking never holds up a send.
     */
    async decorate(message: OutgoingMessage, ref: { enrollmentId: string; stepIndex: number }) {
      const stored = await deps.session.load();
      if (!stored?.session) return message;
      try {
        if (await deps.db.syncOutbox.count()) await syncNow();
        const links = await fetchTrackingLinks(
          { baseUrl: stored.url, fetch: deps.fetch, token: () => deps.session.token(deps.now()) },
          { ...ref, links: linksOf(message.html) },
        );
        return withTracking(message, links, {
          track: true,
          unsubscribeLink: await loadUnsubscribeLink(deps.db),
        });
      } catch {
        return message;
      }
    },
    async view(): Promise<BackendView> {
      const stored = await deps.session.load();
      const status = await savedStatus();
      return {
        ...(stored ? { url: stored.url } : {}),
        ...(stored?.session ? { user: stored.session.user, provider: stored.provider } : {}),
        ...(stored?.lapsedAt !== undefined ? { lapsedAt: stored.lapsedAt } : {}),
        pending: await deps.db.syncOutbox.count(),
        failures: status.failures,
        ...(status.lastSyncAt !== undefined ? { lastSyncAt: status.lastSyncAt } : {}),
        ...(status.error ? { error: status.error } : {}),
        rejected: status.rejected.map((r) => ({ id: r.id, reason: r.reason ?? 'rejected' })),
      };
    },
    async configure(url: string): Promise<void> {
      const before = await deps.session.load();
      await deps.session.configure(url);
      if (before?.session && before.url !== url.replace(/\/$/, '')) await disableSync(deps.db);
      await resetStatus();
      await wireLease();
    },
    async signIn(provider: IdentityProvider, options: SignInHint & { invite?: string }) {
      const user = await deps.session.signIn(provider, options);
      await enableSync(deps.db, user.id);
      await resetStatus();
      await wireLease();
      await syncNow();
      return user;
    },
    async signOut(): Promise<void> {
      await deps.session.signOut();
      await disableSync(deps.db);
      await resetStatus();
      await wireLease();
    },
  };
}
export type SyncHost = ReturnType<typeof createSyncHost>;
