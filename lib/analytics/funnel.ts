import type { Event } from '../domain/event';
import { analyticsOf } from './analytics-of';
import { DailySeries } from './daily';
import { localDays } from './days';
import { attributeToLastSend, readEvents } from './read-events';
import { Scopes } from './scopes';
import { Selection } from './selection';
import { TaskLedger } from './task-adherence';
import type { Analytics, AnalyticsFilter, AnalyticsOptions } from './types';

export type * from './types';
export { analyticsOf } from './analytics-of';
export { rowOf } from './counters';
export { emptyDays } from './daily';

/**
 * Funnels, steps, reps, days, A/B tests and task adherence from the event history, in one pass over the
 * events plus one over the contacts they name. The definitions are lib/analytics/definitions.ts.
 */
export function computeAnalytics(
  events: readonly Event[],
  filter: AnalyticsFilter,
  opts: AnalyticsOptions,
): Analytics {
  const selection = new Selection(filter);
  const dayOf = localDays(opts.timeZone);
  const daily = new DailySeries(selection.from, selection.to, dayOf);
  const scopes = new Scopes(daily);
  const tasks = new TaskLedger();
  const deferred = readEvents(events, selection, scopes, tasks);
  attributeToLastSend(deferred, selection, scopes);
  scopes.closeContacts(selection);
  return analyticsOf({ ...scopes.tallies(), daily: daily.rows, tasks: tasks.rows(selection, dayOf) });
}
