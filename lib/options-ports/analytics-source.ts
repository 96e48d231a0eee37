import type { Analytics } from '../analytics/funnel';
import type { ThreadlineDb } from '../db/database';
import type { AnalyticsCatalog, AnalyticsSource } from '@/lib/options-ports/interfaces/analytics';
import { localAnalyticsSource } from './analytics-local';

/** What tools/bench/ui.ts puts on the page (an init script) to time rendering alone. */
export interface InjectedAnalytics {
  catalog: AnalyticsCatalog;
  analytics: Analytics;
}

/**
 * The options page's source: this device's database; in `--mode test` builds, a precomputed result injected as
 * `globalThis.__threadlineAnalytics` before the page loads instead, so the benchmark times the page's rendering
 * of a team-sized result and not the computing of it.
 */
export function analyticsSourceFor(db: ThreadlineDb, testMode: boolean): AnalyticsSource {
  const injected = testMode
    ? (globalThis as { __threadlineAnalytics?: InjectedAnalytics }).__threadlineAnalytics
    : undefined;
  if (!injected) return localAnalyticsSource(db);
  return {
    catalog: async () => injected.catalog,
    load: async () => injected.analytics,
  };
}
