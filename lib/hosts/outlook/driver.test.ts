import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComposeEnroll, ThreadView } from '../types';
import { createOutlookDriver } from './driver';
import { loadOutlookFixture } from './fixtures';
import { OUTLOOK } from './selectors';

const LIGHT = 'reading-pane-2026-11-23.html';
const DARK = 'reading-pane-dark-2026-11-23.html';
const ACME = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAKhz8RzLkE5Lk1pZ0m2vQ0w=';
const CONTOSO = 'AAQkADAwATM0MDAAMS1hYTc2LTk0NjMtMDACLTAwCgAQAN7vO2cC9UtOmS0Q4kz1b3A=';

let stop: AbortController;
let views: ThreadView[];
const flush = () => new Promise((r) => setTimeout(r, 20));

function watch(onLocationChange?: (cb: () => void) => void) {
  const driver = createOutlookDriver({
    onLocationChange: onLocationChange && ((cb) => onLocationChange(cb)),
  });
  driver.watchThreads((v) => views.push(v), stop.signal);
  return driver;
}

beforeEach(() => {
  stop = new AbortController();
  views = [];
});
afterEach(() => stop.abort());

describe('the Outlook driver on the reading pane', () => {
  it('reports the opened conversation with its id, subject, people and the signed-in mailbox', () => {
    loadOutlookFixture(LIGHT);
    watch();
    expect(views).toHaveLength(1);
    expect(views[0]!.thread).toEqual({
      id: ACME,
      providerThreadId: ACME,
      subject: 'Acme hiring plans',
      participants: [
        { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
        { email: 'riley.chen@northwind.example', name: 'Riley Chen' },
        { email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
      ],
      me: 'riley.chen@northwind.example',
    });
  });

  it('mounts the panel slot right after the reading pane, inside Outlook’s layout', () => {
    loadOutlookFixture(LIGHT);
    watch();
    const slot = views[0]!.panel!;
    expect(slot.previousElementSibling).toBe(document.querySelector(OUTLOOK.readingPane.css));
  });

  it('keeps the same panel when Outlook re-renders the reading pane of the same conversation', async () => {
    loadOutlookFixture(LIGHT);
    watch();
    const slot = views[0]!.panel!;
    const pane = document.querySelector(OUTLOOK.readingPane.css)!;
    const parent = pane.parentElement!;
    // Outlook throws the subtree away and renders a fresh one: our slot goes with it.
    const fresh = pane.cloneNode(true) as Element;
    parent.replaceChildren(fresh);
    await flush();
    expect(views).toHaveLength(1);
    expect(views[0]!.signal.aborted).toBe(false);
    expect(slot.isConnected).toBe(true);
    expect(slot.previousElementSibling).toBe(fresh);
  });

  it('reports the next conversation after an SPA navigation and tears the previous one down', async () => {
    loadOutlookFixture(LIGHT, `https://outlook.office.com/mail/inbox/id/${encodeURIComponent(ACME)}`);
    let navigate = () => {};
    watch((cb) => (navigate = cb));
    const first = views[0]!;
    const observer = vi.fn();
    first.signal.addEventListener('abort', observer);

    loadOutlookFixture(DARK, `https://outlook.office.com/mail/inbox/id/${encodeURIComponent(CONTOSO)}`);
    navigate();
    await flush();
    expect(observer).toHaveBeenCalledOnce();
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

  it('keys the view by the URL’s item id when the message list is not rendered, without taking it for the conversation', () => {
    const ITEM = 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AqmVBu3HxB0GzEK7Rj0R1ZQ';
    loadOutlookFixture(LIGHT, `https://outlook.office.com/mail/inbox/id/${encodeURIComponent(ITEM)}`);
    document.querySelector('[role="listbox"]')!.remove();
    watch();
    expect(views[0]!.thread.id).toBe(ITEM);
    // An item id names one message: an email cannot be threaded by it as if it were Graph's conversationId.
    expect(views[0]!.thread.providerThreadId).toBeUndefined();
  });

  it('fails softly without a reading-pane anchor: the thread is reported with no mount point', () => {
    loadOutlookFixture(LIGHT);
    document.querySelector(OUTLOOK.readingPane.css)!.removeAttribute('data-app-section');
    const before = document.body.innerHTML;
    watch();
    expect(views[0]!.panel).toBeNull();
    expect(views[0]!.thread.id).toBe(ACME);
    expect(document.body.innerHTML).toBe(before);
  });

  it('reports nothing while no conversation is open, then the one the rep opens', async () => {
    loadOutlookFixture(LIGHT);
    const selected = document.querySelector(OUTLOOK.selectedConversation.css)!;
    selected.setAttribute('aria-selected', 'false');
    watch();
    expect(views).toHaveLength(0);
    selected.setAttribute('aria-selected', 'true');
    await flush();
    expect(views).toHaveLength(1);
  });

  it('stops watching and removes its slot when the content script goes away', async () => {
    loadOutlookFixture(LIGHT);
    watch();
    stop.abort();
    expect(views[0]!.signal.aborted).toBe(true);
    expect(document.querySelector('[data-threadline-slot]')).toBeNull();
  });

  it('opens a prefilled compose through Outlook’s deeplink', async () => {
    loadOutlookFixture(LIGHT);
    const open = vi.fn();
    await createOutlookDriver({ open }).openCompose({
      to: ['ada.lovelace@acme.example'],
      subject: 'Next steps',
      body: '<p>Hi Ada,</p><p>Thursday works.</p>',
    });
    const url = new URL(open.mock.calls[0]![0] as string);
    expect(url.pathname).toBe('/mail/deeplink/compose');
    expect(url.searchParams.get('to')).toBe('ada.lovelace@acme.example');
    expect(url.searchParams.get('subject')).toBe('Next steps');
    expect(url.searchParams.get('body')).toBe('Hi Ada,\nThursday works.');
  });

  it('matches Outlook’s light and dark themes', () => {
    loadOutlookFixture(LIGHT);
    expect(createOutlookDriver().theme()).toBe('light');
    loadOutlookFixture(DARK);
    expect(createOutlookDriver().theme()).toBe('dark');
  });
});

describe('the Outlook driver’s compose button', () => {
  const COMPOSE = 'compose-2026-11-23.html';
  const BUTTON = { title: 'Enroll recipients in a sequence', iconUrl: 'data:,', closeLabel: 'Close' };
  const ours = () =>
    document.querySelectorAll<HTMLButtonElement>('[aria-label="Enroll recipients in a sequence"]');

  it('puts one button right after Send in each compose form, and again in one that appears later', async () => {
    loadOutlookFixture(COMPOSE);
    createOutlookDriver().addComposeButton(BUTTON, () => {}, stop.signal);
    expect(ours()).toHaveLength(1);
    const send = document.querySelector(OUTLOOK.composeSend.css)!.closest('button')!;
    expect(send.nextElementSibling).toBe(ours()[0]);
    // Outlook re-renders; a popped-out second compose arrives.
    const form = document.querySelector(OUTLOOK.composeForm.css)!;
    document.body.append(form.cloneNode(true));
    await flush();
    expect(ours()).toHaveLength(2);
  });

  it('opens a modal with the compose’s recipients and the rep’s mailbox, and Escape closes it', () => {
    loadOutlookFixture(COMPOSE);
    const clicks: ComposeEnroll[] = [];
    createOutlookDriver().addComposeButton(BUTTON, (e) => clicks.push(e), stop.signal);
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
    createOutlookDriver().addComposeButton(BUTTON, (e) => clicks.push(e), stop.signal);
    ours()[0]!.click();
    document.querySelector<HTMLButtonElement>('[role="dialog"] [aria-label="Close"]')!.click();
    expect(clicks[0]!.signal.aborted).toBe(true);
    stop.abort();
    expect(ours()).toHaveLength(0);
  });

  it('does not count the recipients of a reply being written as people of the conversation', () => {
    loadOutlookFixture(LIGHT);
    const pane = document.querySelector(OUTLOOK.readingPane.css)!;
    pane.insertAdjacentHTML(
      'beforeend',
      '<div data-app-section="MailCompose"><span data-lpc-hover-target-id="x" title="zoe@elsewhere.example">Zoe</span></div>',
    );
    watch();
    expect(views[0]!.thread.participants.map((p) => p.email)).not.toContain('zoe@elsewhere.example');
  });
});
