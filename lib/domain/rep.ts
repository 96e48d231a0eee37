import { z } from 'zod';
import { Email, TimeZone } from './common';

export const RepSchema = z
  .object({
    email: Email,
    name: z.string().max(200).optional(),
    /** Fallback clock for send windows when a contact's time zone is unknown. */
    timeZone: TimeZone,
    signature: z.string().max(10_000).optional(),
  })
  .strict();
export type Rep = z.infer<typeof RepSchema>;
