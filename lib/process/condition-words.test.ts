import { describe, expect, it } from 'vitest';
import { DealRole } from '../domain/deal';
import { ConditionOp, DealField } from '../domain/playbook';
import { fieldMenuWords, opMenuWords, OP_WORDS, roleWords } from './condition-words';

describe('the words for operators, fields and roles', () => {
  it('offers every operator under words no other operator has, for dates and for the rest', () => {
    for (const date of [false, true]) {
      const menu = ConditionOp.options.map((op) => opMenuWords(op, date));
      expect(new Set(menu).size).toBe(ConditionOp.options.length);
      expect(menu.every((w) => w.trim().length > 0)).toBe(true);
    }
    expect(opMenuWords('lt', true)).toBe('is before');
    expect(opMenuWords('lt', false)).toBe('is less than');
    expect(opMenuWords('more_than_days_ago', false)).toBe('was more than N days ago');
    expect(OP_WORDS.more_than_days_ago.sentence).toBe('was more than');
  });

  it('names every deal field and role, and keeps a role it does not know as written', () => {
    expect(new Set(DealField.options.map(fieldMenuWords)).size).toBe(DealField.options.length);
    expect(DealRole.options.map(roleWords)).toContain('decision maker');
    expect(roleWords('sponsor')).toBe('sponsor');
    expect(roleWords('toString')).toBe('toString');
  });
});
