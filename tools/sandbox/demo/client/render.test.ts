import { describe, expect, it } from 'vitest';
import { Ids, renderConversation, renderMailboxRoot, renderRow } from './render';
import type { DemoConversation, DemoPerson } from './types';

const HOSTILE = '<img src=x onerror="alert(1)"><b>bold</b>';
const ada: DemoPerson = { name: 'Ada Lovelace', address: 'ada@acme.example', colleague: false };
const priya: DemoPerson = { name: 'Priya Shah', address: 'priya@contoso.example', colleague: true };
const me: DemoPerson = { name: 'Sam Rivera', address: 'rep@contoso.example', colleague: true };

const conversation = (over: Partial<DemoConversation> = {}): DemoConversation => ({
  id: 'AAQkAD_a-b',
  ewsId: 'AAQkAD+a/b',
  subject: 'Analytics pilot',
  lastAt: Date.UTC(2026, 11, 4, 9),
  preview: 'Thanks Sam',
  contacts: [ada],
  messages: [
    {
      id: 'm2',
      from: ada,
      to: [me],
      cc: [priya],
      date: Date.UTC(2026, 11, 4, 9),
      subject: 'RE: Analytics pilot',
      text: 'Thanks Sam',
      folder: 'inbox',
    },
    {
      id: 'm1',
      from: me,
      to: [ada],
      cc: [],
      date: Date.UTC(2026, 11, 3, 10),
      subject: 'Analytics pilot',
      text: 'Hi Ada',
      folder: 'sentitems',
    },
  ],
  ...over,
});

function mount(c: DemoConversation) {
  document.body.innerHTML =
    '<div role="listbox"></div><div role="main" data-app-section="MailReadCompose"></div>';
  document
    .querySelector('[role="listbox"]')!
    .append(renderRow(document, c, { me: me.address, selected: true, unread: false, now: c.lastAt }));
  document.querySelector('[role="main"]')!.append(renderConversation(document, new Ids(), c, c.lastAt));
}

describe('the demo inbox’s page', () => {
  it('has the anchors Outlook on the web has (HOSTS.md), so the Outlook driver reads it unchanged', () => {
    mount(conversation());
    expect(
      document
        .querySelector('[role="listbox"] [aria-selected="true"][data-convid]')
        ?.getAttribute('data-convid'),
    ).toBe('AAQkAD+a/b');
    expect(
      document.querySelector(
        '[role="main"][data-app-section="MailReadCompose"] #ConversationReadingPaneContainer',
      ),
    ).not.toBeNull();
    const heading = document.querySelector('[role="heading"][id^="CONV_"][id$="_SUBJECT"]');
    expect(heading?.getAttribute('title')).toBe('Analytics pilot');
    expect(document.querySelectorAll('[id^="MSG_"][id$="_FROM"]')).toHaveLength(2);
    expect(document.querySelector('[id^="MSG_"][id$="_FROM"]')?.getAttribute('aria-label')).toBe(
      'From: Ada Lovelace',
    );
    expect(document.querySelectorAll('[role="document"] [id^="UniqueMessageBody_"]')).toHaveLength(2);
    const people = [...document.querySelectorAll('[data-lpc-hover-target-id]')].map((e) => e.textContent);
    // Outside people as "Name <address>", colleagues (and the rep) by name only, as Outlook shows them.
    expect(people).toEqual([
      'Ada Lovelace <ada@acme.example>',
      'Sam Rivera',
      'Priya Shah',
      'Sam Rivera',
      'Ada Lovelace <ada@acme.example>',
    ]);
    const targets = [...document.querySelectorAll('[data-lpc-hover-target-id]')].map((e) =>
      e.getAttribute('data-lpc-hover-target-id'),
    );
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('shows whatever mail says as text: markup in a subject, a name or a body never becomes elements', () => {
    const evil: DemoPerson = { name: HOSTILE, address: 'x@evil.example', colleague: false };
    mount(
      conversation({
        subject: HOSTILE,
        preview: HOSTILE,
        contacts: [evil],
        messages: [
          {
            id: 'e',
            from: evil,
            to: [me],
            cc: [],
            date: 0,
            subject: HOSTILE,
            text: HOSTILE,
            folder: 'inbox',
          },
        ],
      }),
    );
    expect(document.querySelectorAll('img, b')).toHaveLength(0);
    expect(document.querySelector('[id^="UniqueMessageBody_"]')?.textContent).toBe(HOSTILE);
    expect(document.querySelector('[role="heading"]')?.getAttribute('title')).toBe(HOSTILE);
    expect(document.querySelector('.tl-sim-contact option')?.textContent).toBe(`${HOSTILE} <x@evil.example>`);
  });

  it('offers to simulate an answer only from the thread’s outside people', () => {
    mount(conversation());
    expect(
      [...document.querySelectorAll('.tl-sim-contact option')].map((o) => o.getAttribute('value')),
    ).toEqual(['ada@acme.example']);
    expect([...document.querySelectorAll('.tl-sim-button')].map((b) => b.textContent)).toEqual([
      'Simulate a reply',
      'Simulate an out-of-office',
      'Simulate a bounce',
    ]);
    mount(conversation({ contacts: [] }));
    expect(document.querySelector('.tl-sim')).toBeNull();
  });

  it('names the signed-in mailbox as Outlook does: the root’s text is the name alone, its title the address', () => {
    document.body.innerHTML =
      '<div class="tl-account"><span class="tl-avatar"></span><span id="primaryMailboxRoot_x"></span><span class="tl-account-address"></span></div>';
    renderMailboxRoot(document, { address: me.address, name: me.name, version: 'v', conversations: [] });
    const root = document.querySelector('[id^="primaryMailboxRoot_"]')!;
    expect(root.textContent).toBe('Sam Rivera');
    expect(root.getAttribute('title')).toBe('rep@contoso.example');
    expect(document.querySelector('.tl-account-address')?.textContent).toBe('rep@contoso.example');
  });
});
