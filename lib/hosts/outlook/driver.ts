import { parsePerson, themeOf, uniquePeople } from '../people';
import type { ComposeRequest, HostDriver, OpenedThread, ThreadView } from '../types';
import { ITEM_ID_IN_PATH, OUTLOOK } from './selectors';

export interface OutlookDriverOptions {
  doc?: Document;
  /** Subscribes to SPA navigations (the content script passes WXT's `wxt:locationchange`). */
  onLocationChange?: (cb: () => void, signal: AbortSignal) => void;
  /** Opens a URL (the compose deeplink); window.open by default. */
  open?: (url: string) => void;
}

const SLOT_ATTR = 'data-threadline-slot';

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
    [...(loaded?.querySelectorAll(OUTLOOK.persona.css) ?? [])].map(
      (el) =>
        parsePerson(el.getAttribute('title') ?? '', el.textContent ?? undefined) ??
        parsePerson(el.textContent ?? ''),
    ),
  );
  const root = doc.querySelector(OUTLOOK.mailboxRoot.css);
  const me = [root?.getAttribute('title'), root?.getAttribute('data-folder-name')]
    .map((v) => v && parsePerson(v)?.email)
    .find(Boolean);
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
    // Outlook on the web has no slot for an app's global view: the browser's side panel shows the queue.
    mountQueue: async () => null,
    async openCompose(req: ComposeRequest) {
      // The compose deeplink works in every Outlook on the web and any UI language; replying inside a
      // conversation would mean driving the reading pane's commands, which no stable anchor offers.
      const url = new URL('/mail/deeplink/compose', doc.location?.origin ?? 'https://outlook.office.com');
      url.searchParams.set('to', req.to.join(';'));
      url.searchParams.set('subject', req.subject);
      url.searchParams.set('body', htmlToPlain(req.body));
      (options.open ?? ((u) => doc.defaultView?.open(u, '_blank', 'noopener')))(url.toString());
      return true;
    },
    theme: () => themeOf(doc.querySelector(OUTLOOK.readingPane.css) ?? doc.body),
  };
}

function htmlToPlain(html: string): string {
  // DOMParser neither runs scripts nor loads images of the parsed markup.
  const parsed = new DOMParser().parseFromString(
    html.replace(/<\/(p|div)>|<br\s*\/?>/gi, '$&\n'),
    'text/html',
  );
  return (parsed.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}
