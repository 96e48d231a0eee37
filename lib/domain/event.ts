import { z } from 'zod';
import { EpochMs, Id } from './common';
import { PauseReason, UnenrollReason } from './enrollment';

/**
 * What happened, when. Events are the history of every enrollment and the input of analytics.
 * Their `id` is deterministic where the happening is (sends, tasks), so replays never double-count.
 */
export const EventType = z.enum([
  'enrolled',
  'sent',
  'task_created',
  'task_completed',
  'task_skipped',
  'paused',
  'resumed',
  'unenrolled',
  'finished',
  'replied',
  'auto_replied',
  'out_of_office',
  'bounced',
  'meeting_booked',
  'unsubscribed',
  'opened',
  'clicked',
  'send_failed',
]);
export type EventType = z.infer<typeof EventType>;

export const EventSchema = z
  .object({
    id: Id,
    at: EpochMs,
    type: EventType,
    enrollmentId: Id.optional(),
    sequenceId: Id.optional(),
    contactId: Id.optional(),
    mailbox: z.string().optional(),
    stepIndex: z.number().int().nonnegative().optional(),
    stepId: Id.optional(),
    reason: z.union([UnenrollReason, PauseReason, z.string()]).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type Event = z.infer<typeof EventSchema>;
