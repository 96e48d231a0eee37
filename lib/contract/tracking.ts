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

/**
 * What the rep is looking at now, reported by the extension when the rep opens a thread with enrollments in
 * it (at most once a minute for the same set), and as an empty list when they leave it, which ends the views
 * at once (unreported, they last two minutes). Opens of those enrollments' emails while the rep views
 * them are the rep's own: they are kept, flagged `own_view`, and not counted as the contact's.
 */
export const ViewingRequest = z
  .object({
    enrollmentIds: z.array(Id).max(100).default([]),
    /** The mail provider's thread ids, for the enrollments whose emails went in those threads. */
    threadIds: z.array(z.string().min(1).max(500)).max(100).default([]),
  })
  .strict();
export type ViewingRequest = z.input<typeof ViewingRequest>;

export const Viewing = z
  .object({
    /** The caller's enrollments now counted as viewed. */
    enrollmentIds: z.array(z.string()),
    /** Until when, on the server's clock, unless reported again. */
    until: z.number().int(),
  })
  .strict();
export type Viewing = z.infer<typeof Viewing>;
