/**
 * The demo inbox's DOM, built with createElement and textContent only: every text from mail is set as text,
 * never parsed as HTML. The anchors follow Outlook on the web (HOSTS.md); class names are the demo's own.
 */
import type { DemoConversation, DemoMailbox, DemoMessage, DemoPerson, SimulateKind } from './types';

type Attrs = Record<string, string>;

export function el(
  doc: Document,
  tag: string,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElement {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  return node;
}

/** Short, stable element ids for messages and people (Outlook's are opaque too). */
export class Ids {
  private readonly map = new Map<string, number>();
  of(key: string): number {
    let n = this.map.get(key);
    if (n === undefined) {
      n = this.map.size + 1;
      this.map.set(key, n);
    }
    return n;
  }
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

export function when(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (sameDay(d, new Date(now))) return time;
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })}, ${time}`;
}

const initials = (name: string) =>
  name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');

/** A hue per person, so the avatars tell people apart at a glance. */
function hue(address: string): number {
  let h = 0;
  for (const c of address) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

export function avatar(doc: Document, p: DemoPerson): HTMLElement {
  const a = el(doc, 'span', { class: 'tl-avatar', 'aria-hidden': 'true' }, initials(p.name));
  a.style.setProperty('--tl-hue', String(hue(p.address)));
  return a;
}

/**
 * A person as Outlook shows them: "Name <address>" for outside people, the name alone for colleagues in the
 * same organisation (the driver finds their address elsewhere, as it must in Outlook).
 */
export function persona(doc: Document, ids: Ids, p: DemoPerson, key: string): HTMLElement {
  const text = p.colleague || p.name === p.address ? p.name : `${p.name} <${p.address}>`;
  return el(
    doc,
    'span',
    {
      class: 'tl-persona',
      'data-lpc-hover-target-id': `LPC_${ids.of(key)}`,
      'aria-label': `Opens card for ${p.name}`,
    },
    text,
  );
}

export function renderMailboxRoot(doc: Document, mailbox: DemoMailbox): void {
  const root = doc.querySelector<HTMLElement>('[id^="primaryMailboxRoot_"]');
  if (!root) return;
  root.title = mailbox.address;
  root.setAttribute('data-folder-name', mailbox.address);
  root.textContent = mailbox.name;
  const me = { name: mailbox.name, address: mailbox.address, colleague: true };
  doc.querySelector('.tl-account .tl-avatar')?.replaceWith(avatar(doc, me));
  const address = doc.querySelector('.tl-account-address');
  if (address) address.textContent = mailbox.address;
}

/** The people a row names: the other side of the conversation, newest speaker first. */
function rowPeople(c: DemoConversation, me: string): string {
  const names: string[] = [];
  for (const m of c.messages) {
    const who = m.from.address === me ? [...m.to, ...m.cc] : [m.from];
    for (const p of who) if (p.address !== me && !names.includes(p.name)) names.push(p.name);
  }
  return names.join(', ') || 'Me';
}

export function renderRow(
  doc: Document,
  c: DemoConversation,
  opts: { me: string; selected: boolean; unread: boolean; now: number },
): HTMLElement {
  const latest = c.messages[0];
  const row = el(
    doc,
    'div',
    {
      role: 'option',
      class: `tl-row${opts.unread ? ' tl-unread' : ''}`,
      'aria-selected': String(opts.selected),
      tabindex: opts.selected ? '0' : '-1',
      'data-convid': c.ewsId,
    },
    latest ? avatar(doc, latest.from.address === opts.me ? (latest.to[0] ?? latest.from) : latest.from) : '',
    el(
      doc,
      'div',
      { class: 'tl-row-text' },
      el(
        doc,
        'div',
        { class: 'tl-row-top' },
        el(doc, 'span', { class: 'tl-row-people' }, rowPeople(c, opts.me)),
        el(doc, 'span', { class: 'tl-row-time' }, when(c.lastAt, opts.now)),
      ),
      el(
        doc,
        'div',
        { class: 'tl-row-subject' },
        c.subject || '(no subject)',
        c.messages.length > 1 ? el(doc, 'span', { class: 'tl-row-count' }, String(c.messages.length)) : '',
      ),
      el(doc, 'div', { class: 'tl-row-preview' }, c.preview),
    ),
  );
  return row;
}

function recipients(doc: Document, ids: Ids, m: DemoMessage): HTMLElement {
  const line = el(doc, 'div', { class: 'tl-recips' });
  const list = (label: string, people: DemoPerson[]) => {
    if (people.length === 0) return;
    line.append(el(doc, 'span', { class: 'tl-recips-label' }, label));
    people.forEach((p, i) => {
      line.append(persona(doc, ids, p, `${m.id}:${label}:${p.address}`));
      if (i < people.length - 1) line.append('; ');
    });
  };
  list('To: ', m.to);
  list('Cc: ', m.cc);
  return line;
}

export function renderMessage(doc: Document, ids: Ids, m: DemoMessage, now: number): HTMLElement {
  const n = ids.of(m.id);
  return el(
    doc,
    'div',
    {
      role: 'listitem',
      class: `tl-msg${m.folder === 'sentitems' ? ' tl-msg-sent' : ''}`,
      'data-message-id': m.id,
    },
    el(
      doc,
      'div',
      { class: 'tl-msg-head' },
      avatar(doc, m.from),
      el(
        doc,
        'div',
        { class: 'tl-msg-who' },
        el(
          doc,
          'div',
          { id: `MSG_${n}_FROM`, class: 'tl-from', 'aria-label': `From: ${m.from.name}` },
          persona(doc, ids, m.from, `${m.id}:from`),
        ),
        recipients(doc, ids, m),
      ),
      el(doc, 'time', { class: 'tl-msg-time', datetime: new Date(m.date).toISOString() }, when(m.date, now)),
    ),
    el(
      doc,
      'div',
      { role: 'document', class: 'tl-msg-doc', 'aria-label': 'Message body' },
      el(doc, 'div', { id: `UniqueMessageBody_${n}`, class: 'tl-body' }, m.text),
    ),
  );
}

export const SIMULATIONS: { kind: SimulateKind; label: string }[] = [
  { kind: 'reply', label: 'Simulate a reply' },
  { kind: 'out_of_office', label: 'Simulate an out-of-office' },
  { kind: 'bounce', label: 'Simulate a bounce' },
];

/** The demo's own control (not Outlook's): make a contact of the open thread answer through the sandbox. */
export function renderSimulate(doc: Document, c: DemoConversation, n: number): HTMLElement {
  const select = el(doc, 'select', {
    id: `tl-sim-contact-${n}`,
    class: 'tl-sim-contact',
  }) as HTMLSelectElement;
  for (const p of c.contacts)
    select.append(el(doc, 'option', { value: p.address }, `${p.name} <${p.address}>`));
  const buttons = SIMULATIONS.map((s) =>
    el(doc, 'button', { type: 'button', class: 'tl-sim-button', 'data-kind': s.kind }, s.label),
  );
  return el(
    doc,
    'section',
    { class: 'tl-sim', 'aria-label': 'Demo: simulate an answer' },
    el(doc, 'span', { class: 'tl-sim-badge' }, 'Demo'),
    el(doc, 'label', { for: select.id, class: 'tl-sim-label' }, 'Answer from'),
    select,
    el(doc, 'span', { class: 'tl-sim-buttons' }, ...buttons),
    el(doc, 'p', { role: 'status', class: 'tl-sim-status' }),
  );
}

/** The open conversation: its container, subject heading, demo control and messages (newest first). */
export function renderConversation(doc: Document, ids: Ids, c: DemoConversation, now: number): HTMLElement {
  const n = ids.of(c.id);
  return el(
    doc,
    'div',
    { id: 'ConversationReadingPaneContainer', class: 'tl-conversation', 'data-convid-open': c.ewsId },
    el(
      doc,
      'div',
      {
        role: 'heading',
        'aria-level': '2',
        id: `CONV_${n}_SUBJECT`,
        class: 'tl-subject',
        title: c.subject,
      },
      el(doc, 'span', {}, c.subject || '(no subject)'),
    ),
    c.contacts.length > 0 ? renderSimulate(doc, c, n) : '',
    renderMessages(doc, ids, c, now),
  );
}

export function renderMessages(doc: Document, ids: Ids, c: DemoConversation, now: number): HTMLElement {
  return el(
    doc,
    'div',
    { role: 'list', class: 'tl-messages', 'aria-label': 'Conversation' },
    ...c.messages.map((m) => renderMessage(doc, ids, m, now)),
  );
}
