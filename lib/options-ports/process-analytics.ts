import { ProcessAnalytics as ProcessAnalyticsSchema } from '../contract/process-analytics';
import type { ThreadlineDb } from '../db/database';
import { computeProcessAnalytics, dayStartsOf, DEFAULT_STALLED_DAYS } from '../process/process-analytics';
import { send, type Runtime } from '../protocol/endpoints';
import { backendCall, BackendError } from '../sync/backend-call';
import { playbooksOn } from './deals';
import type { ProcessAnalyticsSource, ProcessScope } from './interfaces/deals';

/** This device's deals, history and flags, counted by lib/process (a manager's device holds the team's). */
export function localProcessSource(db: ThreadlineDb, timeZone: string): ProcessAnalyticsSource {
  return {
    async scope(): Promise<ProcessScope> {
      const owners = new Set((await db.deals.toArray()).map((d) => d.ownerId));
      const playbooks = await playbooksOn(db);
      const stageNames = Object.fromEntries(playbooks.flatMap((p) => p.stages.map((s) => [s.id, s.name])));
      const ruleNames = Object.fromEntries(playbooks.flatMap((p) => p.rules.map((r) => [r.id, r.name])));
      return {
        scope: 'own',
        timeZone,
        reps: [...owners].sort().map((id) => ({ id, label: id })),
        stageNames,
        ruleNames,
      };
    },
    async load({ from, to, repId }) {
      const [deals, events, flags] = await Promise.all([
        db.deals.toArray(),
        db.dealEvents.toArray(),
        db.dealFlags.toArray(),
      ]);
      return computeProcessAnalytics({
        ...dayStartsOf(from, to, timeZone),
        stalledDays: DEFAULT_STALLED_DAYS,
        deals: repId ? deals.filter((d) => d.ownerId === repId) : deals,
        events,
        flags,
      });
    },
  };
}

export interface RemoteProcessOptions {
  baseUrl: string;
  token: () => Promise<string>;
  fetch: typeof fetch;
  timeZone: string;
  reps: () => Promise<ProcessScope['reps']>;
  stageNames: () => Promise<ProcessScope['stageNames']>;
  /** The rule names of the team's playbooks (synced to this device); ids are shown without it. */
  ruleNames?: () => Promise<NonNullable<ProcessScope['ruleNames']>>;
}

/** The team's process analytics from the backend's `GET /process-analytics` (the same shape as the device's). */
export function remoteProcessSource(options: RemoteProcessOptions): ProcessAnalyticsSource {
  return {
    async scope() {
      return {
        scope: 'team',
        timeZone: options.timeZone,
        reps: await options.reps(),
        stageNames: await options.stageNames(),
        ...(options.ruleNames && { ruleNames: await options.ruleNames() }),
      };
    },
    async load({ from, to, repId }) {
      const reps = await options.reps();
      const memberId = repId ? reps.find((r) => r.id === repId)?.memberId : undefined;
      if (repId && !memberId) throw new Error(`No team member ${repId}`);
      try {
        return await backendCall(
          options.fetch,
          options.baseUrl,
          'GET',
          '/process-analytics',
          ProcessAnalyticsSchema,
          {
            query: { from, to, timeZone: options.timeZone, ...(memberId ? { repId: memberId } : {}) },
            token: options.token,
          },
        );
      } catch (error) {
        if (error instanceof BackendError && error.serverMessage)
          throw new BackendError(error.serverMessage, error);
        throw error;
      }
    },
  };
}

/**
 * The Process analytics page's source: the backend while signed in as a manager or an admin (the team), the
 * device otherwise. Decided at each load, so signing in or out in Settings changes what the page shows.
 */
export function backendAwareProcessSource(
  local: ProcessAnalyticsSource,
  runtime: Runtime,
  timeZone: string,
): ProcessAnalyticsSource {
  async function current(): Promise<ProcessAnalyticsSource> {
    const session = await send(runtime, 'backend.session', {}).catch(() => ({}));
    if (!('url' in session) || session.user.role === 'rep') return local;
    return remoteProcessSource({
      baseUrl: session.url,
      fetch: (...args) => fetch(...args),
      timeZone,
      token: async () => {
        const fresh = await send(runtime, 'backend.session', {});
        if (!('accessToken' in fresh))
          throw new Error('Signed out of the backend: sign in again in Settings');
        return fresh.accessToken;
      },
      reps: async () => {
        const members = await send(runtime, 'team.members', {}).catch(() => []);
        return members.map((m) => ({ id: m.email, label: m.name ?? m.email, memberId: m.id }));
      },
      // The team's playbooks reach this device by sync: their stage names are here.
      stageNames: async () => (await local.scope()).stageNames,
      ruleNames: async () => (await local.scope()).ruleNames ?? {},
    });
  }
  return {
    scope: async () => (await current()).scope(),
    load: async (range) => (await current()).load(range),
  };
}
