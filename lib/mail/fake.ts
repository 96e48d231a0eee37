import PostalMime from 'postal-mime';
import { buildMime } from './mime';
import {
  MailError,
  type Changes,
  type FetchedMessage,
  type MailProvider,
  type OutgoingMessage,
  type SentMessage,
  type MessageHeaders,
  type ThreadMessage,
  type ThreadTip,
} from './provider';

/** A message as the fake mailbox holds it. */
export interface FakeMessage {
  providerMessageId: string;
  threadId: string;
  messageId: string;
  direction: 'sent' | 'inbound';
  raw: string;
  /** Set for sent messages: what the runner asked for. */
  outgoing?: OutgoingMessage;
  /** Sender address, lower-cased. */
  from?: string;
  at: number;
}

export interface InboundInput {
  from: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

export interface FakeMailProvider extends MailProvider {
  readonly kind: 'fake';
  /** Every message sent, in order; a step sent twice shows up twice. */
  readonly sent: readonly FakeMessage[];
  readonly inbox: readonly FakeMessage[];
  /** Delivers a message to the mailbox (raw RFC 5322, or a short form); threads it by In-Reply-To/References. */
  inject(message: string | InboundInput): Promise<FakeMessage>;
  /**
   * The next call of `method` throws `error` (once per call of failNext): a MailError as a provider reports
   * the service's answer, or any other error, as a defect in a provider would throw.
   */
  failNext(
    method:
      | 'send'
      | 'findByMessageId'
      | 'changesSince'
      | 'getHeaders'
      | 'getMessage'
      | 'threadMessages'
      | 'latestInThread',
    error: Error,
  ): void;
  /** Every cursor handed out so far becomes invalid, as an expired Gmail history id or Graph delta link. */
  expireCursors(): void;
}

/**
 * An in-memory mailbox with the MailProvider semantics: ids are deterministic (a counter per mailbox), a
 * follow-up reuses its thread's id, and changesSince reports inbound mail only, from a cursor.
 */
export function createFakeMailProvider(options: { mailbox: string; clock?: () => number }): FakeMailProvider {
  const clock = options.clock ?? (() => 0);
  const sent: FakeMessage[] = [];
  const inbox: FakeMessage[] = [];
  const failures = new Map<string, Error[]>();
  let counter = 0;
  let epoch = 0;

  const nextId = (prefix: string) => `${prefix}-${String(++counter).padStart(6, '0')}`;
  const all = () => [...sent, ...inbox];
  const cursorOf = (position: number) => `${epoch}:${position}`;

  function maybeFail(method: string): void {
    const error = failures.get(method)?.shift();
    if (error) throw error;
  }

  function threadOf(ids: (string | undefined)[]): string | undefined {
    for (const id of [...ids].reverse()) {
      const match = id && all().find((m) => m.messageId === id);
      if (match) return match.threadId;
    }
    return undefined;
  }

  const provider: FakeMailProvider = {
    kind: 'fake',
    mailbox: options.mailbox,
    sent,
    inbox,

    async send(message) {
      maybeFail('send');
      if (message.thread && !all().some((m) => m.threadId === message.thread?.threadId)) {
        throw new MailError(
          `fake: no thread ${message.thread.threadId} in ${options.mailbox}`,
          'permanent',
          404,
        );
      }
      const at = clock();
      const stored: FakeMessage = {
        providerMessageId: nextId('msg'),
        threadId: message.thread?.threadId ?? nextId('thread'),
        messageId: message.messageId,
        direction: 'sent',
        raw: buildMime(message, at),
        outgoing: message,
        from: options.mailbox.toLowerCase(),
        at,
      };
      sent.push(stored);
      return {
        providerMessageId: stored.providerMessageId,
        threadId: stored.threadId,
        messageId: stored.messageId,
      };
    },

    async findByMessageId(messageId): Promise<SentMessage | null> {
      maybeFail('findByMessageId');
      const found = sent.find((m) => m.messageId === messageId);
      return found
        ? { providerMessageId: found.providerMessageId, threadId: found.threadId, messageId }
        : null;
    },

    async changesSince(cursor): Promise<Changes> {
      maybeFail('changesSince');
      if (cursor === undefined) return { messages: [], cursor: cursorOf(inbox.length), resynced: false };
      const [cursorEpoch, position] = cursor.split(':').map(Number);
      if (
        cursorEpoch !== epoch ||
        position === undefined ||
        !Number.isInteger(position) ||
        position > inbox.length
      ) {
        // As the real providers: start again and report the mailbox's inbound mail so nothing is lost.
        return { messages: inbox.map(ref), cursor: cursorOf(inbox.length), resynced: true };
      }
      return { messages: inbox.slice(position).map(ref), cursor: cursorOf(inbox.length), resynced: false };
    },

    async getMessage(providerMessageId): Promise<FetchedMessage> {
      maybeFail('getMessage');
      const found = all().find((m) => m.providerMessageId === providerMessageId);
      if (!found) throw new MailError(`fake: no message ${providerMessageId}`, 'permanent', 404);
      return { providerMessageId, threadId: found.threadId, raw: found.raw };
    },

    async getHeaders(providerMessageId): Promise<MessageHeaders> {
      maybeFail('getHeaders');
      const found = all().find((m) => m.providerMessageId === providerMessageId);
      if (!found) throw new MailError(`fake: no message ${providerMessageId}`, 'permanent', 404);
      // The header block ends at the first empty line; only a bounded prefix is looked at, as a real API would.
      const head = found.raw.slice(0, 256 * 1024);
      const end = head.search(/\r?\n\r?\n/);
      return {
        providerMessageId,
        threadId: found.threadId,
        headerBlock: (end < 0 ? head : head.slice(0, end)) + '\r\n\r\n',
      };
    },

    async threadMessages(threadId): Promise<ThreadMessage[]> {
      maybeFail('threadMessages');
      return all()
        .filter((m) => m.threadId === threadId)
        .sort((a, b) => a.at - b.at || a.providerMessageId.localeCompare(b.providerMessageId))
        .map((m) => ({
          providerMessageId: m.providerMessageId,
          threadId,
          messageId: m.messageId,
          ...(m.from ? { from: m.from } : {}),
          draft: false,
        }));
    },

    async latestInThread(threadId): Promise<ThreadTip | null> {
      maybeFail('latestInThread');
      const newest = all()
        .filter((m) => m.threadId === threadId)
        .sort((a, b) => a.at - b.at || a.providerMessageId.localeCompare(b.providerMessageId))
        .at(-1);
      if (!newest) return null;
      const parsed = await PostalMime.parse(newest.raw);
      return {
        threadId,
        providerMessageId: newest.providerMessageId,
        messageId: newest.messageId,
        subject: parsed.subject ?? '',
        references: parsed.references?.split(/\s+/).filter(Boolean) ?? [],
      };
    },

    async inject(input) {
      const at = clock();
      let raw: string;
      let messageId: string;
      let parents: (string | undefined)[];
      let from: string | undefined;
      if (typeof input === 'string') {
        raw = input;
        const parsed = await PostalMime.parse(raw);
        from = parsed.from?.address?.toLowerCase();
        messageId = parsed.messageId ?? `<${nextId('inbound')}@fake.invalid>`;
        parents = [...(parsed.references?.split(/\s+/) ?? []), parsed.inReplyTo];
      } else {
        messageId = input.messageId ?? `<${nextId('inbound')}@fake.invalid>`;
        from = parseAddress(input.from).address.toLowerCase();
        const references = input.references ?? (input.inReplyTo ? [input.inReplyTo] : []);
        parents = [...references, input.inReplyTo];
        const lastParent = input.inReplyTo ?? references.at(-1);
        raw = buildMime(
          {
            messageId,
            from: parseAddress(input.from),
            to: [{ address: options.mailbox }],
            subject: input.subject,
            text: input.text,
            html: input.html ?? '',
            ...(lastParent
              ? { thread: { threadId: '', lastProviderMessageId: '', lastMessageId: lastParent, references } }
              : {}),
          },
          at,
          { subjectAsIs: true },
        );
      }
      const stored: FakeMessage = {
        providerMessageId: nextId('msg'),
        threadId: threadOf(parents) ?? nextId('thread'),
        messageId,
        direction: 'inbound',
        raw,
        ...(from ? { from } : {}),
        at,
      };
      inbox.push(stored);
      return stored;
    },

    failNext(method, error) {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },

    expireCursors() {
      epoch++;
    },
  };
  return provider;
}

const ref = (m: FakeMessage) => ({ providerMessageId: m.providerMessageId, threadId: m.threadId });

/** "Name <a@b>" or "a@b". */
function parseAddress(text: string): { address: string; name?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(text);
  if (!match) return { address: text.trim() };
  return match[1] ? { address: match[2] ?? '', name: match[1] } : { address: match[2] ?? '' };
}
