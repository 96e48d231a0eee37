import { Temporal } from 'temporal-polyfill';
import type { Analytics, AnalyticsFilter } from '../analytics/funnel';
import { Analytics as AnalyticsSchema, type AnalyticsQuery } from '../contract/analytics';
import { backendCall, BackendError } from '../sync/backend-call';
import type { AnalyticsCatalog, AnalyticsSource } from '@/lib/options-ports/interfaces/analytics';

export interface RemoteAnalyticsOptions {
  /** The backend's origin, e.g. `https://threadline.example.com`. */
  baseUrl: string;
  /** The session token, asked for on every request (it may have been renewed). */
  token: () => Promise<string>;
  fetch: typeof fetch;
  /**
   * Names and reps for the filters. The team's shared sequences reach the device by sync, so the local database
   * answers this; reps carry their member ids, which the API filters by.
   */
  catalog: () => Promise<AnalyticsCatalog>;
}

const dateOf = (ms: number, timeZone: string) =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate().toString();

/**
 * The team's analytics from the backend's `GET /analytics` (lib/contract/analytics.ts), same shape as
 * lib/analytics computes locally. The page's filter is whole days on the catalog's clock, sent as dates.
 */
export function remoteAnalyticsSource(options: RemoteAnalyticsOptions): AnalyticsSource {
  let catalog: Promise<AnalyticsCatalog> | undefined;
  const loadCatalog = () =>
    (catalog ??= options.catalog().catch((e: unknown) => ((catalog = undefined), Promise.reject(e))));
  return {
    catalog: async () => ({ ...(await loadCatalog()), scope: 'team' }),
    async load(filter: AnalyticsFilter): Promise<Analytics> {
      const { timeZone, reps } = await loadCatalog();
      const query: Record<string, string> = {
        from: dateOf(filter.from, timeZone),
        to: dateOf(filter.to - 1, timeZone),
        timeZone,
      } satisfies AnalyticsQuery;
      if (filter.sequenceIds?.length === 1) query.sequenceId = filter.sequenceIds[0]!;
      if (filter.stepIndexes?.length === 1) query.stepIndex = String(filter.stepIndexes[0]);
      if (filter.mailboxes?.length === 1) {
        const member = reps.find((r) => r.mailbox === filter.mailboxes![0])?.memberId;
        if (!member) throw new Error(`No team member sends from ${filter.mailboxes[0]}`);
        query.repId = member;
      }
      try {
        return await backendCall(options.fetch, options.baseUrl, 'GET', '/analytics', AnalyticsSchema, {
          query,
          token: options.token,
        });
      } catch (error) {
        // The manager reads the backend's own words ("only managers see the team"), not the route and status.
        if (error instanceof BackendError && error.serverMessage)
          throw new BackendError(error.serverMessage, error);
        throw error;
      }
    },
  };
}
