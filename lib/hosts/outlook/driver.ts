import { MAIL_HOSTS, outlookDeeplinkBase, type MailHost } from '../mail-hosts';
import { observe } from '../observe';
import { parsePerson, themeOf, uniquePeople } from '../people';
import type {
  AnchorMiss,
  ComposeButton,
  ComposeEnroll,
  ComposeRequest,
  HostDriver,
  OpenedThread,
  PageKind,
  ThreadPerson,
  ThreadView,
} from '../types';
import { openModal } from './modal';
import { resolveNames, shownPeople, shownPerson, type Shown } from './people';
import {
  anyOf,
  DEEPLINK_READ_IN_PATH,
  find,
  findAll,
  ITEM_ID_IN_PATH,
  OUTLOOK,
  READCONV_IN_PATH,
  toGraphConversationId,
  type AnchorName,
} from './selectors';

export interface OutlookDriverOptions {
  doc?: Document;
  /** Subscribes to SPA navigations (the content script passes WXT's `wxt:locationchange`). */
  onLocationChange?: (cb: () => void, signal: AbortSignal) => void;
  /**
   * Opens the new message through the extension's background (compose.outlook: the deeplink in a tab it
   * opens, so no popup blocker and a real answer). Without it, `open` with the deeplink built here.
   */
  compose?: (req: ComposeRequest) => Promise<boolean>;
  /** Opens a URL (the compose deeplink) when there is no `compose`; window.open by default. */
  open?: (url: string) => void;
  /** The build's mail hosts (lib/hosts/mail-hosts.ts): the deeplink stays on the origin the rep is on. */
  hosts?: readonly MailHost[];
  /**
   * The people of a conversation as the mailbox has them (Graph's from, toRecipients and ccRecipients of its
   * messages), by Graph conversationId: addresses for the people Outlook shows by name alone.
   */
  lookupPeople?: (conversationId: string, mailbox?: string) => Promise<ThreadPerson[]>;
  /** How long a thread waits for `lookupPeople` before it is shown with "address unknown". */
  lookupTimeoutMs?: number;
}

const SLOT_ATTR = 'data-threadline-slot';
const BUTTON_ATTR = 'data-threadline-compose';
const OURS = `[${SLOT_ATTR}], [data-threadline-modal], [data-threadline-note]`;

/** What the page shows now: an open conversation, one still rendering, or none. */
export type Reading =
  | { state: 'none' }
  | { state: 'rendering'; id: string }
  | {
      state: 'open';
      thread: OpenedThread;
      /** People shown by name alone, before any lookup. */
      shown: Shown[];
      /** The element the panel goes right after, or null when no anchor offers one. */
      pane: Element | null;
      page: PageKind;
      missing: AnchorName[];
    };

function signedInMailbox(doc: Document): { email: string; name?: string } | undefined {
  const root = find(doc, OUTLOOK.mailboxRoot);
  const email = [root?.getAttribute('title'), root?.getAttribute('data-folder-name')]
    .map((v) => (v ? parsePerson(v)?.email : undefined))
    .find(Boolean);
  if (!email) return undefined;
  const name = root?.textContent?.replace(/\s+/g, ' ').trim();
  return name && !name.includes('@') ? { email, name } : { email };
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * The compose form around a Send command, through HOSTS.md's alternatives in order: the nearest ancestor
 * holding both the To field and a text box, then a dialog, then a Compose app section.
 */
export function composeFormOf(send: Element): Element | null {
  for (let el = send.parentElement; el; el = el.parentElement) {
    const to = find(el, OUTLOOK.composeTo);
    if (to && findAll(el, OUTLOOK.composeBody).some((box) => box !== to && !to.contains(box))) return el;
  }
  for (const css of OUTLOOK.composeContainer.alternatives) {
    const form = send.closest(css);
    if (form) return form;
  }
  return null;
}

/** The nearest ancestor of a To field that also holds another text box (the body): its compose form. */
function formAroundTo(to: Element): Element | null {
  for (let el = to.parentElement; el; el = el.parentElement)
    if (findAll(el, OUTLOOK.composeBody).some((box) => box !== to && !to.contains(box))) return el;
  return null;
}

/** Inside a message being written (a reply in the pane), not part of the conversation yet. */
function inComposeOf(scope: Element): (el: Element) => boolean {
  const forms = findAll(scope, OUTLOOK.composeSend)
    .map(composeFormOf)
    .filter((f): f is Element => f !== null && f !== scope && scope.contains(f));
  return (el) =>
    el.closest(anyOf(OUTLOOK.composeContainer)) !== null ||
    el.closest('[contenteditable="true"]') !== null ||
    forms.some((f) => f.contains(el));
}

/** The opened conversation as the page shows it now. */
export function readConversation(doc: Document): Reading {
  const path = doc.location?.pathname ?? '';
  const missing: AnchorName[] = [];
  let container = find(doc, OUTLOOK.conversation);
  let page: PageKind = 'conversation';
  if (!container) {
    container = find(doc, OUTLOOK.popOutReader);
    if (container) page = 'pop-out';
  }
  if (!container) {
    // A selected row over an empty reading pane is no conversation. Message bodies with no container
    // around them are: the container's anchor changed.
    const body = find(doc, OUTLOOK.messageBody);
    if (!body) return { state: 'none' };
    missing.push('conversation');
    container = find(doc, OUTLOOK.readingPane) ?? body.parentElement ?? doc.body;
  }
  const selected = page === 'conversation' ? find(doc, OUTLOOK.selectedConversation) : null;
  const convid = selected?.getAttribute('data-convid') || READCONV_IN_PATH.exec(path)?.[1];
  // data-convid is EWS's form of the conversation id: Graph's conversationId only after normalising.
  const conversationId = convid ? toGraphConversationId(decode(convid)) : undefined;
  const itemId = (DEEPLINK_READ_IN_PATH.exec(path) ?? ITEM_ID_IN_PATH.exec(path))?.[1];
  const id = conversationId ?? (itemId ? decode(itemId) : undefined);
  if (!id) {
    if (page === 'conversation') missing.push('selectedConversation');
    return { state: 'none' };
  }
  if (!find(container, OUTLOOK.messageBody)) return { state: 'rendering', id };

  const heading = find(container, OUTLOOK.subject);
  if (!heading) missing.push('subject');
  // The visible text can end with Copilot's "Summarize" label: `title` carries the subject alone.
  const subject = (heading?.getAttribute('title') || heading?.textContent || '').trim();
  const shown = shownPeople(container, inComposeOf(container));
  if (!shown.length) missing.push('person');
  const me = signedInMailbox(doc);
  // The pop-out reader has no folder pane: no mailbox root to miss there.
  if (!me && page === 'conversation') missing.push('mailboxRoot');
  const readingPane = find(doc, OUTLOOK.readingPane);
  const pane = readingPane ?? (page === 'pop-out' ? container : null);
  if (!pane) missing.push('readingPane');
  const { people, unknown } = resolveNames(shown, [], me);
  const thread: OpenedThread = {
    id,
    ...(conversationId ? { providerThreadId: conversationId } : {}),
    subject,
    participants: people,
    ...(me ? { me: me.email } : {}),
    ...(unknown.length ? { unknownAddresses: unknown } : {}),
  };
  return { state: 'open', thread, shown, pane, page, missing };
}

const keyOf = (t: OpenedThread) =>
  JSON.stringify([
    t.id,
    t.subject,
    t.participants.map((p) => [p.email, p.name ?? '']),
    t.unknownAddresses?.map((p) => p.name) ?? [],
  ]);

/**
 * Outlook on the web, read from its DOM. Outlook re-renders often and navigates without page loads, so the
 * driver re-reads the page after every burst of mutations and every location change, keeps its panel slot
 * right after the reading pane, and reports a new view only when the conversation (or what it shows of it)
 * changed. People shown by name alone get their address from the mailbox (`lookupPeople`) before the view is
 * reported. A missing anchor is reported to `watchAnchorMisses` listeners once, and the thread goes to the
 * side panel (`panel: null`) when there is nowhere to put it.
 */
export function createOutlookDriver(options: OutlookDriverOptions = {}): HostDriver {
  const doc = options.doc ?? document;
  const hosts = options.hosts ?? MAIL_HOSTS;
  const missListeners = new Set<(miss: AnchorMiss) => void>();
  const reported = new Set<string>();
  const missed: AnchorMiss[] = [];
  const miss = (m: AnchorMiss) => {
    const key = `${m.anchor}|${m.page}`;
    if (reported.has(key)) return;
    reported.add(key);
    missed.push(m);
    missListeners.forEach((cb) => cb(m));
  };
  // Graph's people per conversation: asked once, awaited at most lookupTimeoutMs.
  const lookups = new Map<string, ThreadPerson[] | 'pending'>();
  const known = (conversationId: string, onReady: () => void): ThreadPerson[] | undefined => {
    const got = lookups.get(conversationId);
    if (got !== undefined) return got === 'pending' ? undefined : got;
    if (!options.lookupPeople) return [];
    lookups.set(conversationId, 'pending');
    let settled = false;
    const settle = (people: ThreadPerson[]) => {
      if (settled) return;
      settled = true;
      lookups.set(conversationId, people);
      onReady();
    };
    options.lookupPeople(conversationId, signedInMailbox(doc)?.email).then(settle, () => settle([]));
    setTimeout(() => settle([]), options.lookupTimeoutMs ?? 4000);
    return undefined;
  };

  return {
    host: 'outlook',
    watchAnchorMisses(onMiss, signal) {
      missed.forEach(onMiss);
      missListeners.add(onMiss);
      signal.addEventListener('abort', () => missListeners.delete(onMiss));
    },
    watchThreads(onThread, signal) {
      let current: { key: string; slot: HTMLElement | null; ctl: AbortController; id: string } | undefined;
      const close = () => {
        current?.ctl.abort();
        current?.slot?.remove();
        current = undefined;
      };
      const check = () => {
        if (signal.aborted) return;
        const read = readConversation(doc);
        if (read.state === 'none') return close();
        if (read.state === 'rendering') {
          if (current && current.id !== read.id) close();
          return; // reported once its messages are there
        }
        read.missing.forEach((anchor) => miss({ anchor, page: read.page }));
        let thread = read.thread;
        // Only people the page itself could not resolve (the rep's own name is) cost the mailbox a question.
        if (thread.unknownAddresses?.length && thread.providerThreadId) {
          const people = known(thread.providerThreadId, check);
          if (!people) return; // asked the mailbox; checked again when it answers
          const me = signedInMailbox(doc);
          const resolved = resolveNames(read.shown, people, me);
          const { unknownAddresses: _, ...rest } = thread;
          thread = {
            ...rest,
            participants: resolved.people,
            ...(resolved.unknown.length ? { unknownAddresses: resolved.unknown } : {}),
          };
        }
        const key = keyOf(thread);
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
        current = { key, slot, ctl, id: thread.id };
        const view: ThreadView = { thread, panel: slot, signal: ctl.signal };
        onThread(view);
      };
      observe(doc.body, check, {
        signal,
        ignore: OURS,
        attributes: ['aria-selected', 'data-convid', 'title', 'id'],
      });
      options.onLocationChange?.(check, signal);
      doc.defaultView?.addEventListener('popstate', () => setTimeout(check, 0), { signal });
      signal.addEventListener('abort', close);
      check();
    },
    addComposeButton(button, onClick, signal) {
      const buttons = new Set<HTMLElement>();
      let modal: { close(): void } | undefined;
      const press = (form: Element) => {
        modal?.close();
        const opened = openModal(doc, button, theme());
        modal = opened;
        const me = signedInMailbox(doc)?.email;
        const enroll: ComposeEnroll = {
          recipients: uniquePeople(findAll(form, OUTLOOK.composeRecipient).map(recipientOf)),
          ...(me ? { me } : {}),
          ...opened,
        };
        onClick(enroll);
      };
      const attach = () => {
        if (signal.aborted) return;
        for (const icon of findAll(doc, OUTLOOK.composeSend)) {
          const form = composeFormOf(icon);
          if (!form) {
            miss({ anchor: 'composeContainer', page: 'compose' });
            continue;
          }
          if (form.querySelector(`[${BUTTON_ATTR}]`)) continue;
          const send = icon.closest('button, [role="button"]') ?? icon;
          const el = composeButton(doc, button);
          el.addEventListener('click', () => press(form));
          send.after(el);
          buttons.add(el);
        }
        // A To field with no Send command anywhere near it: Send's anchor changed.
        for (const to of findAll(doc, OUTLOOK.composeTo)) {
          const form = formAroundTo(to);
          if (form && !find(form, OUTLOOK.composeSend)) miss({ anchor: 'composeSend', page: 'compose' });
        }
      };
      observe(doc.body, attach, { signal, ignore: OURS });
      signal.addEventListener('abort', () => {
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
      if (options.compose) return options.compose(req);
      // The compose deeplink works in every Outlook on the web and any UI language, on the origin the rep is
      // on (outlook.office.com's answers AADSTS90015 to mailboxes moved to outlook.cloud.microsoft).
      const url = new URL(`${outlookDeeplinkBase(doc.location?.href, hosts)}/mail/deeplink/compose`);
      url.searchParams.set('to', req.to.join(';'));
      url.searchParams.set('subject', req.subject);
      url.searchParams.set('body', htmlToPlain(req.body));
      (options.open ?? ((u) => doc.defaultView?.open(u, '_blank', 'noopener')))(url.toString());
      return true;
    },
    theme,
  };

  /** Outlook's own dark-mode hint first (Dark Reader's), else the reading pane's background. */
  function theme(): 'light' | 'dark' {
    if (find(doc, OUTLOOK.darkTheme)) return 'dark';
    return themeOf(find(doc, OUTLOOK.readingPane) ?? doc.body);
  }
}

/**
 * A recipient of a message being written: its visible text ("Name <address>") first; then, since no capture
 * shows a compose form, our reconstruction's `title` when it holds an address. Name-only pills are skipped:
 * a draft is not in the mailbox to look them up.
 */
function recipientOf(el: Element): ThreadPerson | undefined {
  const shown = shownPerson(el);
  if (shown?.email !== undefined) return shown;
  return parsePerson(el.getAttribute('title') ?? '', shown?.name);
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
