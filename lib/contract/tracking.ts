import { z } from 'zod';
import { Id } from '../domain/common';

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);

/** Before sending a step, the extension asks for its signed tracking links. */
export const TrackingLinksRequest = z
  .object({
    enrollmentId: Id,
    stepIndex: z.number().int().nonnegative(),
    /** The links in the email, to be rewritten to tracked redirects. */
    links: z.array(HttpUrl).max(50).default([]),
  })
  .strict();
export type TrackingLinksRequest = z.input<typeof TrackingLinksRequest>;

export const TrackingLinks = z
  .object({
    pixelUrl: z.string(),
    /** For the List-Unsubscribe header (with List-Unsubscribe-Post: List-Unsubscribe=One-Click) and the footer. */
    unsubscribeUrl: z.string(),
    links: z.array(z.object({ url: z.string(), trackedUrl: z.string() }).strict()),
  })
  .strict();
export type TrackingLinks = z.infer<typeof TrackingLinks>;
