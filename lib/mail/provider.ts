/**
 * The one interface the runner and the reply watcher use to reach a mailbox.
 * Implementations: lib/mail/gmail (Gmail API v1) and lib/mail/graph (Microsoft Graph v1.0), plain REST over an
 * injected `fetch`, so they run unchanged against the mail sandbox (tools/sandbox) and the real services.
 */

export interface Address {
  address: string;
  name?: string;
}

/** The previous message of the conversation, for a follow-up threaded under it. */
export interface ThreadRef {
  /** Gmail threadId, or Graph conversationId. */
  threadId: string;
  /** Provider id of the previous message (Gmail message id, Graph message id): Graph's createReply needs it. */
  lastProviderMessageId: string;
  /** RFC 5322 Message-ID of the previous message, with angle brackets: becomes In-Reply-To. */
  lastMessageId: string;
  /** Every Message-ID of the conversation so far, oldest first: becomes References. */
  references: string[];
}

export interface OutgoingMessage {
  /** Deterministic RFC 5322 Message-ID (with angle brackets) derived from enrollment and step: the exactly-once key. */
  messageId: string;
  from: Address;
  to: Address[];
  subject: string;
  html: string;
  text: string;
  /** Present for a follow-up in the previous email's thread. */
  thread?: ThreadRef;
  /** One-click unsubscribe (RFC 8058) when the team has the link on. */
  listUnsubscribe?: { url: string; mailto?: string };
}

export interface SentMessage {
  providerMessageId: string;
  threadId: string;
  messageId: string;
}

/** The newest message of an existing conversation: what a first email needs to reply inside it. */
export interface ThreadTip {
  /** The provider's own thread id (Gmail threadId, Graph conversationId). */
  threadId: string;
  /** Provider id of that message (Graph's createReply is called on it). */
  providerMessageId: string;
  /** Its RFC 5322 Message-ID, with angle brackets: becomes In-Reply-To. */
  messageId: string;
  /** Its subject as the mailbox has it: a reply must keep it for Gmail to thread it. */
  subject: string;
  /** Its own References, oldest first (empty when the provider does not show them). */
  references: string[];
}

export interface InboundRef {
  providerMessageId: string;
  threadId: string;
}

export interface Changes {
  messages: InboundRef[];
  /** Pass back on the next call. */
  cursor: string;
  /** True when the stored cursor had expired (Gmail 404, Graph 410) and the provider started again. */
  resynced: boolean;
}

/** A message's top-level header block alone, for the watcher's first, cheap look (no body is read). */
export interface MessageHeaders {
  providerMessageId: string;
  threadId: string;
  /** RFC 5322 header fields, `Name: value` lines joined by CRLF, ending with an empty line. */
  headerBlock: string;
}

/** One message of a conversation as the pre-send thread check sees it: who, which, no body. */
export interface ThreadMessage {
  providerMessageId: string;
  threadId: string;
  /** RFC 5322 Message-ID with angle brackets, when the provider shows it. */
  messageId?: string;
  /** Sender address, lower-cased. */
  from?: string;
  /** An unsent draft (the rep's), not part of the conversation yet. */
  draft: boolean;
}

export interface FetchedMessage {
  providerMessageId: string;
  threadId: string;
  /** The whole RFC 5322 message. */
  raw: string;
}

/** Thrown by providers; `kind` tells the runner whether to retry later or stop and tell the rep. */
export class MailError extends Error {
  override name = 'MailError';
  constructor(
    message: string,
    readonly kind: 'transient' | 'permanent' | 'auth' | 'not_connected',
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface MailProvider {
  readonly kind: 'gmail' | 'graph' | 'fake';
  readonly mailbox: string;
  send(message: OutgoingMessage): Promise<SentMessage>;
  /** The exactly-once check: was a message with this Message-ID already sent from this mailbox? */
  findByMessageId(messageId: string): Promise<SentMessage | null>;
  /**
   * What arrived since `cursor`, wherever the rep's filters or rules filed it (never what the rep sent or
   * drafted, nor spam or trash): Gmail's history of every added message, Graph's messages of every folder by
   * received time. Its cost does not depend on the number of watched threads.
   */
  changesSince(cursor: string | undefined): Promise<Changes>;
  /** The header block of a message, without its body: one small request. */
  getHeaders(providerMessageId: string): Promise<MessageHeaders>;
  getMessage(providerMessageId: string): Promise<FetchedMessage>;
  /**
   * Every message of a conversation, whatever label or folder holds it, oldest first (drafts flagged); empty
   * when the mailbox no longer has it. One request: the pre-send check asks it once per email sent.
   */
  threadMessages(threadId: string): Promise<ThreadMessage[]>;
  /**
   * The newest sent or received message (never a draft) of a conversation the rep already has, by the id the
   * mail client showed it under (Gmail's thread id, Outlook's conversation id); null when the mailbox has no
   * such conversation (deleted, or another mailbox's).
   */
  latestInThread(threadId: string): Promise<ThreadTip | null>;
  /**
   * Everyone on a conversation's messages (senders, To and Cc), once each, addresses lower-cased: where the
   * mail client shows people by name alone (Outlook, for the rep's colleagues). Graph only.
   */
  threadPeople?(threadId: string): Promise<Address[]>;
}
