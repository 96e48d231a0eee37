import { describe, expect, it } from 'vitest';
import type { DealEvent, DealFlag } from '../domain/deal';
import { processAnalytics, type AnalyticsDeal } from './analytics';

const T = (iso: string) => Date.parse(`${iso}Z`);
const d = (
  id: string,
  ownerId: string,
  created: string,
  over: Partial<AnalyticsDeal> = {},
): AnalyticsDeal => ({
  id,
  name: id,
  ownerId,
  stageId: 'discovery',
  status: 'open',
  createdAt: T(created),
  stageEnteredAt: T(created),
  ...over,
});
const flag = (
  dealId: string,
  ruleId: string,
  severity: DealFlag['severity'],
  raised: string,
  cleared?: string,
): DealFlag => ({
  id: `${dealId}:${ruleId}:${raised}`,
  dealId,
  ownerId: 'x',
  ruleId,
  severity,
  raisedAt: T(raised),
  ...(cleared && { clearedAt: T(cleared) }),
  because: [],
});
let n = 0;
const ev = (dealId: string, at: string, rest: Omit<DealEvent, 'id' | 'dealId' | 'at' | 'by'>): DealEvent =>
  ({ id: `e${n++}`, dealId, at: T(at), by: 'rep', ...rest }) as DealEvent;
const moveEv = (dealId: string, at: string, from: string, to: string) =>
  ev(dealId, at, { kind: 'stage_changed', data: { fromStageId: from, toStageId: to } });

// Range: Mon 2026-11-02 .. Sun 2026-11-15 (14 days, two weeks).
const range = { from: '2026-11-02', to: '2026-11-15' };
const deals = [
  // ann's a: all 14 days; an error flag 11-03 10:00 .. 11-05 09:00 covers 3 days; a warning doesn't count.
  d('a', 'ann', '2026-10-20T09:00', { stageId: 'demo', stageEnteredAt: T('2026-11-09T09:00') }),
  // ann's b: created 11-10 (6 days), flag open since 11-14 (2 days), closed? no.
  d('b', 'ann', '2026-11-10T15:00', { stageEnteredAt: T('2026-10-01T00:00') }),
  // bob's c: created before, closed won 11-04 12:00 (3 days: 02, 03, 04).
  d('c', 'bob', '2026-10-01T00:00', {
    status: 'won',
    stageId: 'won',
    closedAt: T('2026-11-04T12:00'),
    stageEnteredAt: T('2026-11-04T12:00'),
  }),
];
const flags = [
  flag('a', 'stale-14-days', 'error', '2026-11-03T10:00', '2026-11-05T09:00'),
  flag('a', 'no-champion', 'warning', '2026-11-02T10:00'),
  flag('b', 'stale-14-days', 'error', '2026-11-14T08:00'),
  flag('c', 'close-date-passed', 'error', '2026-10-20T08:00', '2026-10-25T08:00'),
];
const events = [
  ev('a', '2026-10-20T09:00', { kind: 'created', data: { stageId: 'discovery' } }),
  moveEv('a', '2026-11-03T09:00', 'discovery', 'qualified'),
  ev('a', '2026-11-03T09:00', {
    kind: 'criteria_skipped',
    data: { stageId: 'discovery', toStageId: 'qualified', criterionIds: ['discovery-metrics'] },
  }),
  moveEv('a', '2026-11-09T09:00', 'qualified', 'demo'),
  ev('b', '2026-11-10T15:00', { kind: 'created', data: { stageId: 'discovery' } }),
  ev('c', '2026-10-01T00:00', { kind: 'created', data: { stageId: 'negotiation' } }),
  moveEv('c', '2026-11-04T12:00', 'negotiation', 'won'),
  ev('c', '2026-11-04T12:00', {
    kind: 'override',
    data: { stageId: 'negotiation', toStageId: 'won', criterionIds: ['negotiation-yes'], reason: 'Signed' },
  }),
];
const result = processAnalytics({ deals, events, flags, range });

describe('process analytics', () => {
  it('compliance: deal-days without an open error flag over all deal-days, per deal and per rep', () => {
    expect(result.perDeal.map((r) => [r.dealId, r.dealDays, r.compliantDays])).toEqual([
      ['a', 14, 11],
      ['b', 6, 4],
      ['c', 3, 3],
    ]);
    expect(result.perRep).toMatchObject([
      {
        ownerId: 'ann',
        deals: 2,
        dealDays: 20,
        compliantDays: 15,
        compliance: 0.75,
        skips: 1,
        overrides: 0,
        flagsRaised: 3,
      },
      {
        ownerId: 'bob',
        deals: 1,
        dealDays: 3,
        compliantDays: 3,
        compliance: 1,
        skips: 0,
        overrides: 1,
        flagsRaised: 0,
      },
    ]);
    expect(result.overall).toMatchObject({ dealDays: 23, compliantDays: 18 });
  });

  it('trend per week (Monday start), overall and per rep', () => {
    expect(result.trend).toEqual([
      { weekStart: '2026-11-02', dealDays: 7 + 3, compliantDays: 4 + 3, compliance: 0.7 },
      { weekStart: '2026-11-09', dealDays: 7 + 6, compliantDays: 7 + 4, compliance: 11 / 13 },
    ]);
    expect(result.trendByRep.filter((r) => r.ownerId === 'bob')).toEqual([
      { weekStart: '2026-11-02', ownerId: 'bob', dealDays: 3, compliantDays: 3, compliance: 1 },
    ]);
  });

  it('time in stage from the stays that end in the range; conversion of the deals that entered a stage', () => {
    expect(result.timeInStage).toEqual([
      { ownerId: 'ann', stageId: 'discovery', stays: 1, totalDays: 14, avgDays: 14 },
      { ownerId: 'ann', stageId: 'qualified', stays: 1, totalDays: 6, avgDays: 6 },
      { ownerId: 'bob', stageId: 'negotiation', stays: 1, totalDays: 34.5, avgDays: 34.5 },
    ]);
    expect(result.stageEntries).toEqual([
      { stageId: 'demo', deals: 1 },
      { stageId: 'discovery', deals: 1 },
      { stageId: 'qualified', deals: 1 },
      { stageId: 'won', deals: 1 },
    ]);
    expect(result.conversion).toEqual([
      { fromStageId: 'qualified', toStageId: 'demo', entered: 1, moved: 1, rate: 1 },
    ]);
  });

  it('most triggered rules, stalled deals, skips and overrides', () => {
    expect(result.topRules).toEqual([
      { ruleId: 'stale-14-days', raised: 2, deals: 2 },
      { ruleId: 'no-champion', raised: 1, deals: 1 },
    ]);
    expect(result.stalled).toEqual([{ dealId: 'b', ownerId: 'ann', stageId: 'discovery', daysInStage: 46 }]);
    expect(result.skips.map((s) => [s.kind, s.dealId, s.reason])).toEqual([
      ['criteria_skipped', 'a', undefined],
      ['override', 'c', 'Signed'],
    ]);
  });
});
