/**
 * A test double of @inboxsdk/core for the subset Threadline uses (lib/hosts/gmail/sdk.ts), with the same
 * signatures as the SDK's published declarations (node_modules/@inboxsdk/core/src/inboxsdk.d.ts and
 * platform-implementation-js/**). InboxSDK cannot finish loading outside real Gmail, so `wxt build --mode test`
 * aliases lib/hosts/gmail/sdk.ts to this file; the Gmail driver above it is the real one.
 *
 * It works like the SDK does: it reads a Gmail-like page (the markup `gmailFixtureHtml` writes, with Gmail's
 * own attribute conventions: `h2.hP` subject, `span.gD`/`span.g2` people with `email` and `name`, the account
 * in the document title, the thread in the URL hash), calls thread-view handlers when a thread opens, fires
 * `destroy` when it closes, and renders sidebar panels and a compose window into the page.
 */
import type {
  ContentPanelDescriptor,
  GmailSdk,
  LoadOptions,
  SdkComposeButtonDescriptor,
  SdkComposeView,
  SdkContentPanelView,
  SdkCustomRouteView,
  SdkMessageView,
  SdkModalDescriptor,
  SdkModalView,
  SdkThreadView,
} from '../../../lib/hosts/gmail/sdk';

export interface FixturePerson {
  name: string;
  emailAddress: string;
}
export interface GmailFixture {
  user: FixturePerson;
  threads: {
    id: string;
    subject: string;
    messages: {
      from: FixturePerson;
      to: FixturePerson[];
      cc?: FixturePerson[];
      date: string;
      body: string;
    }[];
  }[];
  theme?: 'light' | 'dark';
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const person = (cls: string, p: FixturePerson) =>
  `<span class="${cls}" email="${esc(p.emailAddress)}" name="${esc(p.name)}">${esc(p.name)}</span>`;

/** A minimal Gmail-like page: app bar, thread list, the opened thread, and the right-hand sidebar slot. */
export function gmailFixtureHtml(f: GmailFixture): string {
  const dark = f.theme === 'dark';
  const list = f.threads
    .map(
      (t) =>
        `<a class="zA" href="#inbox/${esc(t.id)}"><b>${esc(t.messages[0]!.from.name)}</b> <span>${esc(t.subject)}</span></a>`,
    )
    .join('');
  const threads = f.threads
    .map(
      (t) => `<div class="thread" data-legacy-thread-id="${esc(t.id)}" hidden>
  <h2 class="hP">${esc(t.subject)}</h2>
  ${t.messages
    .map(
      (m) => `<div class="adn" role="listitem">
    <div class="gE">${person('gD', m.from)} <span class="go">&lt;${esc(m.from.emailAddress)}&gt;</span> <span class="g3">${esc(m.date)}</span></div>
    <div class="hb">to ${m.to.map((p) => person('g2', p)).join(', ')}${m.cc?.length ? `, cc ${m.cc.map((p) => person('g2', p)).join(', ')}` : ''}</div>
    <div class="a3s">${m.body}</div>
  </div>`,
    )
    .join('\n')}
</div>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Inbox - ${esc(f.user.emailAddress)} - Gmail</title>
<style>
  body { margin: 0; font: 14px Roboto, Arial, sans-serif; background: ${dark ? '#1f1f1f' : '#f6f8fc'}; color: ${dark ? '#e3e3e3' : '#1f1f1f'}; }
  .gb { height: 64px; display: flex; align-items: center; padding: 0 20px; font-size: 22px; color: ${dark ? '#e3e3e3' : '#444746'}; }
  .app { display: flex; height: calc(100vh - 64px); }
  .nav { width: 200px; padding: 8px 12px; } .nav div { padding: 6px 12px; border-radius: 16px; }
  .nav .on { background: ${dark ? '#004a77' : '#d3e3fd'}; font-weight: 600; }
  .main { flex: 1; background: ${dark ? '#2a2a2a' : '#fff'}; border-radius: 16px; padding: 12px 24px; overflow: auto; min-width: 0; }
  .zA { display: block; padding: 8px 0; color: inherit; text-decoration: none; border-bottom: 1px solid ${dark ? '#444' : '#eee'}; }
  .hP { font-size: 22px; font-weight: 400; margin: 12px 0 20px; }
  .adn { border-bottom: 1px solid ${dark ? '#444' : '#eee'}; padding: 12px 0; }
  .gD { font-weight: 700; } .go, .g3, .hb { color: ${dark ? '#aaa' : '#5f6368'}; font-size: 12px; }
  .a3s { margin-top: 10px; }
  .inboxsdk-double__sidebar { width: 360px; overflow: auto; background: ${dark ? '#1f1f1f' : '#fff'}; border-left: 1px solid ${dark ? '#444' : '#e0e0e0'}; }
  .inboxsdk-double__sidebar:empty, .inboxsdk-double__sidebar:not(:has(> section:not([hidden]))) { display: none; }
  .inboxsdk-double__title { font: 500 14px Roboto, Arial, sans-serif; padding: 12px 16px 4px; }
  .inboxsdk-double__appbar { width: 56px; display: flex; flex-direction: column; align-items: center; gap: 8px; padding-top: 8px; }
  .inboxsdk-double__appbar button { width: 40px; height: 40px; border-radius: 50%; border: 0; background: transparent; cursor: pointer; }
  .inboxsdk-double__compose { position: fixed; right: 80px; bottom: 0; width: 480px; background: #fff; color: #1f1f1f; box-shadow: 0 8px 24px rgba(0,0,0,.25); border-radius: 8px 8px 0 0; display: flex; flex-direction: column; }
  .inboxsdk-double__compose input { border: 0; border-bottom: 1px solid #e0e0e0; padding: 8px 12px; font: inherit; }
  .inboxsdk-double__compose [role="textbox"] { min-height: 140px; padding: 8px 12px; }
  .inboxsdk-double__compose .btC { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-top: 1px solid #eee; }
  .inboxsdk-double__compose .btC button { height: 36px; min-width: 36px; border-radius: 18px; border: 0; background: transparent; cursor: pointer; }
  .inboxsdk-double__compose .btC .T-I-atl { background: #0b57d0; color: #fff; padding: 0 18px; }
  .inboxsdk-double__nav { display: flex; align-items: center; gap: 10px; padding: 6px 12px; border-radius: 16px; color: inherit; text-decoration: none; }
  .inboxsdk-double__nav.on { background: ${dark ? '#004a77' : '#d3e3fd'}; font-weight: 600; }
  .T-I-KE { display: inline-block; margin: 4px 0 12px; padding: 14px 22px !important; border-radius: 16px; background: ${dark ? '#004a77' : '#c2e7ff'}; cursor: pointer; font-weight: 500; }
  .inboxsdk-double__modal { position: fixed; inset: 0; background: rgba(0,0,0,.45); display: flex; align-items: center; justify-content: center; z-index: 1000; }
  .inboxsdk-double__modal > div { background: ${dark ? '#2a2a2a' : '#fff'}; color: inherit; border-radius: 8px; width: min(560px, 94vw); max-height: 88vh; overflow: auto; box-shadow: 0 12px 40px rgba(0,0,0,.35); }
  .inboxsdk-double__modal header { display: flex; justify-content: space-between; align-items: center; padding: 14px 20px 4px; font-size: 18px; }
  .inboxsdk-double__modal header button { border: 0; background: transparent; font-size: 20px; cursor: pointer; color: inherit; }
</style></head>
<body><div class="gb" role="banner">Gmail</div>
<div class="app"><div class="nav" role="navigation"><div class="T-I T-I-KE" role="button" tabindex="0">Compose</div><div class="on" data-double-nav="inbox">Inbox</div><div>Starred</div><div>Sent</div></div>
<div class="main" role="main"><div class="threadlist">${list}</div>${threads}</div></div></body></html>`;
}

const SHA_HEX = /^sdk_(.{5,15})_([0-9a-f]{10})$/;

class Emitter {
  #listeners = new Map<string, Set<() => void>>();
  on(event: string, listener: () => void) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event)!.add(listener);
    return this;
  }
  protected emit(event: string) {
    for (const l of this.#listeners.get(event) ?? []) l();
  }
}

class ContentPanelViewDouble extends Emitter implements SdkContentPanelView {
  constructor(private readonly section: HTMLElement) {
    super();
  }
  remove(): void {
    this.section.remove();
    this.emit('destroy');
  }
}

class MessageViewDouble implements SdkMessageView {
  constructor(private readonly el: Element) {}
  getSender() {
    const s = this.el.querySelector('.gE .gD')!;
    return { name: s.getAttribute('name') ?? '', emailAddress: s.getAttribute('email') ?? '' };
  }
  async getRecipientsFull() {
    return [...this.el.querySelectorAll('.hb .g2')].map((r) => ({
      name: r.getAttribute('name') ?? undefined,
      emailAddress: r.getAttribute('email') ?? '',
    }));
  }
}

class ThreadViewDouble extends Emitter implements SdkThreadView {
  destroyed = false;
  #panels: ContentPanelViewDouble[] = [];
  constructor(
    private readonly el: Element,
    private readonly sidebar: () => HTMLElement,
  ) {
    super();
  }
  addSidebarContentPanel(descriptor: ContentPanelDescriptor): SdkContentPanelView {
    const view = new ContentPanelViewDouble(section(descriptor));
    this.sidebar().append(view['section']);
    this.#panels.push(view);
    return view;
  }
  getMessageViewsAll(): SdkMessageView[] {
    return [...this.el.querySelectorAll('.adn')].map((m) => new MessageViewDouble(m));
  }
  getSubject(): string {
    return this.el.querySelector('h2.hP')?.textContent?.trim() ?? '';
  }
  async getThreadIDAsync(): Promise<string> {
    return this.el.getAttribute('data-legacy-thread-id') ?? '';
  }
  destroy() {
    this.destroyed = true;
    for (const p of this.#panels) p.remove();
    this.emit('destroy');
  }
}

function section(d: ContentPanelDescriptor): HTMLElement {
  const s = document.createElement('section');
  s.className = 'inboxsdk-double__panel';
  s.setAttribute('aria-label', d.title ?? 'App panel');
  if (!d.hideTitleBar && d.title) {
    const h = document.createElement('div');
    h.className = 'inboxsdk-double__title';
    h.textContent = d.title;
    s.append(h);
  }
  s.append(d.el);
  return s;
}

/** An app's page in Gmail's main area, for as long as the rep stays on its route. */
class CustomRouteViewDouble extends Emitter implements SdkCustomRouteView {
  readonly #el = document.createElement('div');
  constructor(main: HTMLElement) {
    super();
    this.#el.className = 'inboxsdk-double__route';
    main.append(this.#el);
  }
  getElement(): HTMLElement {
    return this.#el;
  }
  setFullWidth(fullWidth: boolean): void {
    this.#el.dataset.fullWidth = String(fullWidth);
  }
  destroy() {
    this.#el.remove();
    this.emit('destroy');
  }
}

/** "Ada Lovelace <ada@acme.example>, ben@acme.example": the chips Gmail's recipient field would show. */
function contactsIn(value: string): { name?: string; emailAddress: string }[] {
  return value
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(.*?)\s*<([^<>]+)>$/.exec(part);
      return m?.[1]
        ? { name: m[1].replace(/^"|"$/g, ''), emailAddress: m[2]! }
        : { emailAddress: m?.[2] ?? part };
    });
}

class ComposeViewDouble extends Emitter implements SdkComposeView {
  destroyed = false;
  constructor(private readonly el: HTMLElement) {
    super();
    el.querySelector('[data-double-discard]')!.addEventListener('click', () => this.close());
  }
  #field(name: string) {
    return this.el.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  }
  setToRecipients(emails: string[]): void {
    this.#field('to').value = emails.join(', ');
  }
  setSubject(text: string): void {
    this.#field('subjectbox').value = text;
  }
  setBodyHTML(html: string): void {
    this.el.querySelector<HTMLElement>('[role="textbox"]')!.innerHTML = html;
  }
  getToRecipients() {
    return contactsIn(this.#field('to').value);
  }
  getCcRecipients() {
    return contactsIn(this.#field('cc').value);
  }
  getBccRecipients() {
    return contactsIn(this.#field('bcc').value);
  }
  /** Buttons go in the compose's bottom toolbar, after Send, as InboxSDK places them. */
  addButton(descriptor: SdkComposeButtonDescriptor) {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-label', descriptor.title);
    button.title = descriptor.title;
    button.innerHTML = `<img src="${esc(descriptor.iconUrl)}" alt="" width="20" height="20">`;
    button.addEventListener('click', () => descriptor.onClick({ composeView: this }));
    this.el.querySelector('.btC')!.append(button);
    return { destroyed: false };
  }
  close() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.el.remove();
    this.emit('destroy');
  }
}

class ModalViewDouble extends Emitter implements SdkModalView {
  #closed = false;
  constructor(private readonly root: HTMLElement) {
    super();
  }
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.root.remove();
    this.emit('destroy');
  }
}

/** A modal as InboxSDK draws one: a backdrop, a titled dialog, Escape closes it (closeOnEscape defaults to true). */
function showModal(d: SdkModalDescriptor): ModalViewDouble {
  const root = document.createElement('div');
  root.className = 'inboxsdk-double__modal';
  const dialog = document.createElement('div');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  if (d.title) dialog.setAttribute('aria-label', d.title);
  const header = document.createElement('header');
  header.textContent = d.title ?? '';
  dialog.append(header, d.el);
  root.append(dialog);
  const view = new ModalViewDouble(root);
  if (d.showCloseButton) {
    const x = document.createElement('button');
    x.type = 'button';
    x.setAttribute('aria-label', 'Close');
    x.textContent = '×';
    x.addEventListener('click', () => view.close());
    header.append(x);
  }
  const listening = new AbortController();
  view.on('destroy', () => listening.abort());
  document.addEventListener('keydown', (e) => e.key === 'Escape' && view.close(), {
    capture: true,
    signal: listening.signal,
  });
  document.body.append(root);
  return view;
}

/** Same signature as InboxSDK.load as Threadline calls it (lib/hosts/gmail/sdk.ts). */
export async function load(version: 2, appId: string, options: LoadOptions): Promise<GmailSdk> {
  if (version !== 2) throw new Error('InboxSDK double: only API version 2');
  // The real SDK only logs an invalid app id (and shows a warning inside Gmail).
  if (!SHA_HEX.test(appId)) console.error(`InboxSDK: invalid app id "${appId}"`);
  document.documentElement.dataset.inboxsdkDouble = JSON.stringify({ appId, ...options });
  const doc = document;
  const app = doc.querySelector('.app') ?? doc.body;
  const sidebar = doc.createElement('div');
  sidebar.className = 'inboxsdk-double__sidebar';
  sidebar.setAttribute('role', 'complementary');
  const appbar = doc.createElement('div');
  appbar.className = 'inboxsdk-double__appbar';
  app.append(sidebar, appbar);

  const composeHandlers = new Set<(cv: SdkComposeView) => void>();
  const openComposes = new Set<ComposeViewDouble>();
  const openCompose = () => {
    const el = doc.createElement('div');
    el.className = 'inboxsdk-double__compose';
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-label', 'New Message');
    el.innerHTML =
      '<input name="to" aria-label="To"><input name="cc" aria-label="Cc"><input name="bcc" aria-label="Bcc"><input name="subjectbox" aria-label="Subject"><div role="textbox" contenteditable="true" aria-label="Message Body"></div>' +
      '<div class="btC"><button type="button" class="T-I-atl">Send</button><button type="button" aria-label="Discard draft" data-double-discard>Discard</button></div>';
    doc.body.append(el);
    const cv = new ComposeViewDouble(el);
    openComposes.add(cv);
    cv.on('destroy', () => openComposes.delete(cv));
    for (const h of composeHandlers) h(cv);
    return cv;
  };
  doc.querySelector('.T-I-KE')?.addEventListener('click', () => openCompose());

  const handlers = new Set<(tv: SdkThreadView) => void>();
  let current: ThreadViewDouble | undefined;
  let shown: string | undefined;
  // Custom routes (Router.handleCustomRoute): the hash is the route id, the page replaces Gmail's main view.
  const routeHandlers = new Map<string, Set<(view: SdkCustomRouteView) => void>>();
  let page: CustomRouteViewDouble | undefined;
  let shownRoute: string | undefined;
  const main = doc.querySelector<HTMLElement>('[role="main"]') ?? doc.body;
  const showRoute = () => {
    const routeID = location.hash.replace(/^#/, '');
    const custom = routeHandlers.has(routeID) ? routeID : undefined;
    if (custom === shownRoute) return Boolean(custom);
    shownRoute = custom;
    page?.destroy();
    page = undefined;
    for (const child of main.children)
      (child as HTMLElement).hidden = Boolean(custom) || child.hasAttribute('data-legacy-thread-id');
    for (const item of doc.querySelectorAll('[data-double-nav]'))
      item.classList.toggle('on', item.getAttribute('data-double-nav') === (custom ?? 'inbox'));
    if (!custom) return false;
    page = new CustomRouteViewDouble(main);
    for (const h of routeHandlers.get(custom) ?? []) h(page);
    return true;
  };

  const route = () => {
    if (showRoute()) {
      shown = undefined;
      current?.destroy();
      current = undefined;
      return;
    }
    const id = /^#inbox\/(.+)$/.exec(location.hash)?.[1];
    if (id === shown) return;
    shown = id;
    current?.destroy();
    current = undefined;
    for (const t of doc.querySelectorAll<HTMLElement>('[data-legacy-thread-id]'))
      t.hidden = t.getAttribute('data-legacy-thread-id') !== id;
    const list = doc.querySelector<HTMLElement>('.threadlist');
    if (list) list.hidden = Boolean(id);
    const el = id ? doc.querySelector(`[data-legacy-thread-id="${CSS.escape(id)}"]`) : null;
    if (!el) return;
    const tv = new ThreadViewDouble(el, () => sidebar);
    current = tv;
    for (const h of handlers) h(tv);
  };
  window.addEventListener('hashchange', route);
  setTimeout(route, 0);

  return {
    Conversations: {
      registerThreadViewHandler(handler) {
        handlers.add(handler);
        if (current) handler(current);
        return () => handlers.delete(handler);
      },
    },
    Compose: {
      async openNewComposeView() {
        return openCompose();
      },
      registerComposeViewHandler(handler) {
        composeHandlers.add(handler);
        // As the SDK does: compose views already open are handed over too.
        for (const cv of openComposes) handler(cv);
        return () => composeHandlers.delete(handler);
      },
    },
    Widgets: {
      showModalView: (descriptor) => showModal(descriptor),
    },
    Global: {
      async addSidebarContentPanel(descriptor) {
        const button = doc.createElement('button');
        button.type = 'button';
        button.setAttribute('aria-label', descriptor.title ?? 'App');
        if (descriptor.iconUrl) button.innerHTML = `<img src="${esc(descriptor.iconUrl)}" alt="" width="20">`;
        appbar.append(button);
        const s = section(descriptor);
        s.hidden = true;
        sidebar.append(s);
        button.addEventListener('click', () => (s.hidden = !s.hidden));
        const view = new ContentPanelViewDouble(s);
        view.on('destroy', () => button.remove());
        return view;
      },
    },
    Router: {
      handleCustomRoute(routeID, handler) {
        if (!routeHandlers.has(routeID)) routeHandlers.set(routeID, new Set());
        routeHandlers.get(routeID)!.add(handler);
        setTimeout(route, 0);
        return () => routeHandlers.get(routeID)?.delete(handler);
      },
    },
    NavMenu: {
      addNavItem(descriptor) {
        const item = doc.createElement('a');
        item.href = `#${descriptor.routeID}`;
        item.setAttribute('data-double-nav', descriptor.routeID);
        item.className = 'inboxsdk-double__nav';
        item.innerHTML = `<img src="${esc(descriptor.iconUrl)}" alt="" width="18" height="18"> ${esc(descriptor.name)}`;
        doc.querySelector('[role="navigation"]')?.append(item);
        return { remove: () => item.remove() };
      },
    },
    User: {
      getEmailAddress: () => / - (\S+@\S+) - Gmail$/.exec(doc.title)?.[1] ?? '',
    },
  };
}
