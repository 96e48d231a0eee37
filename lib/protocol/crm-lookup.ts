import { z } from 'zod';
import { CrmLookupPerson, type CrmLookupContact, type CrmLookupDeal } from '../contract/crm-lookup';
import { Email } from '../domain/common';

/**
 * The thread panel's CRM read (lib/background/crm-lookup.ts): the team's HubSpot contact of each participant
 * and their open deals, through the backend (which alone holds the CRM connection). The mail page may send
 * it: it names the thread's participants and gets back display fields only, never a token. Not connected,
 * no backend and a failure are answers, not errors, so the panel stays quiet or shows one small line.
 */

/** At most this many addresses a message: a thread's external participants. */
export const MAX_CRM_LOOKUP = 20;

/** A participant's contact and open deals: one schema for server, background and panel (lib/contract). */
export const CrmPersonView = CrmLookupPerson;
export type CrmPersonView = CrmLookupPerson;
export type CrmContactView = CrmLookupContact;
export type CrmDealView = CrmLookupDeal;

export const CrmLookupAnswer = z.discriminatedUnion('state', [
  z.object({ state: z.literal('found'), people: z.array(CrmLookupPerson).max(MAX_CRM_LOOKUP) }).strict(),
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
