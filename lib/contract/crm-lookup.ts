import * as z from 'zod/mini';

/**
 * The thread panel's CRM lookup answer (`POST /crm/lookup`, server/crm/lookup-routes.ts): each participant's
 * HubSpot contact and its open deals, display fields only. Written once, here, for every side: the server
 * builds and documents it, the background checks the backend's answer with it (lib/protocol/crm-lookup.ts),
 * the content scripts check what they receive with it (lib/protocol/crm-lookup-received.ts) and the panel
 * reads its type. zod/mini rather than the classic API (the rest of crm.ts): a content script imports it,
 * and classic zod would be most of a content script's weight. Links are https only, so a mail page never
 * renders a script URL.
 */

const text = (max: number) => z.string().check(z.maxLength(max));
const HttpsUrl = z.url({ protocol: /^https$/ }).check(z.maxLength(2000));

export const CrmLookupDeal = z.strictObject({
  id: text(100),
  name: text(500),
  url: HttpsUrl,
  pipeline: z.strictObject({ id: text(200), label: text(500) }),
  stage: z.strictObject({ id: text(200), label: text(500) }),
  amount: z.optional(text(100)),
  closeDate: z.optional(z.number()),
  /** The Threadline deal this HubSpot deal was written from (the deal bridge), when it was. */
  threadlineDealId: z.optional(text(200)),
});
export type CrmLookupDeal = z.infer<typeof CrmLookupDeal>;

export const CrmLookupContact = z.strictObject({
  id: text(100),
  url: HttpsUrl,
  name: text(500),
  firstName: z.optional(text(200)),
  lastName: z.optional(text(200)),
  owner: z.optional(z.strictObject({ id: text(100), name: text(500), email: text(320) })),
  lifecycleStage: z.optional(text(200)),
  lastActivityAt: z.optional(z.number()),
  company: z.optional(text(500)),
  jobTitle: z.optional(text(500)),
  /** IANA zone, when HubSpot has one. */
  timeZone: z.optional(text(100)),
  /** Open deals only (their stage is not a closed one). */
  deals: z.array(CrmLookupDeal).check(z.maxLength(200)),
});
export type CrmLookupContact = z.infer<typeof CrmLookupContact>;

/** One address asked about; `contact` null when the CRM has no contact with it. */
export const CrmLookupPerson = z.strictObject({
  email: text(320),
  contact: z.nullable(CrmLookupContact),
});
export type CrmLookupPerson = z.infer<typeof CrmLookupPerson>;
