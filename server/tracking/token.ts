import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What a tracking link stands for, signed with TRACKING_SECRET (HMAC-SHA256). A token that was altered or
 * made up fails the check and records nothing; a click token carries the one URL it may redirect to.
 */
export const TrackedPayload = z
  .object({
    /** open, click, unsubscribe */
    k: z.enum(['o', 'c', 'u']),
    team: z.string(),
    owner: z.string(),
    enrollment: z.string(),
    step: z.number().int().nonnegative(),
    /** When the link was made: about when the email left, for telling prefetches from opens. */
    iat: z.number().int(),
    url: z.string().optional(),
    /** Unsubscribe links made before opaque ids carried the address itself; they keep working. */
    email: z.string().optional(),
    /** An unsubscribe link's opaque id (unsubscribe_ids): the address is looked up, never in the link. */
    ref: z.string().optional(),
  })
  .strict();
export type TrackedPayload = z.infer<typeof TrackedPayload>;

export function createTrackingTokens(secret: Uint8Array) {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    sign(payload: TrackedPayload): string {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    /**
     * The payload, or undefined for anything we did not sign. Only the exact token we made passes: the MAC
     * covers the body's text, and the signature is compared as text, not decoded (a base64url decoder
     * skips padding, characters outside its alphabet and a last character's unused bits, so decoding would
     * let one link be written many ways, each its own rate-limit key).
     */
    verify(token: string): TrackedPayload | undefined {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined) return undefined;
      const expected = Buffer.from(mac(body).toString('base64url'));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const parsed = TrackedPayload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString()));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
export type TrackingTokens = ReturnType<typeof createTrackingTokens>;
