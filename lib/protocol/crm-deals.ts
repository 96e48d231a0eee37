import { z } from 'zod';

/**
 * The thread panel's read of the deal's HubSpot state on opening a thread (lib/background/crm-deals.ts): the
 * backend's POST /crm/deals/refresh takes a stage moved in HubSpot, then a sync pull brings the deal to this
 * device. The mail page may send it: it names one of the rep's deals and gets back whether it moved, never a
 * token. No backend, no CRM and a deal not yet on the backend are quiet answers.
 */
export const CrmDealRefreshAnswer = z.discriminatedUnion('state', [
  /** Read: `moved` when HubSpot's newer stage is now the deal's (and pulled onto this device). */
  z.object({ state: z.literal('read'), linked: z.boolean(), moved: z.boolean() }).strict(),
  /** Read less than a minute ago: not asked again. */
  z.object({ state: z.literal('throttled') }).strict(),
  /** No backend configured or not signed in. */
  z.object({ state: z.literal('no_backend') }).strict(),
  /** The backend has no such deal yet (not synced) or no CRM route. */
  z.object({ state: z.literal('not_linked') }).strict(),
  z.object({ state: z.literal('error'), message: z.string().max(2000) }).strict(),
]);
export type CrmDealRefreshAnswer = z.infer<typeof CrmDealRefreshAnswer>;

export const CRM_DEALS_MESSAGES = {
  'crmDeals.refresh': {
    request: z.object({ dealId: z.string().min(1).max(200) }).strict(),
    response: CrmDealRefreshAnswer,
  },
} as const;
