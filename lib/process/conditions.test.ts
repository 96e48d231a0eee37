import { describe, expect, it } from 'vitest';
import type { Condition, ConditionGroup } from '../domain/playbook';
import { explain, groupHolds, holds, NO_ACTIVITY, type DealActivity } from './conditions';
import { defaultPlaybook } from './default-playbook';
import { BUSY, CLOCK, daysAgo, deal } from './fixtures.test-helper';
import type { Deal } from '../domain/deal';

const playbook = defaultPlaybook();
const ctx = (d: Deal, activity: DealActivity = BUSY) => ({ deal: d, activity, playbook, clock: CLOCK });
const check = (c: Condition, d: Deal, activity?: DealActivity) => holds(c, ctx(d, activity));

describe('conditions on facts', () => {
  const withFacts = deal({
    facts: {
      demo_attendees: { type: 'number', value: 3 },
      budget: { type: 'money', value: { value: 20_000, currency: 'EUR' } },
      decision_date: { type: 'date', value: '2026-11-30' },
      pain: { type: 'text', value: 'Reps lose replies in shared inboxes' },
      competition: { type: 'choice', value: 'incumbent' },
      budget_confirmed: { type: 'yes_no', value: false },
      metrics: { type: 'text', value: '   ' },
    },
  });

  it('compares numbers, and money only within one currency', () => {
    expect(check({ type: 'fact', key: 'demo_attendees', op: 'gte', value: 3 }, withFacts)).toBe(true);
    expect(check({ type: 'fact', key: 'demo_attendees', op: 'lt', value: 3 }, withFacts)).toBe(false);
    const eur = { value: 10_000, currency: 'EUR' };
    expect(check({ type: 'fact', key: 'budget', op: 'gt', value: eur }, withFacts)).toBe(true);
    expect(
      check({ type: 'fact', key: 'budget', op: 'gt', value: { ...eur, currency: 'USD' } }, withFacts),
    ).toBe(false);
    expect(
      check({ type: 'fact', key: 'budget', op: 'lt', value: { ...eur, currency: 'USD' } }, withFacts),
    ).toBe(false);
  });

  it('reads dates as days before today', () => {
    // 2026-11-30 is 7 days before 2026-12-07.
    expect(check({ type: 'fact', key: 'decision_date', op: 'more_than_days_ago', value: 6 }, withFacts)).toBe(
      true,
    );
    expect(check({ type: 'fact', key: 'decision_date', op: 'more_than_days_ago', value: 7 }, withFacts)).toBe(
      false,
    );
    expect(check({ type: 'fact', key: 'decision_date', op: 'less_than_days_ago', value: 8 }, withFacts)).toBe(
      true,
    );
    expect(check({ type: 'fact', key: 'decision_date', op: 'lt', value: '2026-12-01' }, withFacts)).toBe(
      true,
    );
  });

  it('treats blank text as empty, matches text without case and choices by list', () => {
    expect(check({ type: 'fact', key: 'metrics', op: 'empty' }, withFacts)).toBe(true);
    expect(check({ type: 'fact', key: 'champion_confirmed', op: 'empty' }, withFacts)).toBe(true);
    expect(check({ type: 'fact', key: 'pain', op: 'contains', value: 'SHARED INBOX' }, withFacts)).toBe(true);
    expect(
      check({ type: 'fact', key: 'competition', op: 'in', value: ['Incumbent', 'other vendor'] }, withFacts),
    ).toBe(true);
    expect(check({ type: 'fact', key: 'competition', op: 'not_in', value: ['none'] }, withFacts)).toBe(true);
    expect(check({ type: 'fact', key: 'budget_confirmed', op: 'is_no' }, withFacts)).toBe(true);
    expect(check({ type: 'fact', key: 'budget_confirmed', op: 'is_yes' }, withFacts)).toBe(false);
  });

  it('never lets an unanswered fact pass a comparison', () => {
    const bare = deal();
    for (const op of [
      'eq',
      'neq',
      'gt',
      'lt',
      'contains',
      'in',
      'not_in',
      'more_than_days_ago',
      'is_no',
    ] as const)
      expect(check({ type: 'fact', key: 'demo_attendees', op, value: 1 }, bare), op).toBe(false);
  });
});

describe('conditions across objects', () => {
  it('knows which roles the deal has', () => {
    const d = deal({ contacts: [{ contactId: 'c1', role: 'champion' }] });
    expect(check({ type: 'no_contact_with_role', role: 'economic_buyer' }, d)).toBe(true);
    expect(check({ type: 'no_contact_with_role', role: 'champion' }, d)).toBe(false);
    expect(check({ type: 'contact_with_role', role: 'champion' }, d)).toBe(true);
  });

  it('sees the last activity of the kinds asked for within N days', () => {
    const quiet: DealActivity = {
      last: { email: daysAgo(20), meeting: daysAgo(3) },
      activeSequences: 0,
      openTasks: 0,
    };
    const c: Condition = { type: 'no_activity', kinds: ['email', 'reply'], days: 14 };
    const old = deal({ createdAt: daysAgo(60) });
    expect(check(c, old, quiet)).toBe(true);
    expect(check({ ...c, kinds: ['email', 'meeting'] }, old, quiet)).toBe(false);
    // A deal younger than the span has not been quiet that long.
    expect(check(c, deal({ createdAt: daysAgo(10) }), quiet)).toBe(false);
    expect(check({ type: 'no_active_sequence' }, deal(), quiet)).toBe(true);
    expect(check({ type: 'no_open_task' }, deal(), BUSY)).toBe(false);
  });

  it('reads the deal fields: close date empty, in stage for more than N days', () => {
    const d = deal({ stageId: 'proposal', stageEnteredAt: daysAgo(31) });
    expect(check({ type: 'stage_is', stageIds: ['proposal'] }, d)).toBe(true);
    expect(check({ type: 'field', field: 'close_date', op: 'empty' }, d)).toBe(true);
    expect(check({ type: 'field', field: 'stage_entered_at', op: 'more_than_days_ago', value: 30 }, d)).toBe(
      true,
    );
    expect(check({ type: 'field', field: 'stage_entered_at', op: 'more_than_days_ago', value: 31 }, d)).toBe(
      false,
    );
  });
});

describe('AND/OR groups and their explanation', () => {
  const d = deal({ stageId: 'proposal', facts: { demo_attendees: { type: 'number', value: 1 } } });
  const group: ConditionGroup = {
    op: 'and',
    conditions: [
      { type: 'stage_is', stageIds: ['proposal'] },
      {
        op: 'or',
        conditions: [
          { type: 'fact', key: 'demo_attendees', op: 'lt', value: 2 },
          { type: 'no_contact_with_role', role: 'champion' },
          { type: 'no_active_sequence' },
        ],
      },
    ],
  };

  it('lists only the conditions that made it true', () => {
    expect(groupHolds(group, ctx(d))).toBe(true);
    expect(explain(group, ctx(d))).toEqual([
      'stage is Proposal',
      'People at the demo is less than 2 (1)',
      'no contact with the role champion',
    ]);
  });

  it('explains nothing when the group does not hold', () => {
    const other = deal({ stageId: 'demo' });
    expect(groupHolds(group, ctx(other, NO_ACTIVITY))).toBe(false);
    expect(explain(group, ctx(other, NO_ACTIVITY))).toEqual([]);
  });
});
