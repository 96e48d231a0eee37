/**
 * The kinds of sequence step and of task, listed once: every schema (zod and zod/mini), the sequence builder,
 * the runner's default task titles and the server derive from these lists. A new kind added here fails to
 * compile wherever a `Record` over the list has no entry for it yet.
 */

/** Every kind of step, in the order the sequence builder offers them. */
export const STEP_TYPES = ['auto_email', 'manual_email', 'call', 'linkedin', 'todo'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** The steps that become a task for the rep: all but the email the runner sends itself. */
export const TASK_TYPES = ['manual_email', 'call', 'linkedin', 'todo'] as const satisfies readonly StepType[];
export type TaskType = (typeof TASK_TYPES)[number];
