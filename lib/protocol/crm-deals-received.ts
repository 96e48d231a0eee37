import * as z from 'zod/mini';
import type { Runtime } from './endpoints';
import { Reply } from './inbox-received';
import type { ResponseOf } from './messages';

/**
 * What the thread panel (a content script) receives for crmDeals.refresh, checked on receipt with zod/mini as
 * crm-lookup-received.ts does: the same rules as crm-deals.ts without zod's classic API.
 */
export const CrmDealRefreshReceived = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('read'), linked: z.boolean(), moved: z.boolean() }),
  z.strictObject({ state: z.literal('throttled') }),
  z.strictObject({ state: z.literal('no_backend') }),
  z.strictObject({ state: z.literal('not_linked') }),
  z.strictObject({ state: z.literal('error'), message: z.string().check(z.maxLength(2000)) }),
]);
export type CrmDealRefreshReceived = ResponseOf<'crmDeals.refresh'>;

// Fails to compile when crm-deals.ts changes shape and this copy does not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof CrmDealRefreshReceived>, ResponseOf<'crmDeals.refresh'>> = true;
void sameShape;

/** Asks the background to read the deal's HubSpot stage now, and checks the answer on receipt. */
export async function askCrmDealRefresh(runtime: Runtime, dealId: string): Promise<CrmDealRefreshReceived> {
  const name = 'crmDeals.refresh';
  const reply = z.safeParse(Reply, await runtime.sendMessage({ threadline: 1, name, request: { dealId } }));
  if (!reply.success) throw new Error(`${name}: the background answered something unexpected`);
  if (!reply.data.ok) throw new Error(reply.data.error);
  const data = z.safeParse(CrmDealRefreshReceived, reply.data.data);
  if (!data.success) throw new Error(`${name}: bad answer`);
  return data.data;
}
