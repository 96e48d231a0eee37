import { describe, expect, it } from 'vitest';
import { MutationArgs } from '../contract/mutations';
import type { Deal, DealEvent, DealFlag } from '../domain/deal';
import { defaultPlaybook } from '../process/default-playbook';
import { mutationsForChange, type PendingMutation } from './row-mutations';

/** The behavior layer's local changes become mutations the server accepts (lib/contract/process-mutations.ts). */

const T = Date.parse('2026-12-01T09:00:00Z');
const deal: Deal = {
  id: 'd1',
  name: 'Acme',
  companyDomain: 'acme.example',
  ownerId: 'rep@acme.test',
  pipelineId: 'b2b',
  stageId: 'discovery',
  stageEnteredAt: T,
  amount: { value: 12_000, currency: 'EUR' },
  contacts: [],
  facts: {},
  threadIds: ['t1'],
  status: 'open',
  createdAt: T,
  updatedAt: T,
};

function valid(mutations: PendingMutation[]): string[] {
  for (const m of mutations) {
    const parsed = MutationArgs[m.name].safeParse(m.args);
    expect(parsed.success, `${m.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  }
  return mutations.map((m) => m.name);
}

describe('deals, history, flags and playbooks become mutations', () => {
  it('a new deal goes whole, without its owner (the server stamps it)', () => {
    const [m] = mutationsForChange('deals', undefined, deal);
    expect(valid([m!])).toEqual(['deal.upsert']);
    expect(m!.args).not.toHaveProperty('ownerId');
    expect(m!.args).toMatchObject({ id: 'd1', name: 'Acme', threadIds: ['t1'] });
  });

  it('a change sends only what changed and what was taken away, so other devices’ edits survive', () => {
    const moved: Deal = { ...deal, stageId: 'qualified', stageEnteredAt: T + 1, updatedAt: T + 1 };
    delete (moved as Partial<Deal>).amount;
    const out = mutationsForChange('deals', deal, moved);
    expect(valid(out)).toEqual(['deal.upsert']);
    expect(out[0]!.args).toEqual({
      id: 'd1',
      stageId: 'qualified',
      stageEnteredAt: T + 1,
      updatedAt: T + 1,
      cleared: ['amount'],
    });
    expect(mutationsForChange('deals', deal, { ...deal })).toEqual([]);
    expect(mutationsForChange('deals', deal, undefined)).toEqual([
      { name: 'deal.delete', args: { dealId: 'd1' } },
    ]);
  });

  it('history travels once, when added; flags on every change; playbooks whole', () => {
    const event: DealEvent = {
      id: 'e1',
      dealId: 'd1',
      at: T,
      by: 'rep@acme.test',
      kind: 'stage_changed',
      data: { fromStageId: 'discovery', toStageId: 'qualified' },
    };
    expect(valid(mutationsForChange('dealEvents', undefined, event))).toEqual(['dealEvents.record']);
    expect(mutationsForChange('dealEvents', event, event)).toEqual([]);
    const flag: DealFlag = {
      id: 'd1:no_eb:1',
      dealId: 'd1',
      ownerId: 'rep@acme.test',
      ruleId: 'no_eb',
      severity: 'error',
      raisedAt: T,
      because: ['no contact is the economic buyer'],
    };
    expect(valid(mutationsForChange('dealFlags', undefined, flag))).toEqual(['dealFlag.upsert']);
    expect(valid(mutationsForChange('dealFlags', flag, { ...flag, clearedAt: T + 5 }))).toEqual([
      'dealFlag.upsert',
    ]);
    const playbook = defaultPlaybook();
    expect(valid(mutationsForChange('playbooks', undefined, playbook))).toEqual(['playbook.upsert']);
    expect(mutationsForChange('playbooks', playbook, undefined)).toEqual([
      { name: 'playbook.delete', args: { playbookId: playbook.id } },
    ]);
  });
});
