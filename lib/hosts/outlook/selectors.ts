/**
 * Every selector the Outlook-on-the-web driver uses, and nothing else of Outlook's DOM. Each one names the
 * fixture it was checked against (tests/fixtures/outlook/) and when; selectors.test.ts fails when one no
 * longer matches its fixture. Stable anchors only (roles, data-* attributes, element ids, icon names): the
 * hashed class names change with every Outlook build, and English aria-labels break in other UI languages.
 *
 * The fixtures are hand-written reconstructions from the anchors in shared/HOSTS.md, not captures (see their
 * header comments): re-check against a scrubbed capture of real Outlook before relying on a new anchor.
 */
export interface Anchor {
  css: string;
  /** File under tests/fixtures/outlook/ that this selector was checked against. */
  fixture: string;
  /** When it was last checked against that fixture (and, once someone can, real Outlook). */
  checked: string;
  why: string;
}

const LIGHT = 'reading-pane-2026-11-23.html';
const COMPOSE = 'compose-2026-11-23.html';
const CHECKED = '2026-11-23';

export const OUTLOOK = {
  selectedConversation: {
    css: '[role="listbox"] [aria-selected="true"][data-convid]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'The selected row of the message list; `data-convid` is Graph’s conversationId.',
  },
  readingPane: {
    css: '[data-app-section="MailReadCompose"]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'The reading pane: the thread panel mounts right after it.',
  },
  subject: {
    css: '[role="heading"][aria-level="2"]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'The conversation subject inside the reading pane (its `title` carries the full text).',
  },
  persona: {
    css: '[data-lpc-hover-target-id]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'Sender and recipients inside the reading pane (live persona card targets, address in `title`).',
  },
  messageBody: {
    css: '[id^="UniqueMessageBody_"]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'A loaded message: a reading pane without one is still rendering.',
  },
  mailboxRoot: {
    css: '[id^="primaryMailboxRoot"]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'The signed-in mailbox (`title` or `data-folder-name`).',
  },
  composeCommand: {
    css: '[data-icon-name="ComposeRegular"]',
    fixture: LIGHT,
    checked: CHECKED,
    why: 'The "New mail" command, found by icon name in any UI language.',
  },
  composeForm: {
    css: '[data-app-section="MailCompose"]',
    fixture: COMPOSE,
    checked: CHECKED,
    why: 'A message being written (new, reply, or popped out): Threadline’s compose button goes in it. A guess in the reading pane’s `data-app-section` convention, unverified.',
  },
  composeSend: {
    css: '[data-icon-name="SendRegular"]',
    fixture: COMPOSE,
    checked: CHECKED,
    why: 'The compose form’s Send command, by icon name: the button goes right after it.',
  },
  composeCommands: {
    css: '[role="toolbar"]',
    fixture: COMPOSE,
    checked: CHECKED,
    why: 'The compose form’s command bar around Send (looked up from Send, never page-wide).',
  },
  composeRecipient: {
    css: '[data-lpc-hover-target-id]',
    fixture: COMPOSE,
    checked: CHECKED,
    why: 'A resolved recipient pill in To, Cc or Bcc (live persona card target, address in `title`); addresses still being typed are not read.',
  },
} as const satisfies Record<string, Anchor>;

/** The item id in Outlook's URL: /mail/inbox/id/<ItemId> (URL-encoded). Checked 2026-11-23 against HOSTS.md. */
export const ITEM_ID_IN_PATH = /\/mail\/(?:[^?#]*\/)?id\/([^/?#]+)/;
