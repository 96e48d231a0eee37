import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnchorMiss, ComposeEnroll, ThreadPerson, ThreadView } from '../types';
import { createOutlookDriver, type OutlookDriverOptions } from './driver';
import { loadOutlookFixture, OUTLOOK_ORIGIN } from './fixtures';
import { find, OUTLOOK } from './selectors';

const LIGHT = 'reading-pane-2026-12-07.html';
const DARK = 'reading-pane-dark-2026-12-07.html';
const EMPTY = 'empty-reading-pane-2026-12-07.html';
const POPOUT = 'popout-reader-2026-12-07.html';
const COLLEAGUE = 'colleague-by-name-2026-12-07.html';
const CLOUD = 'cloud-microsoft-2026-12-07.html';
/** `data-convid` in the fixture (EWS form, with + and /) and the same conversation in Graph's form. */
const ACME_EWS = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz+kE5Lk1pZ0m2v/Q0w=';
const ACME = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8Rz_kE5Lk1pZ0m2v-Q0w=';
const CONTOSO = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAN7vO2cC9UtOmS0Q4kz1b3A=';
const RENEWAL = 'AAQkAGI2TG93AAQ-7rQ_dPmE1Ub_Y2uq-cZ3w==';

let stop: AbortController;
let views: ThreadView[];
let misses: AnchorMiss[];
/** Lets the driver's batched re-read run: a few timer turns, so a busy machine cannot reorder them. */
const flush = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 10));
};

function watch(options: OutlookDriverOptions = {}) {
  const driver = createOutlookDriver(options);
  driver.watchAnchorMisses!((m) => misses.push(m), stop.signal);
  driver.watchThreads((v) => views.push(v), stop.signal);
  return driver;
}

beforeEach(() => {
  stop = new AbortController();
  views = [];
  misses = [];
});
afterEach(() => stop.abort());

describe('the Outlook driver on the reading pane', () => {
  it('reports the open conversation with Graph’s id, its subject, people and the signed-in mailbox', () => {
    loadOutlookFixture(LIGHT);
    watch();
    expect(views).toHaveLength(1);
    expect(views[0]!.thread).toEqual({
      id: ACME,
      providerThreadId: ACME,
      subject: 'Acme hiring plans',
      participants: [
        { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
        // Riley is shown by name alone (the rep's own tenant): the mailbox root names them.
        { email: 'riley.chen@northwind.example', name: 'Riley Chen' },
        { email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
      ],
      me: 'riley.chen@northwind.example',
    });
    expect(misses).toEqual([]);
  });

  it('never compares the EWS form of the id: the data-convid with + and / becomes Graph’s _ and -', () => {
    loadOutlookFixture(LIGHT);
    expect(find(document, OUTLOOK.selectedConversation)!.getAttribute('data-convid')).toBe(ACME_EWS);
    watch();
    expect(views[0]!.thread.providerThreadId).toBe(ACME);
    expect(views[0]!.thread.providerThreadId).not.toMatch(/[+/]/);
  });

  it('reads addresses from the visible text, not from `title` (which holds a name)', () => {
    loadOutlookFixture(LIGHT);
    const ada = document.querySelector('[data-lpc-hover-target-id="lpc-3"]')!;
    ada.setAttribute('title', 'ada.other@elsewhere.example');
    watch();
    const emails = views[0]!.thread.participants.map((p) => p.email);
    expect(emails).toContain('ada.lovelace@acme.example');
    expect(emails).not.toContain('ada.other@elsewhere.example');
  });

  it('takes the subject from the heading’s title, without Copilot’s Summarize label', () => {
    loadOutlookFixture(LIGHT);
    expect(find(document, OUTLOOK.subject)!.textContent).toContain('Summarize');
    watch();
    expect(views[0]!.thread.subject).toBe('Acme hiring plans');
  });

  it('mounts the panel slot right after the reading pane, inside Outlook’s layout', () => {
    loadOutlookFixture(LIGHT);
    watch();
    expect(views[0]!.panel!.previousElementSibling).toBe(find(document, OUTLOOK.readingPane));
  });

  it('keeps the same panel when Outlook re-renders the reading pane of the same conversation', async () => {
    loadOutlookFixture(LIGHT);
    watch();
    const slot = views[0]!.panel!;
    const pane = find(document, OUTLOOK.readingPane)!;
    const fresh = pane.cloneNode(true) as Element;
    pane.parentElement!.replaceChildren(fresh);
    await flush();
    expect(views).toHaveLength(1);
    expect(views[0]!.signal.aborted).toBe(false);
    expect(slot.isConnected).toBe(true);
    expect(slot.previousElementSibling).toBe(fresh);
  });

  it('reports the next conversation after an SPA navigation and tears the previous one down', async () => {
    loadOutlookFixture(LIGHT, `${OUTLOOK_ORIGIN}/mail/inbox/id/${encodeURIComponent(ACME_EWS)}`);
    let navigate = () => {};
    watch({ onLocationChange: (cb) => (navigate = cb) });
    const first = views[0]!;
    const aborted = vi.fn();
    first.signal.addEventListener('abort', aborted);

    loadOutlookFixture(DARK, `${OUTLOOK_ORIGIN}/mail/inbox/id/${encodeURIComponent(CONTOSO)}`);
    navigate();
    await flush();
    expect(aborted).toHaveBeenCalledOnce();
    expect(first.panel!.isConnected).toBe(false);
    expect(views).toHaveLength(2);
    expect(views[1]!.thread).toMatchObject({
      id: CONTOSO,
      subject: 'Pilot timeline',
      participants: [
        { email: 'grace@contoso.example', name: 'Grace Hopper' },
        { email: 'riley.chen@northwind.example', name: 'Riley Chen' },
      ],
    });
    expect(views[1]!.panel!.isConnected).toBe(true);
  });

  it('reports nothing while a row is selected over an empty reading pane, then the conversation once it opens', async () => {
    loadOutlookFixture(EMPTY);
    expect(find(document, OUTLOOK.selectedConversation)).not.toBeNull();
    watch();
    expect(views).toHaveLength(0);
    expect(misses).toEqual([]);
    loadOutlookFixture(LIGHT);
    await flush();
    expect(views).toHaveLength(1);
    expect(views[0]!.thread.id).toBe(ACME);
  });

  it('closes the panel when the rep leaves the conversation and the pane empties with the row still selected', async () => {
    loadOutlookFixture(LIGHT);
    watch();
    find(document, OUTLOOK.conversation)!.remove();
    await flush();
    expect(views[0]!.signal.aborted).toBe(true);
    expect(document.querySelector('[data-threadline-slot]')).toBeNull();
  });

  it('waits for the messages of a conversation still rendering', async () => {
    loadOutlookFixture(LIGHT);
    const bodies = [...document.querySelectorAll('[id^="UniqueMessageBody_"]')];
    bodies.forEach((b) => b.removeAttribute('id'));
    watch();
    expect(views).toHaveLength(0);
    bodies.forEach((b, i) => (b.id = `UniqueMessageBody_${i + 1}`));
    await flush();
    expect(views).toHaveLength(1);
  });

  it('stops watching and removes its slot when the content script goes away', () => {
    loadOutlookFixture(LIGHT);
    watch();
    stop.abort();
    expect(views[0]!.signal.aborted).toBe(true);
    expect(document.querySelector('[data-threadline-slot]')).toBeNull();
  });

  it('matches Outlook’s theme from its dark-mode hint', () => {
    loadOutlookFixture(LIGHT);
    expect(createOutlookDriver().theme()).toBe('light');
    loadOutlookFixture(DARK);
    expect(createOutlookDriver().theme()).toBe('dark');
    // The hint alone decides, whatever colours the page happens to paint.
    loadOutlookFixture(LIGHT);
    document.documentElement.setAttribute('style', '--black: #FFFFFF; --white: #292929;');
    expect(createOutlookDriver().theme()).toBe('dark');
  });
});

describe('the pop-out reader', () => {
  const ITEM = 'AAMkAGI2THVlLTA3ZjUtNGQ1Ni1hZmQ+LWM5/jE1ZmQ0ZTcwZQBGAAAAAA==';

  it('reports the message opened on its own, keyed by the URL’s item id, with no conversation id', () => {
    loadOutlookFixture(POPOUT, `${OUTLOOK_ORIGIN}/mail/deeplink/read/${encodeURIComponent(ITEM)}`);
    watch();
    expect(views).toHaveLength(1);
    expect(views[0]!.thread).toEqual({
      id: ITEM,
      subject: 'Acme hiring plans',
      participants: [
        { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
        { email: 'riley.chen@northwind.example', name: 'Riley Chen' },
        { email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
      ],
    });
    // An item id names one message: an email cannot be threaded by it as if it were Graph's conversationId.
    expect(views[0]!.thread.providerThreadId).toBeUndefined();
    expect(views[0]!.panel!.previousElementSibling).toBe(find(document, OUTLOOK.popOutReader));
    expect(misses).toEqual([]);
  });
});

describe('people shown by name alone', () => {
  const GRAPH_PEOPLE: ThreadPerson[] = [
    { email: 'priya.shah@northwind.example', name: 'Priya Shah' },
    { email: 'jordan.lee@northwind.example', name: 'Jordan Lee' },
    { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
  ];

  it('asks the mailbox for the conversation’s people by Graph’s id and fills in their addresses', async () => {
    loadOutlookFixture(COLLEAGUE);
    const lookupPeople = vi.fn(async () => GRAPH_PEOPLE);
    watch({ lookupPeople });
    await flush();
    expect(lookupPeople).toHaveBeenCalledWith(RENEWAL, 'riley.chen@northwind.example');
    expect(views).toHaveLength(1);
    expect(views[0]!.thread.participants).toEqual([
      // Jordan's sender block shows no persona element: the block itself is read.
      { email: 'jordan.lee@northwind.example', name: 'Jordan Lee' },
      { email: 'priya.shah@northwind.example', name: 'Priya Shah' },
      { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
      { email: 'riley.chen@northwind.example', name: 'Riley Chen' },
    ]);
    // Sam is in the thread but the mailbox does not know them either: listed, not dropped.
    expect(views[0]!.thread.unknownAddresses).toEqual([{ name: 'Sam Rivera' }]);
  });

  it('does not ask the mailbox when the page itself names everyone (the rep by the mailbox root)', async () => {
    loadOutlookFixture(LIGHT);
    const lookupPeople = vi.fn(async () => GRAPH_PEOPLE);
    watch({ lookupPeople });
    expect(views).toHaveLength(1);
    expect(lookupPeople).not.toHaveBeenCalled();
  });

  it('asks once per conversation, however often Outlook re-renders it', async () => {
    loadOutlookFixture(COLLEAGUE);
    const lookupPeople = vi.fn(async () => GRAPH_PEOPLE);
    watch({ lookupPeople });
    await flush();
    find(document, OUTLOOK.subject)!.setAttribute('data-x', '1');
    document.body.append(document.createElement('div'));
    await flush();
    expect(lookupPeople).toHaveBeenCalledOnce();
  });

  it('shows everyone it could not resolve with “address unknown” when the mailbox cannot be asked', async () => {
    loadOutlookFixture(COLLEAGUE);
    watch({ lookupPeople: () => Promise.reject(new Error('no Outlook mailbox connected')) });
    await flush();
    expect(views[0]!.thread.participants.map((p) => p.email)).toEqual([
      'ada.lovelace@acme.example',
      'riley.chen@northwind.example',
    ]);
    expect(views[0]!.thread.unknownAddresses).toEqual([
      { name: 'Jordan Lee' },
      { name: 'Priya Shah' },
      { name: 'Sam Rivera' },
    ]);
  });

  it('does not wait for a mailbox that never answers', async () => {
    loadOutlookFixture(COLLEAGUE);
    watch({ lookupPeople: () => new Promise(() => {}), lookupTimeoutMs: 10 });
    expect(views).toHaveLength(0);
    await flush();
    expect(views).toHaveLength(1);
    expect(views[0]!.thread.unknownAddresses).toHaveLength(3);
  });
});

describe('outlook.cloud.microsoft', () => {
  it('reads a business mailbox moved to outlook.cloud.microsoft like any other Outlook', () => {
    loadOutlookFixture(CLOUD, 'https://outlook.cloud.microsoft/mail/inbox');
    watch();
    expect(views[0]!.thread).toMatchObject({
      id: 'AAQkAGZhYnJpa2FtLTQ1-ZC00Njc4LWI_OTAzLWZhYnJpa2Ft-AAQ_yz=',
      subject: 'Acme hiring plans',
      me: 'morgan.diaz@fabrikam.example',
    });
    expect(views[0]!.thread.participants.map((p) => p.email)).toEqual([
      'ada.lovelace@acme.example',
      'morgan.diaz@fabrikam.example',
      'ben.okafor@acme.example',
    ]);
  });

  it('opens the compose deeplink on the origin the rep is on', async () => {
    loadOutlookFixture(CLOUD, 'https://outlook.cloud.microsoft/mail/inbox');
    const open = vi.fn();
    await createOutlookDriver({ open }).openCompose({
      to: ['ada.lovelace@acme.example'],
      subject: 'Next steps',
      body: '<p>Hi Ada,</p><p>Thursday works.</p>',
    });
    const url = new URL(open.mock.calls[0]![0] as string);
    expect(url.origin + url.pathname).toBe('https://outlook.cloud.microsoft/mail/deeplink/compose');
    expect(url.searchParams.get('to')).toBe('ada.lovelace@acme.example');
    expect(url.searchParams.get('subject')).toBe('Next steps');
    expect(url.searchParams.get('body')).toBe('Hi Ada,\nThursday works.');
  });
});

describe('missing anchors', () => {
  it('hands the thread to the side panel and reports the reading pane when its anchor is gone', () => {
    loadOutlookFixture(LIGHT);
    find(document, OUTLOOK.readingPane)!.removeAttribute('data-app-section');
    const before = document.body.innerHTML;
    watch();
    expect(views[0]!.panel).toBeNull();
    expect(views[0]!.thread.id).toBe(ACME);
    expect(document.body.innerHTML).toBe(before);
    expect(misses).toEqual([{ anchor: 'readingPane', page: 'conversation' }]);
  });

  it('reports the conversation container when messages show with no container around them', () => {
    loadOutlookFixture(LIGHT);
    find(document, OUTLOOK.conversation)!.removeAttribute('id');
    watch();
    expect(misses).toContainEqual({ anchor: 'conversation', page: 'conversation' });
    expect(views[0]!.thread.id).toBe(ACME);
  });

  it('reports a missing subject and missing people once each, however often the page re-renders', async () => {
    loadOutlookFixture(LIGHT);
    find(document, OUTLOOK.subject)!.removeAttribute('role');
    for (const el of document.querySelectorAll('[data-lpc-hover-target-id], [id^="MSG_"]')) {
      el.removeAttribute('data-lpc-hover-target-id');
      el.removeAttribute('id');
    }
    watch();
    document.body.append(document.createElement('div'));
    await flush();
    expect(misses).toEqual([
      { anchor: 'subject', page: 'conversation' },
      { anchor: 'person', page: 'conversation' },
    ]);
  });

  it('tells a listener that subscribes late about misses already seen', () => {
    loadOutlookFixture(LIGHT);
    find(document, OUTLOOK.readingPane)!.removeAttribute('data-app-section');
    const driver = createOutlookDriver();
    driver.watchThreads(() => {}, stop.signal);
    const late: AnchorMiss[] = [];
    driver.watchAnchorMisses!((m) => late.push(m), stop.signal);
    expect(late).toEqual([{ anchor: 'readingPane', page: 'conversation' }]);
  });
});

describe('the Outlook driver’s compose button', () => {
  const COMPOSE = 'compose-2026-12-07.html';
  const DIALOG = 'compose-dialog-2026-12-07.html';
  const BUTTON = { title: 'Enroll recipients in a sequence', iconUrl: 'data:,', closeLabel: 'Close' };
  const ours = () =>
    document.querySelectorAll<HTMLButtonElement>('[aria-label="Enroll recipients in a sequence"]');
  const compose = (onClick: (e: ComposeEnroll) => void = () => {}) => {
    const driver = createOutlookDriver();
    driver.watchAnchorMisses!((m) => misses.push(m), stop.signal);
    driver.addComposeButton(BUTTON, onClick, stop.signal);
  };

  it('puts one button right after Send, in a form found as the To field’s ancestor', async () => {
    loadOutlookFixture(COMPOSE);
    compose();
    expect(ours()).toHaveLength(1);
    const send = find(document, OUTLOOK.composeSend)!.closest('button')!;
    expect(send.nextElementSibling).toBe(ours()[0]);
    expect(misses).toEqual([]);
  });

  it('finds a French pop-out compose with only the older Send icon through its dialog', () => {
    loadOutlookFixture(DIALOG);
    const clicks: ComposeEnroll[] = [];
    compose((e) => clicks.push(e));
    expect(ours()).toHaveLength(1);
    ours()[0]!.click();
    expect(clicks[0]!.recipients).toEqual([{ email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' }]);
    expect(misses).toEqual([]);
  });

  it('opens a modal with the compose’s recipients and the rep’s mailbox, and Escape closes it', () => {
    loadOutlookFixture(COMPOSE);
    const clicks: ComposeEnroll[] = [];
    compose((e) => clicks.push(e));
    ours()[0]!.click();
    expect(clicks[0]!.recipients).toEqual([
      { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
      { email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
      { email: 'priya.shah@northwind.example', name: 'Priya Shah' },
    ]);
    expect(clicks[0]!.me).toBe('riley.chen@northwind.example');
    const dialog = document.querySelector('[role="dialog"][aria-label="Enroll recipients in a sequence"]')!;
    expect(dialog.contains(clicks[0]!.el)).toBe(true);
    clicks[0]!.el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(clicks[0]!.signal.aborted).toBe(true);
    expect(dialog.isConnected).toBe(false);
  });

  it('closes with its close button, and takes its buttons away when stopped', () => {
    loadOutlookFixture(COMPOSE);
    const clicks: ComposeEnroll[] = [];
    compose((e) => clicks.push(e));
    ours()[0]!.click();
    document.querySelector<HTMLButtonElement>('[role="dialog"] [aria-label="Close"]')!.click();
    expect(clicks[0]!.signal.aborted).toBe(true);
    stop.abort();
    expect(ours()).toHaveLength(0);
  });

  it('reports the Send command missing when a compose form shows none of its alternatives', () => {
    loadOutlookFixture(COMPOSE);
    const send = find(document, OUTLOOK.composeSend)!;
    send.removeAttribute('data-testid');
    send.querySelector('i')!.removeAttribute('data-icon-name');
    compose();
    expect(ours()).toHaveLength(0);
    expect(misses).toEqual([{ anchor: 'composeSend', page: 'compose' }]);
  });

  it('does not count the recipients of a reply being written as people of the conversation', () => {
    loadOutlookFixture(LIGHT);
    find(document, OUTLOOK.conversation)!.insertAdjacentHTML(
      'beforeend',
      '<div role="dialog"><span data-lpc-hover-target-id="x">Zoe &lt;zoe@elsewhere.example&gt;</span></div>',
    );
    watch();
    expect(views[0]!.thread.participants.map((p) => p.email)).not.toContain('zoe@elsewhere.example');
  });
});
