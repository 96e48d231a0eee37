import * as z from 'zod/mini';
import type { Runtime } from './endpoints';
import { CrmLookupPerson } from '../contract/crm-lookup';
import { Reply } from './inbox-received';
import type { ResponseOf } from './messages';

/**
 * What the thread panel (a content script) receives for crmLookup.people, checked on receipt with zod/mini
 * as deals-received.ts does: each person with the one schema of lib/contract/crm-lookup.ts (zod/mini itself),
 * the states as crm-lookup.ts lists them, without zod's classic API. Links are https only.
 */
const text = (max: number) => z.string().check(z.maxLength(max));

export const CrmLookupReceived = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('found'),
    people: z.array(CrmLookupPerson).check(z.maxLength(20)),
  }),
  z.strictObject({ state: z.literal('not_connected') }),
  z.strictObject({ state: z.literal('no_backend') }),
  z.strictObject({ state: z.literal('error'), message: text(2000) }),
]);
export type CrmLookupReceived = ResponseOf<'crmLookup.people'>;

// Fails to compile when crm-lookup.ts changes shape and this copy does not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof CrmLookupReceived>, ResponseOf<'crmLookup.people'>> = true;
void sameShape;

/** Asks the background for the participants' CRM records and checks the answer on receipt. */
export async function askCrmLookup(runtime: Runtime, emails: string[]): Promise<CrmLookupReceived> {
  const name = 'crmLookup.people';
  const reply = z.safeParse(Reply, await runtime.sendMessage({ threadline: 1, name, request: { emails } }));
  if (!reply.success) throw new Error(`${name}: the background answered something unexpected`);
  if (!reply.data.ok) throw new Error(reply.data.error);
  const data = z.safeParse(CrmLookupReceived, reply.data.data);
  if (!data.success) throw new Error(`${name}: bad answer`);
  return data.data;
}
