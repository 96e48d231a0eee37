/**
 * The demo inbox's view of one sandbox mailbox: its conversations, read from the sandbox's own store (what
 * arrived and what was sent), with people named as Outlook would show them.
 */
import { createHash } from 'node:crypto';
import { convert } from 'html-to-text';
import PostalMime, { type Address } from 'postal-mime';
import type { Sandbox, SandboxMessage } from '../server';
import type { DemoConversation, DemoMailbox, DemoMessage, DemoPerson } from './client/types';

interface Parsed {
  from?: { name: string; address: string };
  to: { name: string; address: string }[];
  cc: { name: string; address: string }[];
  text: string;
}

/** Graph's conversationId in the EWS form Outlook's `data-convid` carries (HOSTS.md: `+` ↔ `_`, `/` ↔ `-`). */
export const ewsIdOf = (graphId: string) => graphId.replaceAll('_', '+').replaceAll('-', '/');

const flat = (list: Address[] | undefined) =>
  (list ?? [])
    .flatMap((a) => (a.group ? a.group : [a]))
    .map((a) => ({
      name: a.name ?? '',
      address: (a.address ?? '').toLowerCase(),
    }));

/** A sent or received message never changes, so each is parsed once. */
const cache = new Map<string, Parsed>();

async function parse(m: SandboxMessage): Promise<Parsed> {
  const key = `${m.providerMessageId}:${m.raw.length}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const email = await PostalMime.parse(m.raw);
  const from = email.from && !email.from.group ? flat([email.from])[0] : undefined;
  const text =
    email.text?.trim() ||
    (email.html
      ? convert(email.html, {
          wordwrap: false,
          selectors: [{ selector: 'a', options: { ignoreHref: true } }],
        })
      : '');
  const parsed: Parsed = { ...(from ? { from } : {}), to: flat(email.to), cc: flat(email.cc), text };
  if (cache.size > 5000) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

export interface ViewOptions {
  mailbox: string;
  /** Names of the organisation's people (the address book). */
  directory: Readonly<Record<string, string>>;
}

export async function mailboxView(sandbox: Sandbox, opts: ViewOptions): Promise<DemoMailbox> {
  const address = opts.mailbox.toLowerCase();
  const domain = address.split('@')[1] ?? '';
  const all = [
    ...sandbox.inbox(address).map((m) => ({ m, folder: 'inbox' as const })),
    ...sandbox.sent(address).map((m) => ({ m, folder: 'sentitems' as const })),
  ];
  const parsed = await Promise.all(all.map(({ m }) => parse(m)));
  // Names as the mailbox has seen them written, the address book winning for the organisation's own people.
  const names = new Map<string, string>();
  for (const p of parsed)
    for (const person of [...(p.from ? [p.from] : []), ...p.to, ...p.cc])
      if (person.name && !names.has(person.address)) names.set(person.address, person.name);
  for (const [a, n] of Object.entries(opts.directory)) names.set(a.toLowerCase(), n);
  const person = (a: string): DemoPerson => ({
    address: a,
    name: names.get(a) ?? a,
    colleague: a.split('@')[1] === domain,
  });

  const byConversation = new Map<string, DemoMessage[]>();
  all.forEach(({ m, folder }, i) => {
    const p = parsed[i]!;
    const message: DemoMessage = {
      id: m.providerMessageId,
      from: person(p.from?.address || m.from),
      to: p.to.map((t) => person(t.address)),
      cc: p.cc.map((c) => person(c.address)),
      date: m.receivedAt,
      subject: m.subject,
      text: p.text,
      folder,
    };
    byConversation.set(m.threadId, [...(byConversation.get(m.threadId) ?? []), message]);
  });

  const conversations: DemoConversation[] = [...byConversation].map(([id, list]) => {
    const messages = list.sort((a, b) => b.date - a.date || b.id.localeCompare(a.id));
    const latest = messages[0]!;
    const oldest = messages[messages.length - 1]!;
    const contacts = new Map<string, DemoPerson>();
    for (const m of [...messages].reverse())
      for (const p of [m.from, ...m.to, ...m.cc]) if (!p.colleague) contacts.set(p.address, p);
    return {
      id,
      ewsId: ewsIdOf(id),
      subject: oldest.subject,
      lastAt: latest.date,
      preview: latest.text.replace(/\s+/g, ' ').trim().slice(0, 160),
      messages,
      contacts: [...contacts.values()],
    };
  });
  conversations.sort((a, b) => b.lastAt - a.lastAt);
  const version = createHash('sha256')
    .update(JSON.stringify(conversations.map((c) => [c.id, c.messages.map((m) => m.id)])))
    .digest('base64url')
    .slice(0, 16);
  return { address, name: names.get(address) ?? address, version, conversations };
}
