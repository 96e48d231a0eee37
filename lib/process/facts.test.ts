import { describe, expect, it } from 'vitest';
import { DealEventSchema } from '../domain/deal';
import { defaultPlaybook } from './default-playbook';
import { answerFact } from './facts';
import { deal, NOW } from './fixtures.test-helper';

const playbook = defaultPlaybook();

describe('answering a fact', () => {
  it('writes the typed answer and records who answered what, when', () => {
    const { deal: d, event } = answerFact(
      deal(),
      playbook,
      'budget_confirmed',
      { type: 'yes_no', value: true },
      NOW,
      'rep@us.example',
    );
    expect(d.facts.budget_confirmed).toEqual({ type: 'yes_no', value: true });
    expect(DealEventSchema.parse(event)).toMatchObject({
      kind: 'fact_answered',
      by: 'rep@us.example',
      at: NOW,
      data: { factKey: 'budget_confirmed' },
    });
  });

  it('clears an answer', () => {
    const answered = deal({ facts: { pain: { type: 'text', value: 'x' } } });
    const { deal: d, event } = answerFact(answered, playbook, 'pain', undefined, NOW, 'rep');
    expect(d.facts).toEqual({});
    expect(event.data).toEqual({ factKey: 'pain' });
  });

  it('refuses an unknown fact, the wrong type, a choice not offered, a contact not on the deal', () => {
    expect(() => answerFact(deal(), playbook, 'mood', { type: 'text', value: 'x' }, NOW, 'rep')).toThrow(
      'mood: the playbook has no such fact',
    );
    expect(() => answerFact(deal(), playbook, 'budget', { type: 'number', value: 5 }, NOW, 'rep')).toThrow(
      'Budget takes a money answer, not number',
    );
    expect(() =>
      answerFact(deal(), playbook, 'competition', { type: 'choice', value: 'nobody' }, NOW, 'rep'),
    ).toThrow('"nobody" is not one of');
    expect(() =>
      answerFact(deal(), playbook, 'decision_date', { type: 'date', value: '7 Dec' }, NOW, 'rep'),
    ).toThrow('decision_date.value: must be a date');
  });
});
