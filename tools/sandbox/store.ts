/**
 * The sandbox's mailboxes: messages, threads, Gmail history and Graph change sequence, in memory.
 * HTTP shapes live in gmail-api.ts and graph-api.ts; this file only knows mail.
 */
import { randomBytes } from 'node:crypto';
import { normalizeSubject, parseMail, snippetOf, type ParsedMail } from './mime';

export type ProviderKind = 'gmail' | 'graph';
/** A well-known folder name (`inbox`, `sentitems`, `junkemail`...) or the key of a folder the user made. */
export type GraphFolder = string;

/** A Gmail filter (users.settings.filters): applied to each message as it arrives. */
export interface GmailFilter {
  id: string;
  criteria: { from?: string; to?: string; subject?: string };
  action: { addLabelIds?: string[]; removeLabelIds?: string[] };
}

/** An Outlook inbox rule (mailFolder.messageRules): applied in `sequence` order to each message as it arrives. */
export interface GraphRule {
  id: string;
  displayName: string;
  sequence: number;
  isEnabled: boolean;
  conditions: { fromAddresses?: Recipient[]; senderContains?: string[]; subjectContains?: string[] };
  actions: { moveToFolder?: string; stopProcessingRules?: boolean };
}

export interface Recipient {
  emailAddress: { address: string; name?: string };
}

/** What a Graph draft holds before Exchange turns it into MIME on send. */
export interface GraphDraft {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  internetMessageHeaders: { name: string; value: string }[];
  inReplyTo?: string;
  references: string[];
  importance: 'low' | 'normal' | 'high';
}

export interface StoredMessage {
  /** Gmail message id, or Graph immutable id. */
  id: string;
  /** Gmail threadId, or Graph conversationId. */
  threadId: string;
  raw: string;
  parsed: ParsedMail;
  labelIds: string[];
  internalDate: number;
  /** Gmail: the history id of the message's last change. */
  historyId: number;
  /** Graph: position in the mailbox's change sequence (delta). */
  changeSeq: number;
  /** Graph: the change that put it in its current folder (delta's changeType=created). */
  enteredSeq: number;
  folder: GraphFolder;
  /** Graph: bumped on every move, so REST ids change as Exchange's do (unless ImmutableId is asked for). */
  restVersion: number;
  isDraft: boolean;
  isRead: boolean;
  draft?: GraphDraft;
  createdAt: number;
  modifiedAt: number;
  sentAt?: number;
}

export interface HistoryRecord {
  id: number;
  messageId: string;
  labelIds: string[];
}

export class Mailbox {
  readonly messages: StoredMessage[] = [];
  readonly byId = new Map<string, StoredMessage>();
  readonly sentOrder: StoredMessage[] = [];
  readonly history: HistoryRecord[] = [];
  historyId: number;
  /** startHistoryId values below this answer 404. */
  historyFloor: number;
  changeSeq = 0;
  deltaGeneration = 1;
  inFlight = 0;
  maxInFlight = 0;
  /** Gmail filters and Outlook inbox rules, applied on arrival (mail-rules.ts). */
  readonly filters: GmailFilter[] = [];
  readonly rules: GraphRule[] = [];
  /** Graph folders the user made: key -> display name (well-known folders are in graph-shape.ts). */
  readonly folders = new Map<string, string>();

  constructor(
    readonly address: string,
    readonly provider: ProviderKind,
  ) {
    this.historyId = 1000 + Math.floor(Math.random() * 9000);
    this.historyFloor = this.historyId;
  }

  nextHistoryId(): number {
    // Real history ids grow with gaps; a provider that does arithmetic on them should break here too.
    this.historyId += 1 + Math.floor(Math.random() * 5);
    return this.historyId;
  }

  addHistory(msg: StoredMessage): void {
    const id = this.nextHistoryId();
    msg.historyId = id;
    this.history.push({ id, messageId: msg.id, labelIds: [...msg.labelIds] });
  }

  touch(msg: StoredMessage, now: number, entered = false): void {
    this.changeSeq += 1;
    msg.changeSeq = this.changeSeq;
    if (entered) msg.enteredSeq = this.changeSeq;
    msg.modifiedAt = now;
  }

  add(msg: StoredMessage): void {
    this.messages.push(msg);
    this.byId.set(msg.id, msg);
  }

  withMessageId(messageId: string): StoredMessage[] {
    const want = messageId.trim().replace(/^<?/, '<').replace(/>?$/, '>').toLowerCase();
    return this.messages.filter((m) => m.parsed.messageId?.toLowerCase() === want);
  }

  thread(threadId: string): StoredMessage[] {
    return this.messages.filter((m) => m.threadId === threadId);
  }

  /** The thread of the newest message named by In-Reply-To or References. */
  threadNamedBy(parsed: ParsedMail): string | undefined {
    const refs = [parsed.inReplyTo, ...[...parsed.references].reverse()].filter((r): r is string => !!r);
    for (const ref of refs) {
      const hit = this.withMessageId(ref)[0];
      if (hit) return hit.threadId;
    }
    return undefined;
  }

  /** Gmail's rule: the given thread, subject matching, and In-Reply-To/References naming a message in it. */
  gmailThreadAccepts(threadId: string, parsed: ParsedMail): boolean {
    const thread = this.thread(threadId);
    const subject = normalizeSubject(parsed.subject);
    const ids = new Set(thread.map((m) => m.parsed.messageId?.toLowerCase()));
    const refs = [parsed.inReplyTo, ...parsed.references].filter((r): r is string => !!r);
    return (
      thread.some((m) => normalizeSubject(m.parsed.subject) === subject) &&
      refs.some((r) => ids.has(r.toLowerCase()))
    );
  }
}

export function gmailId(): string {
  // Gmail ids are 16 lowercase hex digits.
  return '1' + randomBytes(8).toString('hex').slice(1);
}

export function graphId(prefix: string): string {
  return prefix + randomBytes(33).toString('base64url');
}

export async function newStoredMessage(
  raw: string,
  init: Partial<StoredMessage> & { id: string; threadId: string; labelIds: string[]; folder: GraphFolder },
  now: number,
): Promise<StoredMessage> {
  const parsed = await parseMail(raw);
  return {
    raw,
    parsed,
    internalDate: now,
    historyId: 0,
    changeSeq: 0,
    enteredSeq: 0,
    restVersion: 1,
    isDraft: false,
    isRead: false,
    createdAt: now,
    modifiedAt: now,
    ...init,
  };
}

/** Enough of a body for a 200-character snippet: a stranger's megabytes of unclosed tags stay cheap. */
export const SNIPPET_SOURCE_CHARS = 20_000;

export function snippet(msg: StoredMessage): string {
  const html = (msg.parsed.html ?? '').slice(0, SNIPPET_SOURCE_CHARS);
  return snippetOf(msg.parsed.text.slice(0, SNIPPET_SOURCE_CHARS) || html.replace(/<[^>]*>/g, ' '));
}
