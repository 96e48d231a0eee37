import { z } from 'zod';
import { Email, EpochMs } from './common';

/** The do-not-contact list: an address here is never enrolled or emailed. */
export const SuppressionSchema = z
  .object({
    email: Email,
    reason: z.enum(['unsubscribed', 'hard_bounce', 'manual', 'spam_complaint']),
    at: EpochMs,
    note: z.string().max(500).optional(),
  })
  .strict();
export type Suppression = z.infer<typeof SuppressionSchema>;
