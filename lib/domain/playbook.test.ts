import { describe, expect, it } from 'vitest';
import { describeZodError } from './common';
import { DealEventSchema, DealSchema } from './deal';
import { PlaybookSchema, type PlaybookInput } from './playbook';

const playbook = (over: Partial<PlaybookInput> = {}): PlaybookInput => ({
  id: 'pb',
  pipelineId: 'p',
  name: 'Sales',
  facts: [
    { key: 'pain', label: 'Pain', type: 'text' },
    { key: 'size', label: 'Company size', type: 'choice', choices: ['small', 'large'] },
  ],
  stages: [
    { id: 'disc', name: 'Discovery', exitCriteria: [{ id: 'c1', label: 'Pain known', factKey: 'pain' }] },
    { id: 'won', name: 'Won', kind: 'won' },
  ],
  rules: [
    {
      id: 'r1',
      name: 'No pain',
      severity: 'warning',
      message: 'Pain unknown',
      when: { op: 'and', conditions: [{ type: 'fact', key: 'pain', op: 'empty' }] },
    },
  ],
  ...over,
});

const problems = (input: unknown) => {
  const r = PlaybookSchema.safeParse(input);
  return r.success ? '' : describeZodError(r.error);
};

describe('a playbook', () => {
  it('parses with its defaults: warn gate, no actions, cards or automations, rules on every open stage', () => {
    const p = PlaybookSchema.parse(playbook());
    expect(p.gate).toBe('warn');
    expect(p.stages[0]).toMatchObject({ kind: 'open', actions: [], cards: [], automations: [] });
    expect(p.rules[0]).toMatchObject({ stageIds: [], enabled: true });
  });

  it('names every reference to a fact, stage or rule that does not exist', () => {
    const text = problems(
      playbook({
        stages: [
          {
            id: 'disc',
            name: 'Discovery',
            exitCriteria: [{ id: 'c1', label: 'Budget', factKey: 'budget' }],
            automations: [
              { id: 'a1', label: 'Fix', trigger: { on: 'flag', ruleId: 'nope' }, action: { type: 'fix_it' } },
            ],
          },
          { id: 'won', name: 'Won', kind: 'won' },
        ],
        rules: [
          {
            id: 'r1',
            name: 'x',
            severity: 'error',
            message: 'x',
            stageIds: ['gone'],
            when: {
              op: 'or',
              conditions: [{ op: 'and', conditions: [{ type: 'stage_is', stageIds: ['demo'] }] }],
            },
          },
        ],
      }),
    );
    expect(text).toContain('stages.0.exitCriteria.0.factKey: no fact "budget"');
    expect(text).toContain('stages.0.automations.0.trigger.ruleId: no rule "nope"');
    expect(text).toContain('rules.0.when.conditions.0.conditions.0.stageIds.0: no stage "demo"');
    expect(text).toContain('rules.0.stageIds.0: no stage "gone"');
  });

  it('refuses a choice fact without choices, duplicate stage ids and a pipeline with no open stage', () => {
    expect(
      problems(
        playbook({
          facts: [{ key: 'size', label: 'Size', type: 'choice' }],
          rules: [],
          stages: [
            { id: 'a', name: 'A' },
            { id: 'b', name: 'B' },
          ],
        }),
      ),
    ).toContain('facts.0.choices: a choice fact needs its choices');
    expect(
      problems(
        playbook({
          stages: [
            { id: 'won', name: 'W', kind: 'won' },
            { id: 'won', name: 'L', kind: 'lost' },
          ],
          rules: [],
        }),
      ),
    ).toMatch(/stages.1: duplicate id "won"[\s\S]*a pipeline needs an open stage/);
  });
});

describe('a deal and its history', () => {
  const deal = {
    id: 'd1',
    name: 'Acme',
    ownerId: 'rep@us.example',
    pipelineId: 'p',
    stageId: 'disc',
    stageEnteredAt: 0,
    createdAt: 0,
    updatedAt: 0,
  };

  it('keeps typed facts and refuses a value of the wrong type or a bad currency, naming the field', () => {
    const parsed = DealSchema.parse({
      ...deal,
      amount: { value: 1200, currency: 'eur' },
      facts: { budget_ok: { type: 'yes_no', value: true } },
    });
    expect(parsed.amount?.currency).toBe('EUR');
    const r = DealSchema.safeParse({
      ...deal,
      amount: { value: 5, currency: 'euro' },
      facts: { pain: { type: 'yes_no', value: 'y' } },
    });
    expect(r.success ? '' : describeZodError(r.error)).toMatch(
      /amount.currency: must be a three-letter[\s\S]*facts.pain.value/,
    );
  });

  it('records an override only with a reason', () => {
    const base = { id: 'e1', dealId: 'd1', at: 1, by: 'boss@us.example', kind: 'override' };
    const data = { stageId: 'disc', toStageId: 'won', criterionIds: ['c1'] };
    expect(DealEventSchema.safeParse({ ...base, data: { ...data, reason: 'Signed early' } }).success).toBe(
      true,
    );
    const r = DealEventSchema.safeParse({ ...base, data: { ...data, reason: ' ' } });
    expect(r.success ? '' : describeZodError(r.error)).toContain('data.reason: an override needs a reason');
  });
});
