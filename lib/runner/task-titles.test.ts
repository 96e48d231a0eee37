import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../domain/step-types';
import { defaultTaskTitle } from './task-titles';

describe('a task whose step has no title', () => {
  it('is named for what the rep does and for whom, for every kind of task', () => {
    expect(TASK_TYPES.map((type) => defaultTaskTitle(type, 'Lea'))).toEqual([
      'Email Lea',
      'Call Lea',
      'LinkedIn: Lea',
      'To-do for Lea',
    ]);
  });
});
