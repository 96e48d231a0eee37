import { z } from 'zod';
import { Id } from '../domain/common';

/**
 * The options page's Enrollments view acting on many enrollments at once (lib/background/enrollments.ts).
 * Each enrollment goes through the runner's own rules in its own transaction; a refusal is reported, not thrown.
 */
export const ENROLLMENTS_MESSAGES = {
  'enrollments.move': {
    request: z
      .object({
        enrollmentIds: z.array(Id).min(1).max(5000),
        /** 0-based. */
        toStep: z.number().int().min(0),
      })
      .strict(),
    response: z
      .object({
        moved: z.number().int(),
        refused: z.array(z.object({ id: z.string(), error: z.string() }).strict()),
      })
      .strict(),
  },
};
