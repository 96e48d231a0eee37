import { z } from 'zod';
import { Email } from '../domain/common';

/**
 * The thread panel's CRM read (lib/background/crm-lookup.ts): the team's HubSpot contact of each participant
 * and their open deals, through the backend (which alone holds the CRM connection). The mail page may send
 * it: it names the thread's participants and gets back display fields only, never a token. Not connected,
 * no backend and a failure are answers, not errors, so the panel stays quiet or shows one small line.
 */

/** At most this many addresses a message: a thread's external participants. */
export const MAX_CRM_LOOKUP = 20;

/** A link into the CRM's web app: https only, so the mail page never renders a script URL. */
const HttpsUrl = z.url({ protocol: /^https$/ }).max(2000);

export const CrmDealView = z
  .object({
    id: z.string().max(100),
    name: z.string().max(500),
    url: HttpsUrl,
    pipeline: z.object({ id: z.string().max(200), label: z.string().max(500) }).strict(),
    stage: z.object({ id: z.string().max(200), label: z.string().max(500) }).strict(),
    amount: z.string().max(100).optional(),
    closeDate: z.number().optional(),
    /** The Threadline deal this HubSpot deal was written from (the deal bridge), when it was. */
    threadlineDealId: z.string().max(200).optional(),
  })
  .strict();
export type CrmDealView = z.infer<typeof CrmDealView>;

export const CrmContactView = z
  .object({
    id: z.string().max(100),
    url: HttpsUrl,
    name: z.string().max(500),
    firstName: z.string().max(200).optional(),
    lastName: z.string().max(200).optional(),
    owner: z
      .object({ id: z.string().max(100), name: z.string().max(500), email: z.string().max(320) })
      .strict()
      .optional(),
    lifecycleStage: z.string().max(200).optional(),
    lastActivityAt: z.number().optional(),
    company: z.string().max(500).optional(),
    jobTitle: z.string().max(500).optional(),
    timeZone: z.string().max(100).optional(),
    deals: z.array(CrmDealView).max(200),
  })
  .strict();
export type CrmContactView = z.infer<typeof CrmContactView>;

export const CrmPersonView = z
  .object({ email: z.string().max(320), contact: CrmContactView.nullable() })
  .strict();
export type CrmPersonView = z.infer<typeof CrmPersonView>;

export const CrmLookupAnswer = z.discriminatedUnion('state', [
  z.object({ state: z.literal('found'), people: z.array(CrmPersonView).max(MAX_CRM_LOOKUP) }).strict(),
  /** The team has no CRM connected (or the backend predates the lookup). */
  z.object({ state: z.literal('not_connected') }).strict(),
  /** No backend configured or not signed in: the CRM bridge is a team feature. */
  z.object({ state: z.literal('no_backend') }).strict(),
  z.object({ state: z.literal('error'), message: z.string().max(2000) }).strict(),
]);
export type CrmLookupAnswer = z.infer<typeof CrmLookupAnswer>;

export const CRM_LOOKUP_MESSAGES = {
  'crmLookup.people': {
    request: z.object({ emails: z.array(Email).min(1).max(MAX_CRM_LOOKUP) }).strict(),
    response: CrmLookupAnswer,
  },
} as const;
