import type { AnalyticsSource } from '@/lib/options-ports/interfaces/analytics';
import { send, type Runtime } from '../protocol/endpoints';
import { remoteAnalyticsSource } from './analytics-remote';

/**
 * The Analytics page's source: the team backend's `GET /analytics` while signed in (a manager sees the team,
 * a rep their own), this device's database otherwise. Decided at each load, so signing in or out in Settings
 * changes what the page shows without reopening it.
 */
export function backendAwareAnalyticsSource(local: AnalyticsSource, runtime: Runtime): AnalyticsSource {
  async function current(): Promise<AnalyticsSource> {
    const session = await send(runtime, 'backend.session', {}).catch(() => ({}));
    if (!('url' in session)) return local;
    return remoteAnalyticsSource({
      baseUrl: session.url,
      fetch: (...args) => fetch(...args),
      token: async () => {
        const fresh = await send(runtime, 'backend.session', {});
        if (!('accessToken' in fresh))
          throw new Error('Signed out of the backend: sign in again in Settings');
        return fresh.accessToken;
      },
      catalog: async () => {
        const own = await local.catalog();
        const members =
          session.user.role === 'rep'
            ? [session.user]
            : await send(runtime, 'team.members', {}).catch(() => []);
        const reps = members.map((m) => ({
          mailbox: m.email,
          ...(m.name ? { name: m.name } : {}),
          memberId: m.id,
        }));
        return { ...own, reps: reps.length ? reps : own.reps, hasData: true };
      },
    });
  }
  return {
    catalog: async () => (await current()).catalog(),
    load: async (filter) => (await current()).load(filter),
  };
}
