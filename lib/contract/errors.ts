import { z } from 'zod';

/** Every 4xx/5xx body: a stable code for programs and a message naming the problem for people. */
export const ErrorBody = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
      })
      .strict(),
  })
  .strict();
export type ErrorBody = z.infer<typeof ErrorBody>;
