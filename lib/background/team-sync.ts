import type { Handlers } from '../protocol/endpoints';
import type { BackendSession } from '../sync/backend-session';
import type { SyncHost } from './sync-host';

export interface TeamSyncDeps {
  sync: SyncHost;
  session: BackendSession;
  now(): number;
  /** The open views reload (debounced). */
  viewsChanged(): void;
}

/** Settings → Team & sync: the backend's address, signing in and out, syncing now, and the team's members. */
export function teamSyncHandlers({ sync, session, now, viewsChanged }: TeamSyncDeps): Handlers {
  return {
    'backend.view': () => sync.view(),
    'backend.configure': async ({ url }) => {
      await sync.configure(url);
      return sync.view();
    },
    'backend.signIn': async ({ provider, invite, loginHint, sandboxUrl }) => {
      await sync.signIn(provider, { invite, loginHint, sandboxUrl });
      viewsChanged();
      return sync.view();
    },
    'backend.signOut': async () => {
      await sync.signOut();
      return sync.view();
    },
    'backend.session': async () => {
      const stored = await session.load();
      if (!stored?.session) return {} as Record<string, never>;
      return { url: stored.url, accessToken: await session.token(now()), user: stored.session.user };
    },
    'backend.syncNow': async () => {
      await sync.syncNow();
      viewsChanged();
      return sync.view();
    },
    'team.members': () => session.members(now()),
    'team.invite': ({ role }) => session.invite(role, now()),
    'team.setRole': async ({ memberId, role }) => {
      await session.setRole(memberId, role, now());
      return { ok: true as const };
    },
  };
}
