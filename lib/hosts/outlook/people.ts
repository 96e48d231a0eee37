import { parsePerson, uniquePeople } from '../people';
import type { ThreadPerson } from '../types';
import { anyOf, findAll, OUTLOOK } from './selectors';

/** Someone Outlook shows: with an address ("Name <address>"), or by name alone (a colleague of the tenant). */
export type Shown = ThreadPerson | { name: string; email?: undefined };

const CARD_LABEL = /^Opens card for (.+)$/;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const nameKey = (name: string) => squash(name).toLowerCase();

/**
 * One person element as Outlook shows it. The address is read from the visible text ("Name <address>",
 * outside senders), never from `title` (not reliably an address, HOSTS.md); a colleague's visible text is
 * their name alone. The card's English aria-label only stands in when the element shows no text.
 */
export function shownPerson(el: Element): Shown | undefined {
  const text = squash(el.textContent ?? '');
  const withAddress = parsePerson(text);
  if (withAddress) return withAddress;
  const name = text || CARD_LABEL.exec(el.getAttribute('aria-label') ?? '')?.[1]?.trim();
  return name ? { name } : undefined;
}

/**
 * The people of the messages inside `scope`: every person element, and each sender block that shows no
 * person element of its own, skipping anything inside a reply being written (`inCompose`).
 */
export function shownPeople(scope: Element, inCompose: (el: Element) => boolean): Shown[] {
  const shown: Shown[] = [];
  const personCss = anyOf(OUTLOOK.person);
  for (const block of findAll(scope, OUTLOOK.senderBlock)) {
    if (inCompose(block) || block.querySelector(personCss)) continue;
    const person = shownPerson(block);
    if (person) shown.push(person);
  }
  for (const el of findAll(scope, OUTLOOK.person)) {
    if (inCompose(el)) continue;
    const person = shownPerson(el);
    if (person) shown.push(person);
  }
  return shown;
}

/**
 * Addresses for the people shown by name alone: the rep's own name (the mailbox root's text), the same name
 * shown with an address elsewhere in the thread, then `known` (the conversation's people as the mailbox has
 * them, from Graph). Whoever is left keeps their name and no address.
 */
export function resolveNames(
  shown: Shown[],
  known: ThreadPerson[],
  me?: { email: string; name?: string },
): { people: ThreadPerson[]; unknown: { name: string }[] } {
  const byName = new Map<string, ThreadPerson>();
  const learn = (p: ThreadPerson) => {
    if (p.name && !byName.has(nameKey(p.name))) byName.set(nameKey(p.name), p);
  };
  if (me?.name) learn({ email: me.email, name: me.name });
  shown.forEach((p) => p.email !== undefined && learn(p));
  known.forEach(learn);
  const people: ThreadPerson[] = [];
  const unknown = new Map<string, { name: string }>();
  for (const p of shown) {
    if (p.email !== undefined) {
      people.push(p);
      continue;
    }
    const found = byName.get(nameKey(p.name));
    if (found) people.push({ email: found.email, name: p.name });
    else unknown.set(nameKey(p.name), { name: p.name });
  }
  return { people: uniquePeople(people), unknown: [...unknown.values()] };
}
