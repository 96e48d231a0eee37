import type { Analytics, AnalyticsFilter } from '@/lib/analytics/funnel';

/** Who the numbers cover: a rep sees their own sends, a manager their team's (through the backend). */
export type AnalyticsScope = 'own' | 'team';

export interface CatalogSequence {
  id: string;
  name: string;
  /** Each step's kind, in order (`auto_email`, `call`...: lib/domain/sequence's step types). */
  steps: string[];
}

export interface CatalogRep {
  mailbox: string;
  name?: string;
  /** The team member's id on the backend, which the remote source filters by. */
  memberId?: string;
}

/** What the filters offer and how to read the numbers, loaded once with the page. */
export interface AnalyticsCatalog {
  scope: AnalyticsScope;
  /** The IANA zone of the daily buckets and of the date range's days. */
  timeZone: string;
  sequences: CatalogSequence[];
  reps: CatalogRep[];
  /** False while nothing has happened yet (no enrollment, no email): the page explains how to start. */
  hasData: boolean;
}

/**
 * The analytics page's data port. The local implementation (lib/options-ports/analytics-local.ts) reads this
 * device's database and runs lib/analytics; a remote one asks the team backend, whose answer has the same shape.
 */
export interface AnalyticsSource {
  catalog(): Promise<AnalyticsCatalog>;
  load(filter: AnalyticsFilter): Promise<Analytics>;
}
