import { parsePerson, themeOf, uniquePeople } from '../people';
import type {
  ComposeButton,
  ComposeEnroll,
  ComposeRequest,
  HostDriver,
  OpenedThread,
  ThreadView,
} from '../types';
import { MAIL_HOSTS, outlookDeeplinkBase, type MailHost } from '../mail-hosts';
import { openModal } from './modal';
import { ITEM_ID_IN_PATH, OUTLOOK } from './selectors';

export interface OutlookDriverOptions {
  doc?: Document;
  /** Subscribes to SPA navigations (the content script passes WXT's `wxt:locationchange`). */
  onLocationChange?: (cb: () => void, signal: AbortSignal) => void;
  /** Opens a URL (the compose deeplink); window.open by default. */
  open?: (url: string) => void;
  /** The build's mail hosts (lib/hosts/mail-hosts.ts): the deeplink stays on the origin the rep is on. */
  hosts?: readonly MailHost[];
}

const SLOT_ATTR = 'data-threadline-slot';
const BUTTON_ATTR = 'data-threadline-compose';

const personOf = (el: Element) =>
  parsePerson(el.getAttribute('title') ?? '', el.textContent ?? undefined) ??
  parsePerson(el.textContent ?? '');

function signedInMailbox(doc: Document): string | undefined {
  const root = doc.querySelector(OUTLOOK.mailboxRoot.css);
  return [root?.getAttribute('title'), root?.getAttribute('data-folder-name')]
    .map((v) => (v ? parsePerson(v)?.email : undefined))
    .find(Boolean);
}

/** The opened conversation as the page shows it now, or undefined when none is open. */
export function readConversation(doc: Document): { thread: OpenedThread; pane: Element | null } | undefined {
  const selected = doc.querySelector(OUTLOOK.selectedConversation.css);
  const fromUrl = ITEM_ID_IN_PATH.exec(doc.location?.pathname ?? '')?.[1];
  // data-convid is Graph's conversationId; the URL's item id names one message, so it is only a key here.
  const conversationId = selected?.getAttribute('data-convid') || undefined;
  const id = conversationId || (fromUrl && decodeURIComponent(fromUrl));
  if (!id) return undefined;
  const pane = doc.querySelector(OUTLOOK.readingPane.css);
  // A pane with no message body yet is mid-render: report it once the messages are there.
  const loaded = pane?.querySelector(OUTLOOK.messageBody.css) ? pane : null;
  const heading = loaded?.querySelector(OUTLOOK.subject.css);
  const subject = (heading?.getAttribute('title') || heading?.textContent || '').trim();
  const participants = uniquePeople(
    [...(loaded?.querySelectorAll(OUTLOOK.persona.css) ?? [])]
      // A reply being written in the pane is not (yet) part of the conversation.
      .filter((el) => !el.closest(OUTLOOK.composeForm.css))
      .map(personOf),
  );
  const me = signedInMailbox(doc);
  const thread: OpenedThread = {
    id,
    ...(conversationId ? { providerThreadId: conversationId } : {}),
    subject,
    participants,
    ...(me ? { me } : {}),
  };
  return { thread, pane: loaded };
}

const keyOf = (t: OpenedThread) =>
  JSON.stringify([t.id, t.subject, t.participants.map((p) => [p.email, p.name ?? ''])]);

/**
 * Outlook on the web, read from its DOM. Outlook re-renders the reading pane often and navigates without page
 * loads, so the driver re-reads the page on every mutation (batched per frame) and on every location change,
 * keeps its panel slot attached right after the reading pane, and reports a new view only when the
 * conversation (or what it shows of it) changed. With no reading-pane anchor it reports `panel: null`.
 */
export function createOutlookDriver(options: OutlookDriverOptions = {}): HostDriver {
  const doc = options.doc ?? document;
  const hosts = options.hosts ?? MAIL_HOSTS;
  return {
    host: 'outlook',
    watchThreads(onThread, signal) {
      let current: { key: string; slot: HTMLElement | null; ctl: AbortController } | undefined;
      const close = () => {
        current?.ctl.abort();
        current?.slot?.remove();
        current = undefined;
      };
      const check = () => {
        if (signal.aborted) return;
        const read = readConversation(doc);
        if (!read) return close();
        const key = keyOf(read.thread);
        if (current?.key === key) {
          // Same conversation, re-rendered: put our slot back next to the new pane, keeping the panel's state.
          if (current.slot && read.pane && current.slot.previousElementSibling !== read.pane)
            read.pane.after(current.slot);
          if (!current.slot && read.pane)
            close(); // an anchor came back: re-report with a mount point
          else return;
        }
        close();
        const ctl = new AbortController();
        let slot: HTMLElement | null = null;
        if (read.pane?.parentElement) {
          slot = doc.createElement('div');
          slot.setAttribute(SLOT_ATTR, '');
          slot.style.cssText = 'flex: 0 0 360px; max-width: 360px; min-width: 0; overflow: auto;';
          read.pane.after(slot);
        }
        current = { key, slot, ctl };
        const view: ThreadView = { thread: read.thread, panel: slot, signal: ctl.signal };
        onThread(view);
      };
      let scheduled = false;
      const schedule = () => {
        if (scheduled) return;
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          check();
        }, 0);
      };
      const observer = new MutationObserver((records) => {
        // Our own slot's changes (the panel mounting) tell nothing about Outlook.
        if (records.every((r) => (r.target as Element).closest?.(`[${SLOT_ATTR}]`))) return;
        schedule();
      });
      observer.observe(doc.body, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['aria-selected', 'data-convid', 'title'],
      });
      options.onLocationChange?.(schedule, signal);
      doc.defaultView?.addEventListener('popstate', schedule, { signal });
      signal.addEventListener('abort', () => {
        observer.disconnect();
        close();
      });
      check();
    },
    addComposeButton(button, onClick, signal) {
      const buttons = new Set<HTMLElement>();
      let modal: { close(): void } | undefined;
      const press = (form: Element) => {
        modal?.close();
        const opened = openModal(doc, button, themeOf(form));
        modal = opened;
        const me = signedInMailbox(doc);
        const enroll: ComposeEnroll = {
          recipients: uniquePeople([...form.querySelectorAll(OUTLOOK.composeRecipient.css)].map(personOf)),
          ...(me ? { me } : {}),
          ...opened,
        };
        onClick(enroll);
      };
      const attach = () => {
        if (signal.aborted) return;
        for (const icon of doc.querySelectorAll(OUTLOOK.composeSend.css)) {
          const form = icon.closest(OUTLOOK.composeForm.css);
          if (!form || form.querySelector(`[${BUTTON_ATTR}]`)) continue;
          const send = icon.closest('button, [role="button"]') ?? icon;
          const el = composeButton(doc, button);
          el.addEventListener('click', () => press(form));
          // Right after Send in its command bar; after the icon itself when Send is not a button.
          (send.closest(OUTLOOK.composeCommands.css) ? send : icon).after(el);
          buttons.add(el);
        }
      };
      let scheduled = false;
      const observer = new MutationObserver(() => {
        if (scheduled) return;
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          attach();
        }, 0);
      });
      observer.observe(doc.body, { childList: true, subtree: true });
      signal.addEventListener('abort', () => {
        observer.disconnect();
        modal?.close();
        for (const el of buttons) el.remove();
      });
      attach();
    },
    // Outlook on the web has no routes or navigation entries for apps: the browser's side panel is the queue's page.
    addQueuePage: () => {},
    // Outlook on the web has no slot for an app's global view: the browser's side panel shows the queue.
    mountQueue: async () => null,
    async openCompose(req: ComposeRequest) {
      // The compose deeplink works in every Outlook on the web and any UI language; replying inside a
      // conversation would mean driving the reading pane's commands, which no stable anchor offers.
      const base = outlookDeeplinkBase(doc.location?.href, hosts);
      const url = new URL(`${base}/mail/deeplink/compose`);
      url.searchParams.set('to', req.to.join(';'));
      url.searchParams.set('subject', req.subject);
      url.searchParams.set('body', htmlToPlain(req.body));
      (options.open ?? ((u) => doc.defaultView?.open(u, '_blank', 'noopener')))(url.toString());
      return true;
    },
    theme: () => themeOf(doc.querySelector(OUTLOOK.readingPane.css) ?? doc.body),
  };
}

/** An icon button in Outlook's command-bar style; its name is the title (no English label is read from Outlook). */
function composeButton(doc: Document, button: ComposeButton): HTMLButtonElement {
  const el = doc.createElement('button');
  el.type = 'button';
  el.setAttribute(BUTTON_ATTR, '');
  el.setAttribute('aria-label', button.title);
  el.title = button.title;
  el.style.cssText =
    'display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px; padding: 0; border: 1px solid transparent; border-radius: 4px; background: transparent; cursor: pointer;';
  const img = doc.createElement('img');
  img.src = button.iconUrl;
  img.alt = '';
  img.width = 20;
  img.height = 20;
  el.append(img);
  return el;
}

function htmlToPlain(html: string): string {
  // DOMParser neither runs scripts nor loads images of the parsed markup.
  const parsed = new DOMParser().parseFromString(
    html.replace(/<\/(p|div)>|<br\s*\/?>/gi, '$&\n'),
    'text/html',
  );
  return (parsed.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}
