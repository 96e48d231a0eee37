import { describe, expect, it } from 'vitest';
import { DealEventSchema } from '../domain/deal';
import { defaultPlaybook } from './default-playbook';
import { CLOCK, deal, NOW } from './fixtures.test-helper';
import { applyStageMove, checkStageMove } from './stage-move';

const warn = defaultPlaybook();
const require = { ...defaultPlaybook(), gate: 'require' as const };
const early = deal({ facts: { pain: { type: 'text', value: 'Lost replies' } } });

describe('moving a stage', () => {
  it('warn gate: allowed, recorded as a skip naming the unmet criteria', () => {
    const v = checkStageMove({ deal: early, playbook: warn, toStageId: 'qualified', clock: CLOCK });
    expect(v).toMatchObject({ allowed: true, outcome: 'skipped' });
    if (!v.allowed) throw new Error('refused');
    expect(v.unmet.map((c) => c.id)).toEqual(['discovery-metrics', 'discovery-champion']);
    const { deal: moved, events } = applyStageMove(early, v, warn, NOW, 'rep@us.example');
    expect(moved).toMatchObject({ stageId: 'qualified', stageEnteredAt: NOW, status: 'open' });
    expect(events.map((e) => e.kind)).toEqual(['stage_changed', 'criteria_skipped']);
    expect(events[1]).toMatchObject({
      data: {
        stageId: 'discovery',
        toStageId: 'qualified',
        criterionIds: ['discovery-metrics', 'discovery-champion'],
      },
    });
    for (const e of events) DealEventSchema.parse(e);
  });

  it('require gate: refused with the unmet criteria named', () => {
    const v = checkStageMove({ deal: early, playbook: require, toStageId: 'qualified', clock: CLOCK });
    expect(v).toEqual(
      expect.objectContaining({
        allowed: false,
        why: 'criteria_unmet',
        message: 'Not yet: The metrics are known; A champion is on the deal',
      }),
    );
  });

  it('jumping ahead checks every stage crossed', () => {
    const v = checkStageMove({ deal: early, playbook: require, toStageId: 'demo', clock: CLOCK });
    expect(v.unmet.map((c) => c.id)).toEqual([
      'discovery-metrics',
      'discovery-champion',
      'qualified-budget',
      'qualified-eb',
      'qualified-process',
      'qualified-date',
    ]);
  });

  it('a manager overrides with a reason, recorded; a rep cannot, nor anyone without a reason', () => {
    const ask = (byManager: boolean, reason: string) =>
      checkStageMove({
        deal: early,
        playbook: require,
        toStageId: 'qualified',
        clock: CLOCK,
        override: { byManager, reason },
      });
    expect(ask(false, 'trust me')).toMatchObject({ allowed: false, why: 'override_needs_manager' });
    expect(ask(true, '  ')).toMatchObject({ allowed: false, why: 'override_needs_reason' });
    const v = ask(true, 'Board approved the budget on the call');
    if (!v.allowed) throw new Error('refused');
    const { events } = applyStageMove(early, v, require, NOW, 'boss@us.example');
    expect(events[1]).toMatchObject({
      kind: 'override',
      by: 'boss@us.example',
      data: { reason: 'Board approved the budget on the call' },
    });
  });

  it('going back, losing the deal and a met checklist need no check; closing sets the status', () => {
    const inDemo = deal({ stageId: 'demo' });
    expect(
      checkStageMove({ deal: inDemo, playbook: require, toStageId: 'discovery', clock: CLOCK }),
    ).toMatchObject({ allowed: true, outcome: 'back' });
    const lost = checkStageMove({ deal: inDemo, playbook: require, toStageId: 'lost', clock: CLOCK });
    if (!lost.allowed) throw new Error('refused');
    expect(applyStageMove(inDemo, lost, require, NOW, 'rep').deal).toMatchObject({
      status: 'lost',
      closedAt: NOW,
    });
    const ready = deal({
      stageId: 'negotiation',
      facts: { verbal_yes: { type: 'yes_no', value: true } },
    });
    expect(checkStageMove({ deal: ready, playbook: require, toStageId: 'won', clock: CLOCK })).toMatchObject({
      allowed: true,
      outcome: 'clean',
    });
    expect(
      checkStageMove({ deal: ready, playbook: require, toStageId: 'nowhere', clock: CLOCK }),
    ).toMatchObject({ allowed: false, why: 'unknown_stage' });
  });
});
