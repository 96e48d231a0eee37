/**
 * The only contract between a mail client's page and Threadline's panels. A driver knows one host's DOM (or
 * SDK); everything above it (lib/inbox-ui, the content scripts) works with these types and never queries the
 * host page itself.
 */

/** A person on the opened thread, as the host shows them. Addresses are lower-cased. */
export interface ThreadPerson {
  email: string;
  name?: string;
}

/** The conversation the rep has open. */
export interface OpenedThread {
  /** The host's own key for what is open: Gmail's thread id; Outlook's conversation id, else the item id in its URL. */
  id: string;
  /**
   * The id the mail API knows this conversation by, when the host shows it: Gmail's thread id (InboxSDK's
   * getThreadIDAsync is the Gmail API's threadId), Outlook's `data-convid` (Graph's `conversationId`). Absent
   * when the host only shows something else (Outlook's URL carries a message's item id, not the conversation).
   * The background resolves the conversation's newest message from it when an email must reply in it.
   */
  providerThreadId?: string;
  subject: string;
  /** Everyone on the thread (senders and recipients of every loaded message), the rep included, once each. */
  participants: ThreadPerson[];
  /** The signed-in mailbox, when the host shows it. */
  me?: string;
  /**
   * People the host shows by name only whose address could not be found (Outlook shows colleagues of the
   * rep's tenant that way, and the mailbox did not know them either): listed as "address unknown", never
   * enrollable, never dropped.
   */
  unknownAddresses?: { name: string }[];
}

/** Which kind of host page an anchor was missing on (Diagnostics; never anything the rep wrote or read). */
export type PageKind = 'conversation' | 'pop-out' | 'compose' | 'gmail';

/** An anchor the driver needs was not found where the host should show it: the host changed its page. */
export interface AnchorMiss {
  anchor: string;
  page: PageKind;
}

/**
 * One opened thread for as long as it stays open. `panel` is where the thread panel goes: an element the
 * driver placed in the host's layout (a sidebar slot), or null when the host's anchors were not found, in
 * which case the UI falls back to the browser's side panel instead of touching the page. `signal` aborts
 * when the rep leaves the thread, the host re-renders it away, or the driver stops.
 */
export interface ThreadView {
  thread: OpenedThread;
  panel: HTMLElement | null;
  signal: AbortSignal;
}

/**
 * A new message opened in the host's compose, filled in. Always a new message: InboxSDK's public API opens new
 * compose windows only and Outlook's compose deeplink starts a new message, so no thread id is taken.
 */
export interface ComposeRequest {
  to: string[];
  subject: string;
  /** HTML body. */
  body: string;
}

/** Threadline's button in the host's compose toolbar. */
export interface ComposeButton {
  title: string;
  iconUrl: string;
  /** The label of the modal's close button, where the driver draws the modal itself. */
  closeLabel: string;
}

/**
 * The rep pressed Threadline's compose button: who the compose addresses, and a modal the driver opened over
 * the mail client for the enroll flow. `signal` aborts when the modal closes (the rep, the host, or `close()`).
 */
export interface ComposeEnroll {
  /** Everyone the compose addresses now (To, Cc, Bcc), once each, addresses lower-cased. */
  recipients: ThreadPerson[];
  /** The signed-in mailbox, when the host shows it. */
  me?: string;
  /** An empty element inside the modal: the enroll flow mounts here. */
  el: HTMLElement;
  close(): void;
  signal: AbortSignal;
}

/** A full page of the host's own (a route with a navigation entry) while the rep is on it. */
export interface PageView {
  el: HTMLElement;
  /** Aborts when the rep navigates away (or the driver stops). */
  signal: AbortSignal;
}

/** Where the task queue goes inside the host: a global sidebar or full-page slot. */
export interface QueueMount {
  el: HTMLElement;
  remove(): void;
}

export interface HostDriver {
  readonly host: 'gmail' | 'outlook';
  /**
   * Calls `onThread` for every thread the rep opens (and again for the same thread when the host re-rendered
   * it away and back). Stops when `signal` aborts.
   */
  watchThreads(onThread: (view: ThreadView) => void, signal: AbortSignal): void;
  /** A slot for the task queue, or null when the host offers none (the browser's side panel serves then). */
  mountQueue(signal: AbortSignal): Promise<QueueMount | null>;
  /**
   * Adds Threadline's button to every compose window the rep opens (until `signal` aborts); pressing it opens a
   * modal and calls `onClick` with the compose's recipients and the modal's slot.
   */
  addComposeButton(
    button: ComposeButton,
    onClick: (enroll: ComposeEnroll) => void,
    signal: AbortSignal,
  ): void;
  /**
   * A full page for the task queue with an entry in the host's navigation, where the host offers app routes
   * (Gmail); `onShow` is called each time the rep opens it. Does nothing on hosts without (Outlook).
   */
  addQueuePage(
    page: { title: string; iconUrl: string },
    onShow: (view: PageView) => void,
    signal: AbortSignal,
  ): void;
  /** Opens the host's compose window filled in. Resolves false when it could not (no anchor). */
  openCompose(request: ComposeRequest): Promise<boolean>;
  /** The host's current colour scheme, for the panels' `data-theme`. */
  theme(): 'light' | 'dark';
  /**
   * Calls `onMiss` once for each anchor (and page kind) the driver looked for and did not find, until `signal`
   * aborts. Drivers that read no DOM of their own (Gmail, through InboxSDK) never call it.
   */
  watchAnchorMisses?(onMiss: (miss: AnchorMiss) => void, signal: AbortSignal): void;
}
