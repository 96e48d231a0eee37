import { companyDomainOf } from '../../lib/domain/company';
import type { Contact } from '../../lib/domain/contact';
import type { OpenedThread, ThreadPerson } from '../../lib/hosts/types';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The people of a thread the panel is about: everyone but the rep and the rep's own company. */
export function externalPeople(thread: OpenedThread): ThreadPerson[] {
  const me = thread.me?.toLowerCase();
  // Colleagues share the rep's company domain; on consumer mail services everyone shares one, so none counts.
  const myDomain = me ? companyDomainOf({ email: me }) : undefined;
  return thread.participants.filter((p) => p.email !== me && (!myDomain || domainOf(p.email) !== myDomain));
}

/** A contact unknown so far gets the first and last name the mail client shows for them. */
export function withThreadNames(contacts: Contact[], people: ThreadPerson[]): Contact[] {
  return contacts.map((c) => {
    if (c.firstName || c.lastName) return c;
    const name = people.find((p) => p.email === c.email)?.name?.trim();
    if (!name || name.includes('@')) return c;
    const [first, ...rest] = name.split(/\s+/);
    return { ...c, firstName: first, ...(rest.length ? { lastName: rest.join(' ') } : {}) };
  });
}
