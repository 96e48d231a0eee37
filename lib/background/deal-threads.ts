/** Which deal a thread belongs to, and the people and company a thread's new deal is made from. */
import type { ThreadlineDb } from '../db/database';
import { companyDomainOf } from '../domain/contact';
import type { Deal } from '../domain/deal';
import type { RequestOf } from '../protocol/messages';

export type ThreadRef = RequestOf<'deal.forThread'>;
export const domainOf = (email: string) => email.split('@')[1]?.toLowerCase() ?? '';

/** The thread's people outside the rep's own domain, and the company most of them are at. */
export function outsiders(thread: ThreadRef, repEmail: string) {
  const mine = domainOf(repEmail);
  const people = thread.participants.filter((p) => p.email !== repEmail && domainOf(p.email) !== mine);
  const counts = new Map<string, number>();
  for (const p of people) {
    const d = companyDomainOf({ email: p.email });
    if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const companyDomain = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  return { people, companyDomain };
}

/** An explicit link wins; else an open deal of the rep at the participants' company. */
export async function dealForThread(
  db: ThreadlineDb,
  thread: ThreadRef,
  repEmail: string,
): Promise<Deal | undefined> {
  const linked = await db.deals.where('threadIds').equals(thread.threadId).first();
  if (linked) return linked;
  const { companyDomain } = outsiders(thread, repEmail);
  if (!companyDomain) return undefined;
  const atCompany = await db.deals.where('companyDomain').equals(companyDomain).toArray();
  return atCompany
    .filter((d) => d.status === 'open')
    .sort(
      (a, b) => Number(b.ownerId === repEmail) - Number(a.ownerId === repEmail) || b.updatedAt - a.updatedAt,
    )[0];
}

export const nameOfDomain = (domain: string) => {
  const label = domain.split('.')[0] ?? domain;
  return label.charAt(0).toUpperCase() + label.slice(1);
};
