/**
 * Every anchor the Outlook-on-the-web driver uses, and nothing else of Outlook's DOM. Each anchor lists the
 * alternatives it tries, in order (the first that matches wins), the public evidence for them with its date,
 * and the fixtures (tests/fixtures/outlook/) it must match; selectors.test.ts fails when one no longer does.
 * Stable anchors only (roles, ids, data-* attributes, icon names): Outlook's hashed class names change with
 * every build, and English aria-labels break in other UI languages.
 *
 * The evidence is shared/HOSTS.md's (gathered 2026-12): real page captures in mailvelope's `outlook-api`
 * branch (2025-11/12, test/integration/__mocks__/outlook-dom-templates.js), amarnai/amarnai's detectThread.ts
 * (2026-07), Dark Reader's detector hints (2024-2026) and other maintained extensions (2024-2026). The
 * fixtures are reconstructions from those facts, not captures: re-check against a scrubbed capture of real
 * Outlook before trusting an anchor more than its evidence.
 */
export interface Anchor {
  /** CSS selectors tried in order; the first that matches is used. */
  alternatives: readonly string[];
  /** Where each alternative was seen. */
  evidence: string;
  /** When the evidence was last checked. */
  checked: string;
  /** Fixtures under tests/fixtures/outlook/ at least one alternative must match. */
  fixtures: readonly string[];
  why: string;
}

const CHECKED = '2026-12-07';
const READING = 'reading-pane-2026-12-07.html';
const DARK = 'reading-pane-dark-2026-12-07.html';
const POPOUT = 'popout-reader-2026-12-07.html';
const EMPTY = 'empty-reading-pane-2026-12-07.html';
const COLLEAGUE = 'colleague-by-name-2026-12-07.html';
const CLOUD = 'cloud-microsoft-2026-12-07.html';
const COMPOSE = 'compose-2026-12-07.html';
const COMPOSE_DIALOG = 'compose-dialog-2026-12-07.html';
const MAILVELOPE = 'mailvelope outlook-api captures (2025-11/12)';

export const OUTLOOK = {
  selectedConversation: {
    alternatives: ['[role="listbox"] [aria-selected="true"][data-convid]'],
    evidence: `${MAILVELOPE} and several maintained extensions (2024-2026).`,
    checked: CHECKED,
    fixtures: [READING, DARK, EMPTY, COLLEAGUE, CLOUD],
    why: 'The selected row of the message list. `data-convid` is the EWS form of the conversation id (see toGraphConversationId). A selected row alone is no open conversation: OWA keeps one selected while the reading pane is empty.',
  },
  conversation: {
    alternatives: ['#ConversationReadingPaneContainer', '[data-app-section="ConversationContainer"]'],
    evidence: `${MAILVELOPE}; the second from maintained extensions (2025-2026).`,
    checked: CHECKED,
    fixtures: [READING, DARK, COLLEAGUE, CLOUD],
    why: 'A conversation is really open only when its container is there.',
  },
  popOutReader: {
    alternatives: ['#ItemReadingPaneContainer'],
    evidence: `${MAILVELOPE}: the deeplink reader (/mail/deeplink/read/<id>, /mail/0/...), with no list and no data-convid.`,
    checked: CHECKED,
    fixtures: [POPOUT],
    why: 'A message opened on its own (popped out or from a deeplink): the item id comes from the URL.',
  },
  readingPane: {
    alternatives: [
      '[role="main"][data-app-section="MailReadCompose"]',
      '[data-app-section="MailReadCompose"]',
    ],
    evidence: `${MAILVELOPE}, confirmed by several maintained extensions (2024-2026).`,
    checked: CHECKED,
    fixtures: [READING, DARK, EMPTY, COLLEAGUE, CLOUD],
    why: 'The reading pane: the thread panel mounts right after it.',
  },
  subject: {
    alternatives: ['[role="heading"][id^="CONV_"][id$="_SUBJECT"]', '[role="heading"][aria-level="2"]'],
    evidence: `${MAILVELOPE}: read from \`title\`, the visible text can end with a Copilot "Summarize" label. The second is the older guess (no capture).`,
    checked: CHECKED,
    fixtures: [READING, DARK, POPOUT, COLLEAGUE, CLOUD],
    why: 'The conversation subject.',
  },
  person: {
    alternatives: ['[data-lpc-hover-target-id]'],
    evidence: `${MAILVELOPE}: visible text "Name <address>" for outside senders, the name alone for colleagues of the same tenant, aria-label "Opens card for <Name>"; the address is not reliably in \`title\`.`,
    checked: CHECKED,
    fixtures: [READING, DARK, POPOUT, COLLEAGUE, CLOUD],
    why: 'Senders and recipients of the messages shown.',
  },
  senderBlock: {
    alternatives: ['[id^="MSG_"][id$="_FROM"]'],
    evidence: `${MAILVELOPE} (its aria-label "From: ..." is localised, so it is not read).`,
    checked: CHECKED,
    fixtures: [READING, DARK, POPOUT, COLLEAGUE, CLOUD],
    why: 'Each message’s sender, also where the persona element is not rendered.',
  },
  messageBody: {
    alternatives: ['[id^="UniqueMessageBody_"]'],
    evidence: `${MAILVELOPE} and three maintained extensions: inline, inside [role="document"], not in iframes.`,
    checked: CHECKED,
    fixtures: [READING, DARK, POPOUT, COLLEAGUE, CLOUD],
    why: 'A loaded message: a conversation without one is still rendering.',
  },
  mailboxRoot: {
    alternatives: ['[id^="primaryMailboxRoot_"]'],
    evidence: `${MAILVELOPE} (\`title\`, \`data-folder-name\`); ambiguous when several accounts are added.`,
    checked: CHECKED,
    fixtures: [READING, DARK, EMPTY, COLLEAGUE, CLOUD, COMPOSE],
    why: 'The signed-in mailbox.',
  },
  composeCommand: {
    alternatives: ['[data-icon-name="ComposeRegular"]'],
    evidence: `${MAILVELOPE}.`,
    checked: CHECKED,
    fixtures: [READING, COMPOSE],
    why: 'The "New mail" command, by icon name in any UI language.',
  },
  composeSend: {
    alternatives: [
      '[data-testid="ComposeSendButton"]',
      '[data-icon-name="Send"]',
      '[data-icon-name="SendRegular"]',
    ],
    evidence:
      'No capture found (HOSTS.md): maintained extensions use [data-testid="ComposeSendButton"] on newer pages and data-icon-name="Send" on older ones; SendRegular is our guess from the ComposeRegular naming.',
    checked: CHECKED,
    fixtures: [COMPOSE, COMPOSE_DIALOG],
    why: 'The compose form’s Send command: Threadline’s button goes right after it.',
  },
  composeTo: {
    alternatives: ['div[aria-label="To"][contenteditable]'],
    evidence:
      'Maintained extensions find the compose form as the ancestor of this and of the body textbox (HOSTS.md; no public capture). English aria-label: the first of three ways to the form.',
    checked: CHECKED,
    fixtures: [COMPOSE],
    why: 'The To field: its ancestor that also holds the body is the compose form.',
  },
  composeBody: {
    alternatives: ['[role="textbox"][contenteditable]'],
    evidence: 'Maintained extensions (HOSTS.md; no public capture).',
    checked: CHECKED,
    fixtures: [COMPOSE, COMPOSE_DIALOG],
    why: 'An editable text box of the compose form.',
  },
  composeContainer: {
    alternatives: [
      '[role="dialog"]',
      '[data-app-section*="Compose"]:not([data-app-section="MailReadCompose"])',
    ],
    evidence:
      'Maintained extensions, after the To-field ancestor, in this order (HOSTS.md; no public capture).',
    checked: CHECKED,
    fixtures: [COMPOSE_DIALOG],
    why: 'The compose form when it is found without an English To label.',
  },
  composeRecipient: {
    alternatives: ['[data-lpc-hover-target-id]'],
    evidence:
      'The reading pane’s persona anchor; inside a compose form it is our reconstruction (no capture).',
    checked: CHECKED,
    fixtures: [COMPOSE, COMPOSE_DIALOG],
    why: 'A resolved recipient in To, Cc or Bcc; addresses still being typed are not read.',
  },
  darkTheme: {
    alternatives: ['html[style*="--black: #FFFFFF"]', 'html[style*="--black:#FFFFFF"]'],
    evidence: 'Dark Reader’s detector-hints.config for Outlook (2024-2026).',
    checked: CHECKED,
    fixtures: [DARK],
    why: 'Outlook’s own dark-mode hint: its theme variables invert.',
  },
} as const satisfies Record<string, Anchor>;

export type AnchorName = keyof typeof OUTLOOK;

/** The first alternative of `anchor` that matches inside `root`, as its first element. */
export function find(root: ParentNode, anchor: Anchor): Element | null {
  for (const css of anchor.alternatives) {
    const el = root.querySelector(css);
    if (el) return el;
  }
  return null;
}

/** Every element of the first alternative of `anchor` that matches anything inside `root`. */
export function findAll(root: ParentNode, anchor: Anchor): Element[] {
  for (const css of anchor.alternatives) {
    const found = root.querySelectorAll(css);
    if (found.length) return [...found];
  }
  return [];
}

/** Every alternative at once, for `closest()` and `matches()`. */
export const anyOf = (anchor: Anchor) => anchor.alternatives.join(', ');

/** The item id in Outlook's URL: /mail/…/id/<ItemId> (URL-encoded). HOSTS.md, checked 2026-12-07. */
export const ITEM_ID_IN_PATH = /\/mail\/(?:[^?#]*\/)?id\/([^/?#]+)/;
/** The pop-out / deeplink reader's URL: /mail/deeplink/read/<ItemId>. HOSTS.md, checked 2026-12-07. */
export const DEEPLINK_READ_IN_PATH = /\/mail\/(?:[^?#]*\/)?deeplink\/read\/([^/?#]+)/;
/** OWA rewrites /id/ URLs to /deeplink/readconv/<ConversationId>. HOSTS.md, checked 2026-12-07. */
export const READCONV_IN_PATH = /\/mail\/(?:[^?#]*\/)?deeplink\/readconv\/([^/?#]+)/;

/**
 * Graph's `conversationId` for an EWS conversation id as `data-convid` shows it: `+` becomes `_` and `/`
 * becomes `-` (amarnai/amarnai detectThread.ts, 2026-07). Ids already in Graph's form come back unchanged,
 * so comparing two normalised ids is always safe.
 */
export const toGraphConversationId = (id: string): string => id.replaceAll('+', '_').replaceAll('/', '-');
