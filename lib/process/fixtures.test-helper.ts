import type { Deal } from '../domain/deal';
import { clockAt, DAY_MS } from './clock';
import type { DealActivity } from './conditions';

/** 2026-12-07 12:00 UTC, a Monday. */
export const NOW = Date.UTC(2026, 11, 7, 12);
export const CLOCK = clockAt(NOW, 'UTC');
export const daysAgo = (n: number) => NOW - n * DAY_MS;

export function deal(over: Partial<Deal> = {}): Deal {
  return {
    id: 'd1',
    name: 'Acme platform',
    companyDomain: 'acme.example',
    ownerId: 'rep@us.example',
    pipelineId: 'b2b',
    stageId: 'discovery',
    stageEnteredAt: daysAgo(2),
    contacts: [],
    facts: {},
    threadIds: [],
    status: 'open',
    createdAt: daysAgo(2),
    updatedAt: daysAgo(1),
    ...over,
  };
}

/** A deal with a lot going on: an email yesterday, a reply two days ago, an active sequence and an open task. */
export const BUSY: DealActivity = {
  last: { email: daysAgo(1), reply: daysAgo(2) },
  activeSequences: 1,
  openTasks: 1,
};
