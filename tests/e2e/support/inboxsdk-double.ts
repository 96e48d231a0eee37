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
  SdkComposeView,
  SdkContentPanelView,
  SdkMessageView,
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
  .inboxsdk-double__sidebar:empty { display: none; }
  .inboxsdk-double__title { font: 500 14px Roboto, Arial, sans-serif; padding: 12px 16px 4px; }
  .inboxsdk-double__appbar { width: 56px; display: flex; flex-direction: column; align-items: center; gap: 8px; padding-top: 8px; }
  .inboxsdk-double__appbar button { width: 40px; height: 40px; border-radius: 50%; border: 0; background: transparent; cursor: pointer; }
  .inboxsdk-double__compose { position: fixed; right: 80px; bottom: 0; width: 480px; background: #fff; color: #1f1f1f; box-shadow: 0 8px 24px rgba(0,0,0,.25); border-radius: 8px 8px 0 0; }
</style></head>
<body><div class="gb" role="banner">Gmail</div>
<div class="app"><div class="nav" role="navigation"><div class="on">Inbox</div><div>Starred</div><div>Sent</div></div>
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

class ComposeViewDouble implements SdkComposeView {
  constructor(private readonly el: HTMLElement) {}
  setToRecipients(emails: string[]): void {
    this.el.querySelector<HTMLInputElement>('[name="to"]')!.value = emails.join(', ');
  }
  setSubject(text: string): void {
    this.el.querySelector<HTMLInputElement>('[name="subjectbox"]')!.value = text;
  }
  setBodyHTML(html: string): void {
    this.el.querySelector<HTMLElement>('[role="textbox"]')!.innerHTML = html;
  }
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

  const handlers = new Set<(tv: SdkThreadView) => void>();
  let current: ThreadViewDouble | undefined;
  let shown: string | undefined;
  const route = () => {
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
        const el = doc.createElement('div');
        el.className = 'inboxsdk-double__compose';
        el.setAttribute('role', 'dialog');
        el.setAttribute('aria-label', 'New Message');
        el.innerHTML =
          '<input name="to" aria-label="To"><input name="subjectbox" aria-label="Subject"><div role="textbox" contenteditable="true" aria-label="Message Body"></div>';
        doc.body.append(el);
        return new ComposeViewDouble(el);
      },
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
    User: {
      getEmailAddress: () => / - (\S+@\S+) - Gmail$/.exec(doc.title)?.[1] ?? '',
    },
  };
}
