import { z } from 'zod';
import { bytesToBase64Url, decodeBase64UrlUtf8 } from '../base64';
import { buildUrl, createHttpClient, segment, type RestProviderOptions } from '../http';
import { headerBlockOf, senderAddress } from '../headers';
import { buildMime } from '../mime';
import { sendOnce } from '../send-once';
import {
  MailError,
  type Changes,
  type FetchedMessage,
  type InboundRef,
  type MailProvider,
  type MessageHeaders,
  type ThreadMessage,
  type OutgoingMessage,
  type SentMessage,
  type ThreadTip,
} from '../provider';

// Gmail API v1, as described by tests/fixtures/reference/gmail-v1.json (gmail.test.ts checks every URL against it).

export const GMAIL_BASE_URL = 'https://gmail.googleapis.com/gmail/v1';

/**
 * After an expired history id (404) we list the last week's mail, wherever filters put it: Gmail keeps history
 * about that long. messages.list leaves out spam and trash unless asked; sent mail and drafts are not news.
 */
export const RESYNC_QUERY = 'newer_than:7d -in:sent -in:drafts';
/** Added messages carrying any of these labels are the rep's own or unwanted, never a contact's reply. */
const NOT_INBOUND = new Set(['SENT', 'DRAFT', 'SPAM', 'TRASH']);
const RESYNC_MAX_MESSAGES = 500;
const MAX_HISTORY_PAGES = 50;

const MessageRef = z.object({ id: z.string(), threadId: z.string() });
const SentResponse = z.object({
  id: z.string(),
  threadId: z.string(),
  labelIds: z.array(z.string()).optional(),
});
const ListResponse = z.object({
  messages: z.array(MessageRef.extend({ threadId: z.string().optional() })).optional(),
  nextPageToken: z.string().optional(),
  resultSizeEstimate: z.number().optional(),
});
const MetadataResponse = z.object({ id: z.string(), threadId: z.string() });
const RawResponse = z.object({ id: z.string(), threadId: z.string(), raw: z.string() });
const ThreadResponse = z.object({
  id: z.string(),
  messages: z
    .array(
      z.object({
        id: z.string(),
        threadId: z.string(),
        labelIds: z.array(z.string()).optional(),
        payload: z
          .object({ headers: z.array(z.object({ name: z.string(), value: z.string() })).optional() })
          .optional(),
      }),
    )
    .optional(),
});
const HeadersResponse = z.object({
  id: z.string(),
  threadId: z.string(),
  payload: z
    .object({ headers: z.array(z.object({ name: z.string(), value: z.string() })).optional() })
    .optional(),
});
/** The headers a reply in the thread needs: threads.get with format=metadata returns only these. */
const TIP_HEADERS = ['Message-ID', 'Subject', 'References'];
const Profile = z.object({ emailAddress: z.string().optional(), historyId: z.string() });
const HistoryResponse = z.object({
  history: z
    .array(
      z.object({
        id: z.string(),
        messagesAdded: z
          .array(z.object({ message: MessageRef.extend({ labelIds: z.array(z.string()).optional() }) }))
          .optional(),
      }),
    )
    .optional(),
  historyId: z.string(),
  nextPageToken: z.string().optional(),
});

export interface GmailProviderOptions extends RestProviderOptions {
  /** Default https://gmail.googleapis.com/gmail/v1; the sandbox's `gmailBase` in tests. */
  baseUrl?: string;
}

export function createGmailProvider(options: GmailProviderOptions): MailProvider {
  const base = options.baseUrl ?? GMAIL_BASE_URL;
  const maxAttempts = options.maxAttempts ?? 5;
  const http = createHttpClient({ ...options, service: 'Gmail', maxAttempts });
  const { signal } = options;
  const url = (path: string, query?: Parameters<typeof buildUrl>[2]) => buildUrl(base, path, query);
  const profile = () =>
    http.request({ method: 'GET', url: url('users/me/profile'), expect: 'json', schema: Profile, signal });

  async function findByMessageId(messageId: string): Promise<SentMessage | null> {
    // rfc822msgid matches the Message-ID header exactly; trash included, since a sent mail the rep deleted was still sent.
    const list = await http.request({
      method: 'GET',
      url: url('users/me/messages', {
        q: `rfc822msgid:${messageId.replace(/^<|>$/g, '')}`,
        includeSpamTrash: true,
        maxResults: 10,
      }),
      expect: 'json',
      schema: ListResponse,
      signal,
    });
    const found = list.messages?.[0];
    if (!found) return null;
    // messages.list documents id and threadId on each entry; ask messages.get only if threadId is missing.
    const threadId =
      found.threadId ??
      (
        await http.request({
          method: 'GET',
          url: url(`users/me/messages/${segment(found.id)}`, {
            format: 'metadata',
            metadataHeaders: ['Message-ID'],
          }),
          expect: 'json',
          schema: MetadataResponse,
          signal,
        })
      ).threadId;
    return { providerMessageId: found.id, threadId, messageId };
  }

  async function send(message: OutgoingMessage): Promise<SentMessage> {
    const raw = bytesToBase64Url(new TextEncoder().encode(buildMime(message, options.clock())));
    const body = message.thread ? { raw, threadId: message.thread.threadId } : { raw };
    return sendOnce(
      async () => {
        const sent = await http.request({
          method: 'POST',
          url: url('users/me/messages/send'),
          body,
          expect: 'json',
          schema: SentResponse,
          idempotent: false,
          signal,
        });
        return { providerMessageId: sent.id, threadId: sent.threadId, messageId: message.messageId };
      },
      () => findByMessageId(message.messageId),
      { maxAttempts, sleep: options.sleep, signal },
    );
  }

  async function changesSince(cursor: string | undefined): Promise<Changes> {
    if (cursor === undefined) return { messages: [], cursor: (await profile()).historyId, resynced: false };
    try {
      return await historySince(cursor);
    } catch (error) {
      if (error instanceof MailError && error.status === 404) return resync();
      throw error;
    }
  }

  async function historySince(startHistoryId: string): Promise<Changes> {
    const seen = new Map<string, InboundRef>();
    let pageToken: string | undefined;
    let cursor = startHistoryId;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const response = await http.request({
        method: 'GET',
        url: url('users/me/history', {
          startHistoryId,
          // No labelId: a reply a filter archived ("skip the Inbox") or labelled is news too.
          historyTypes: ['messageAdded'],
          pageToken,
        }),
        expect: 'json',
        schema: HistoryResponse,
        signal,
      });
      for (const record of response.history ?? []) {
        for (const { message } of record.messagesAdded ?? []) {
          if (message.labelIds?.some((l) => NOT_INBOUND.has(l))) continue;
          seen.set(message.id, { providerMessageId: message.id, threadId: message.threadId });
        }
        cursor = record.id;
      }
      pageToken = response.nextPageToken;
      if (!pageToken) return { messages: [...seen.values()], cursor: response.historyId, resynced: false };
    }
    // A flood of history: stop here and carry on from the last record read on the next cycle.
    return { messages: [...seen.values()], cursor, resynced: false };
  }

  /** The history id expired: take a fresh one, then list recent mail so nothing that arrived in the gap is lost. */
  async function resync(): Promise<Changes> {
    const { historyId } = await profile();
    const messages: InboundRef[] = [];
    let pageToken: string | undefined;
    do {
      const list = await http.request({
        method: 'GET',
        url: url('users/me/messages', {
          q: RESYNC_QUERY,
          maxResults: 100,
          pageToken,
        }),
        expect: 'json',
        schema: ListResponse,
        signal,
      });
      for (const m of list.messages ?? []) {
        if (m.threadId) messages.push({ providerMessageId: m.id, threadId: m.threadId });
      }
      pageToken = list.nextPageToken;
    } while (pageToken && messages.length < RESYNC_MAX_MESSAGES);
    return { messages, cursor: historyId, resynced: true };
  }

  async function getMessage(providerMessageId: string): Promise<FetchedMessage> {
    const message = await http.request({
      method: 'GET',
      url: url(`users/me/messages/${segment(providerMessageId)}`, { format: 'raw' }),
      expect: 'json',
      schema: RawResponse,
      signal,
    });
    return {
      providerMessageId: message.id,
      threadId: message.threadId,
      raw: decodeBase64UrlUtf8(message.raw),
    };
  }

  async function getHeaders(providerMessageId: string): Promise<MessageHeaders> {
    // format=metadata without metadataHeaders returns every header of the message and no body.
    const message = await http.request({
      method: 'GET',
      url: url(`users/me/messages/${segment(providerMessageId)}`, { format: 'metadata' }),
      expect: 'json',
      schema: HeadersResponse,
      signal,
    });
    return {
      providerMessageId: message.id,
      threadId: message.threadId,
      headerBlock: headerBlockOf(message.payload?.headers ?? []),
    };
  }

  async function threadMessages(threadId: string): Promise<ThreadMessage[]> {
    let thread: z.infer<typeof ThreadResponse>;
    try {
      thread = await http.request({
        method: 'GET',
        url: url(`users/me/threads/${segment(threadId)}`, {
          format: 'metadata',
          metadataHeaders: ['From', 'Message-ID'],
        }),
        expect: 'json',
        schema: ThreadResponse,
        signal,
      });
    } catch (error) {
      if (error instanceof MailError && error.status === 404) return [];
      throw error;
    }
    // Every message of the thread whatever its labels (archived, filed, starred): threads.get lists them oldest first.
    return (thread.messages ?? []).map((m) => {
      const header = (name: string) =>
        m.payload?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value.trim();
      const messageId = header('Message-ID')?.match(/<[^<>\s]+>/)?.[0];
      const from = senderAddress(header('From'));
      return {
        providerMessageId: m.id,
        threadId: m.threadId,
        ...(messageId ? { messageId } : {}),
        ...(from ? { from } : {}),
        draft: m.labelIds?.includes('DRAFT') ?? false,
      };
    });
  }

  async function latestInThread(threadId: string): Promise<ThreadTip | null> {
    let thread: z.infer<typeof ThreadResponse>;
    try {
      thread = await http.request({
        method: 'GET',
        url: url(`users/me/threads/${segment(threadId)}`, {
          format: 'metadata',
          metadataHeaders: TIP_HEADERS,
        }),
        expect: 'json',
        schema: ThreadResponse,
        signal,
      });
    } catch (error) {
      if (error instanceof MailError && error.status === 404) return null;
      throw error;
    }
    // threads.get lists the messages oldest first; a draft of the rep's is not part of the conversation yet.
    for (const message of [...(thread.messages ?? [])].reverse()) {
      if (message.labelIds?.includes('DRAFT')) continue;
      const header = (name: string) =>
        message.payload?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value.trim();
      const messageId = header('Message-ID');
      if (!messageId) continue;
      return {
        threadId: message.threadId,
        providerMessageId: message.id,
        messageId,
        subject: header('Subject') ?? '',
        references: header('References')?.match(/<[^<>\s]+>/g) ?? [],
      };
    }
    return null;
  }

  return {
    kind: 'gmail',
    mailbox: options.mailbox,
    send,
    findByMessageId,
    changesSince,
    getHeaders,
    getMessage,
    threadMessages,
    latestInThread,
  };
}
