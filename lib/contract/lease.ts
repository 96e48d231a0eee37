import { z } from 'zod';

export const LeaseRequest = z
  .object({
    /** The device asking (one id per browser profile). */
    holder: z.string().min(1).max(200),
    /** How long the lease should last, on the server's clock; capped by the server. */
    ttlMs: z.number().int().min(1000).max(600_000).default(120_000),
  })
  .strict();
export type LeaseRequest = z.input<typeof LeaseRequest>;

export const LeaseGranted = z
  .object({
    holder: z.string(),
    /** Strictly increasing each time the lease changes hands; a sender attaches it to its writes. */
    fencingToken: z.number().int().positive(),
    expiresAt: z.number().int(),
  })
  .strict();
export type LeaseGranted = z.infer<typeof LeaseGranted>;

export const LeaseHeld = z
  .object({
    error: z.object({ code: z.literal('lease_held'), message: z.string() }).strict(),
    expiresAt: z.number().int(),
  })
  .strict();
export type LeaseHeld = z.infer<typeof LeaseHeld>;
