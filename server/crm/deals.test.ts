// @vitest-environment node
/** The deal mapping, pure: stages both ways, the fields written, and who wins a stage. */
import { describe, expect, it } from 'vitest';
import type { Deal } from '../../lib/domain/deal';
import { dealWrite, decideStage, hubspotStageOf, movedDeal, threadlineStageOf } from './deals';
import { CrmDealMapping, CrmSettings } from './settings';

const defaults = CrmDealMapping.parse({});
const deal: Deal = {
  id: 'd1',
  name: 'Acme',
  ownerId: 'rep@team.test',
  pipelineId: 'b2b',
  stageId: 'demo',
  stageEnteredAt: 5_000,
  amount: { value: 900, currency: 'EUR' },
  closeDate: '2027-01-31',
  contacts: [],
  facts: {
    pain: { type: 'text', value: 'slow' },
    budget_confirmed: { type: 'yes_no', value: true },
    champion: { type: 'contact', value: 'c1' },
  },
  threadIds: [],
  status: 'open',
  createdAt: 1,
  updatedAt: 5_000,
};
const stages = [
  { id: 'demo', name: 'Demo', kind: 'open' as const },
  { id: 'pilot', name: 'Pilot run', kind: 'open' as const },
  { id: 'won', name: 'Closed won', kind: 'won' as const },
];

describe('stages', () => {
  it('maps the shipped playbook to the default pipeline, a listed stage as listed, others by label', () => {
    expect(hubspotStageOf(defaults, 'b2b', { id: 'demo' })).toBe('presentationscheduled');
    const mapping = CrmDealMapping.parse({
      pipelines: { b2b: { hubspotPipelineId: 'default', stages: { demo: 'contractsent' } } },
    });
    expect(hubspotStageOf(mapping, 'b2b', { id: 'demo' })).toBe('contractsent');
    const custom = CrmDealMapping.parse({ pipelines: { p2: { hubspotPipelineId: '777' } } });
    const pipelines = [{ id: '777', label: 'Partners', stages: [{ id: '91', label: 'Pilot Run' }] }];
    expect(hubspotStageOf(custom, 'p2', { id: 'pilot', name: 'Pilot run' }, pipelines)).toBe('91');
    expect(hubspotStageOf(custom, 'p2', { id: 'other', name: 'Other' }, pipelines)).toBeUndefined();
    expect(threadlineStageOf(custom, 'p2', '91', stages, pipelines)?.id).toBe('pilot');
    expect(threadlineStageOf(defaults, 'b2b', 'closedwon', stages)?.id).toBe('won');
  });

  it('has a deal mapping with defaults in the settings, and refuses a bad HubSpot name', () => {
    expect(CrmSettings.parse({}).deals).toEqual({
      enabled: true,
      pipelines: {},
      facts: {},
      threadlineWins: [],
    });
    expect(() => CrmDealMapping.parse({ facts: { pain: 'not a name' } })).toThrow(/HubSpot internal name/);
  });

  it('lets the later move win, Threadline on a tie, and only counts a HubSpot move when HubSpot changed it', () => {
    const ours = { stage: 'qualifiedtobuy', at: 100 };
    expect(decideStage(ours, undefined, undefined)).toEqual({ kind: 'write', stage: 'qualifiedtobuy' });
    expect(decideStage(ours, { stage: 'qualifiedtobuy', at: 500 }, { hubspotStage: 'x' })).toEqual({
      kind: 'same',
    });
    // HubSpot still holds what Threadline wrote last: not a HubSpot move, whatever its modification time.
    expect(
      decideStage(ours, { stage: 'appointmentscheduled', at: 500 }, { hubspotStage: 'appointmentscheduled' }),
    ).toEqual({ kind: 'write', stage: 'qualifiedtobuy' });
    expect(
      decideStage(ours, { stage: 'contractsent', at: 500 }, { hubspotStage: 'appointmentscheduled' }),
    ).toEqual({
      kind: 'take',
      stage: 'contractsent',
      at: 500,
    });
    expect(
      decideStage(ours, { stage: 'contractsent', at: 100 }, { hubspotStage: 'appointmentscheduled' }),
    ).toEqual({
      kind: 'write',
      stage: 'qualifiedtobuy',
    });
  });
});

describe('fields written', () => {
  const mapping = CrmDealMapping.parse({
    facts: { pain: 'description', budget_confirmed: 'budget_ok', champion: 'x' },
  });
  const target = { pipeline: 'default', stage: 'presentationscheduled' };

  it('writes every field, the id and the owner on a new deal; a contact fact is not written', () => {
    const { properties } = dealWrite(deal, mapping, undefined, undefined, target, { ownerId: '42' });
    expect(properties).toEqual({
      dealname: 'Acme',
      amount: '900',
      deal_currency_code: 'EUR',
      closedate: String(Date.parse('2027-01-31T00:00:00Z')),
      description: 'slow',
      budget_ok: 'true',
      threadline_deal_id: 'd1',
      hubspot_owner_id: '42',
      pipeline: 'default',
      dealstage: 'presentationscheduled',
    });
  });

  it('keeps a value edited in HubSpot, updates one Threadline wrote, fills an empty one, unless Threadline wins', () => {
    const hubspot = {
      id: '1',
      modifiedAt: 1,
      stageAt: 1,
      properties: {
        dealname: 'Acme (renamed in HubSpot)',
        amount: '500',
        closedate: '2027-01-31T00:00:00.000Z',
        description: null,
        budget_ok: 'false',
        dealstage: 'presentationscheduled',
        hubspot_owner_id: '7',
      },
    };
    const link = { hubspotStage: 'presentationscheduled', written: { dealname: 'Acme', amount: '500' } };
    expect(dealWrite(deal, mapping, hubspot, link, target, { ownerId: '42' }).properties).toEqual({
      amount: '900',
      deal_currency_code: 'EUR',
      description: 'slow',
    });
    const wins = CrmDealMapping.parse({ ...mapping, threadlineWins: ['dealname', 'budget_ok'] });
    expect(dealWrite(deal, wins, hubspot, link, target).properties).toEqual({
      dealname: 'Acme',
      amount: '900',
      deal_currency_code: 'EUR',
      description: 'slow',
      budget_ok: 'true',
    });
  });

  it('writes the currency with the amount: a currency change alone, a money fact mapped to the amount, a currency HubSpot lacks', () => {
    const held = (amount: string, currency: string | null) => ({
      id: '1',
      modifiedAt: 1,
      stageAt: 1,
      properties: {
        dealname: 'Acme',
        amount,
        deal_currency_code: currency,
        closedate: '2027-01-31T00:00:00.000Z',
        dealstage: 'presentationscheduled',
      },
    });
    const link = (written: Record<string, string>) => ({ hubspotStage: 'presentationscheduled', written });
    const plain = CrmDealMapping.parse({});
    const write = (d: Deal, m: CrmDealMapping, h: ReturnType<typeof held>, w: Record<string, string>) =>
      dealWrite(d, m, h, link(w), target).properties;
    // The same number in another currency is another amount.
    const usd = { ...deal, amount: { value: 900, currency: 'USD' } };
    expect(write(usd, plain, held('900', 'EUR'), { amount: '900', deal_currency_code: 'EUR' })).toEqual({
      amount: '900',
      deal_currency_code: 'USD',
    });
    // Written before currencies were: HubSpot has the amount without one, so the pair is written again.
    expect(write(deal, plain, held('900', null), { amount: '900' })).toEqual({
      amount: '900',
      deal_currency_code: 'EUR',
    });
    expect(write(deal, plain, held('900', 'EUR'), { amount: '900', deal_currency_code: 'EUR' })).toEqual({});
    // Someone set amount and currency in HubSpot: both kept, unless Threadline wins the amount.
    expect(write(deal, plain, held('700', 'GBP'), { amount: '900', deal_currency_code: 'EUR' })).toEqual({});
    const wins = CrmDealMapping.parse({ threadlineWins: ['amount'] });
    expect(write(deal, wins, held('700', 'GBP'), {})).toEqual({ amount: '900', deal_currency_code: 'EUR' });
    // A money fact mapped to the amount brings its own currency.
    const budget = CrmDealMapping.parse({ facts: { budget: 'amount' } });
    const withBudget = {
      ...deal,
      amount: undefined,
      facts: { budget: { type: 'money' as const, value: { value: 5000, currency: 'GBP' } } },
    };
    const { amount: _none, ...noAmount } = withBudget;
    expect(dealWrite(noAmount, budget, undefined, undefined, target).properties).toMatchObject({
      amount: '5000',
      deal_currency_code: 'GBP',
    });
  });

  it('moves a deal to a stage HubSpot won: stage, time in stage, status and close time', () => {
    expect(movedDeal(deal, stages[2]!, 9_000, 10_000)).toMatchObject({
      stageId: 'won',
      stageEnteredAt: 9_000,
      status: 'won',
      closedAt: 9_000,
      updatedAt: 10_000,
    });
    const reopened = movedDeal({ ...deal, status: 'won', closedAt: 3 }, stages[0]!, 9_000, 10_000);
    expect(reopened.status).toBe('open');
    expect(reopened.closedAt).toBeUndefined();
  });
});
