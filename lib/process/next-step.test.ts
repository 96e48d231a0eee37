import { describe, expect, it } from 'vitest';
import { defaultPlaybook } from './default-playbook';
import { evaluate } from './evaluate';
import { BUSY, CLOCK, daysAgo, deal } from './fixtures.test-helper';
import { nextStep } from './next-step';
import type { Deal } from '../domain/deal';

const playbook = defaultPlaybook();
const step = (d: Deal, done?: Set<string>, activity = BUSY) =>
  nextStep({
    deal: d,
    playbook,
    flags: evaluate(d, activity, playbook, CLOCK),
    clock: CLOCK,
    activity,
    done,
  });

const discoveryDone = deal({
  contacts: [{ contactId: 'c1', role: 'champion' }],
  facts: {
    pain: { type: 'text', value: 'Lost replies' },
    metrics: { type: 'text', value: '2 h a day per rep' },
  },
});

describe('next step', () => {
  it('is the remedy of the most severe flag first', () => {
    const s = step(deal({ createdAt: daysAgo(30) }), undefined, {
      last: {},
      activeSequences: 0,
      openTasks: 0,
    });
    expect(s).toMatchObject({ kind: 'fix', label: 'Call to re-engage', flag: { ruleId: 'stale-14-days' } });
  });

  it('else the first unmet exit criterion of the stage', () => {
    expect(step(deal())).toMatchObject({ kind: 'criterion', label: 'The pain is identified' });
    expect(step(deal({ facts: { pain: { type: 'text', value: 'x' } } }))).toMatchObject({
      kind: 'criterion',
      criterion: { id: 'discovery-metrics' },
    });
  });

  it('else the stage recommended action not yet done, then "move to" the next stage', () => {
    expect(step(discoveryDone)).toMatchObject({ kind: 'action', label: 'Book a discovery call' });
    expect(step(discoveryDone, new Set(['discovery-call']))).toMatchObject({
      kind: 'action',
      action: { type: 'recap' },
    });
    expect(step(discoveryDone, new Set(['discovery-call', 'discovery-recap']))).toEqual({
      kind: 'move',
      label: 'Move to Qualified',
      toStageId: 'qualified',
    });
  });

  it('from the last open stage goes to Closed won; a closed deal has nothing to do', () => {
    const d = deal({ stageId: 'negotiation', facts: { verbal_yes: { type: 'yes_no', value: true } } });
    const flags = [] as const;
    expect(
      nextStep({ deal: d, playbook, flags, clock: CLOCK, done: new Set(['negotiation-call']) }),
    ).toMatchObject({
      kind: 'move',
      toStageId: 'won',
    });
    expect(step(deal({ stageId: 'lost', status: 'lost' }))).toMatchObject({ kind: 'none' });
  });
});
