import { z } from 'zod';
import { EpochMs, Id } from './common';
import { TASK_TYPES } from './step-types';

export const TaskStatus = z.enum(['open', 'completed', 'skipped']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TaskSchema = z
  .object({
    /** `${enrollmentId}:${stepIndex}`: creating the same task twice is a no-op. */
    id: Id,
    enrollmentId: Id,
    sequenceId: Id,
    contactId: Id,
    stepId: Id,
    stepIndex: z.number().int().nonnegative(),
    type: z.enum(TASK_TYPES),
    title: z.string(),
    notes: z.string().default(''),
    priority: z.enum(['low', 'medium', 'high']),
    createdAt: EpochMs,
    dueAt: EpochMs,
    /** Does the sequence wait for this task? */
    blocking: z.boolean(),
    status: TaskStatus,
    doneAt: EpochMs.optional(),
    /** Call outcome or the rep's notes when completing. */
    outcome: z.string().max(200).optional(),
    outcomeNotes: z.string().max(10_000).optional(),
  })
  .strict();
export type Task = z.infer<typeof TaskSchema>;
