/**
 * The demo inbox's wiring: polls the sandbox for the mailbox (live: mail sent by Threadline and answers
 * injected appear within a couple of seconds), keeps the open conversation in the URL as Outlook does
 * (/mail/inbox/id/<id>), and sends the "simulate an answer" action. Re-renders only what changed, and never
 * the reading pane's parent, where the extension mounts its panel.
 */
import {
  Ids,
  renderConversation,
  renderMailboxRoot,
  renderMessages,
  renderRow,
  SIMULATIONS,
} from './render.ts';
import type { DemoConversation, DemoMailbox, SimulateKind } from './types';

const POLL_MS = 1500;
const ids = new Ids();
let mailbox: DemoMailbox | undefined;
let openId: string | undefined = idFromUrl();
/** Message ids already seen: a conversation with others is shown as unread until opened. */
let seen: Set<string> | undefined;

function idFromUrl(): string | undefined {
  const m = /\/id\/([^/?#]+)/.exec(location.pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

const listbox = () => document.querySelector<HTMLElement>('[role="listbox"]')!;
const pane = () => document.querySelector<HTMLElement>('[data-app-section="MailReadCompose"]')!;
const byId = (id: string | undefined) => mailbox?.conversations.find((c) => c.ewsId === id || c.id === id);

function renderList(): void {
  if (!mailbox) return;
  const now = Date.now();
  const rows = mailbox.conversations.map((c) =>
    renderRow(document, c, {
      me: mailbox!.address,
      selected: c.ewsId === openId,
      unread: c.ewsId !== openId && c.messages.some((m) => !seen?.has(m.id)),
      now,
    }),
  );
  const focused = document.activeElement?.getAttribute('data-convid');
  listbox().replaceChildren(...rows);
  if (focused) rows.find((r) => r.getAttribute('data-convid') === focused)?.focus();
  const empty = document.querySelector<HTMLElement>('.tl-list-empty');
  if (empty) {
    empty.hidden = rows.length > 0;
    empty.textContent = 'No mail yet in this mailbox.';
  }
  const count = document.querySelector('.tl-count');
  if (count) count.textContent = String(mailbox.conversations.length);
}

/** The reading pane: a new conversation replaces the container; new messages replace only the message list. */
function renderPane(): void {
  const conversation = byId(openId);
  const current = pane().querySelector<HTMLElement>('#ConversationReadingPaneContainer');
  if (!conversation) {
    if (current) {
      current.remove();
      pane().querySelector<HTMLElement>('.tl-nothing')!.hidden = false;
    }
    return;
  }
  for (const m of conversation.messages) seen?.add(m.id);
  pane().querySelector<HTMLElement>('.tl-nothing')!.hidden = true;
  if (current?.getAttribute('data-convid-open') === conversation.ewsId) {
    const shown = [...current.querySelectorAll('[data-message-id]')].map((e) =>
      e.getAttribute('data-message-id'),
    );
    const now = conversation.messages.map((m) => m.id);
    if (shown.join() !== now.join())
      current
        .querySelector('.tl-messages')
        ?.replaceWith(renderMessages(document, ids, conversation, Date.now()));
    return;
  }
  const next = renderConversation(document, ids, conversation, Date.now());
  if (current) current.replaceWith(next);
  else pane().append(next);
}

function open(id: string, push: boolean): void {
  openId = id;
  if (push) history.pushState(null, '', `/demo/mail/inbox/id/${encodeURIComponent(id)}`);
  renderList();
  renderPane();
  listbox().querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
}

async function refresh(): Promise<void> {
  const res = await fetch('/demo/api/mailbox', { cache: 'no-store' });
  if (!res.ok) {
    const empty = document.querySelector<HTMLElement>('.tl-list-empty');
    if (empty) {
      empty.hidden = false;
      empty.textContent = `The sandbox did not give the mailbox (${res.status}): ${await res.text()}`;
    }
    return;
  }
  const next = (await res.json()) as DemoMailbox;
  if (next.version === mailbox?.version) return;
  mailbox = next;
  seen ??= new Set(next.conversations.flatMap((c) => c.messages.map((m) => m.id)));
  renderMailboxRoot(document, next);
  renderList();
  renderPane();
}

async function simulate(
  conversation: DemoConversation,
  kind: SimulateKind,
  status: HTMLElement,
): Promise<void> {
  const contact = pane().querySelector<HTMLSelectElement>('.tl-sim-contact')?.value;
  const label = SIMULATIONS.find((s) => s.kind === kind)?.label.replace('Simulate ', '') ?? kind;
  status.textContent = 'Sending…';
  const res = await fetch('/demo/api/simulate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId: conversation.id, contact, kind }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    status.textContent = `Not sent: ${body.error ?? res.status}`;
    return;
  }
  const who = conversation.contacts.find((p) => p.address === contact)?.name ?? contact;
  status.textContent = `${who}: ${label} arrived in the mailbox. Threadline looks for answers about once a minute; its panel shows the result then.`;
  await refresh();
}

function wire(): void {
  listbox().addEventListener('click', (e) => {
    const row = (e.target as Element).closest('[data-convid]');
    const id = row?.getAttribute('data-convid');
    if (id) open(id, true);
  });
  listbox().addEventListener('keydown', (e) => {
    const rows = [...listbox().querySelectorAll<HTMLElement>('[data-convid]')];
    const at = rows.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      rows[Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    } else if ((e.key === 'Enter' || e.key === ' ') && at >= 0) {
      e.preventDefault();
      open(rows[at]!.getAttribute('data-convid')!, true);
    }
  });
  pane().addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('.tl-sim-button');
    const conversation = byId(openId);
    const status = pane().querySelector<HTMLElement>('.tl-sim-status');
    if (!button || !conversation || !status) return;
    button.disabled = true;
    simulate(conversation, button.dataset.kind as SimulateKind, status)
      .catch((err: unknown) => (status.textContent = `Not sent: ${String(err)}`))
      .finally(() => (button.disabled = false));
  });
  addEventListener('popstate', () => {
    openId = idFromUrl();
    renderList();
    renderPane();
  });
}

wire();
// Fire and forget: a failed refresh is swallowed and the next poll is scheduled either way.
const poll = (): void =>
  void refresh()
    .catch(() => undefined)
    .finally(() => setTimeout(poll, POLL_MS));
poll();
