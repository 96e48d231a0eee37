import { z } from 'zod';
import { buildUrl, createHttpClient, segment, type RestProviderOptions } from '../http';
import { headerBlockOf } from '../headers';
import { followUpSubject } from '../mime';
import {
  MailError,
  type Address,
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
import { limitConcurrency, semaphoreFor } from '../semaphore';
import { sendOnce } from '../send-once';

// Microsoft Graph v1.0 mail, as in tests/fixtures/reference/graph-mail-operations.json (graph.test.ts checks it).
// Watching: see changesSince (a filtered list across folders; Graph's delta covers one folder only).

export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
/** Outlook allows 4 concurrent requests per app and mailbox. */
export const GRAPH_MAX_CONCURRENCY = 4;
/** Our Message-ID, also as a header of our own: lets the reply watcher recognise our sends. */
export const THREADLINE_HEADER = 'X-Threadline-Id';
/** Ids that stay the same when a message moves (Drafts to Sent Items), so the id we keep stays valid. */
const PREFER_IMMUTABLE = 'IdType="ImmutableId"';
/** Folders whose mail is never a contact's news, by Graph's well-known names. */
const SKIPPED_FOLDERS = ['sentitems', 'drafts', 'deleteditems', 'junkemail', 'outbox'];
const RECEIVED_PAGE = 50;
const MAX_RECEIVED_PAGES = 20;
/** How far back each cycle looks again before its cursor: a message can show up a little after its stamp. */
export const RECEIVED_OVERLAP_MS = 5 * 60 * 1000;
/** A cursor of an older form is replaced by a look this far back, so nothing that arrived meanwhile is lost. */
export const RESYNC_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Enough of a conversation's newest messages to reach our last email in it. */
const THREAD_PAGE = 50;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const Draft = z.object({
  id: z.string(),
  conversationId: z.string(),
  internetMessageId: z.string().nullish(),
});
const Found = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      internetMessageId: z.string().nullish(),
      isDraft: z.boolean().nullish(),
    }),
  ),
});
const ReceivedPage = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string().nullish(),
      receivedDateTime: z.string().nullish(),
      parentFolderId: z.string().nullish(),
      isDraft: z.boolean().nullish(),
    }),
  ),
  '@odata.nextLink': z.string().optional(),
});
type ReceivedItem = z.infer<typeof ReceivedPage>['value'][number];
const FolderId = z.object({ id: z.string() });
const CURSOR_PREFIX = 'received:';
/**
 * t: the newest receivedDateTime read. k: the ids read at or after the time the next cycle starts from.
 * f: set after a cycle that ran out of pages: the next one starts there (the last time it read), never further
 * back, so a flood is read on instead of again. s: how many messages at exactly f were already read, skipped
 * with $skip (only a flood of more than a cycle's pages within one second needs it). x: the ids of the folders
 * left out, kept so a cycle needs no look-up of its own.
 */
const ReceivedCursor = z.object({
  t: z.number(),
  k: z.array(z.string()).max(10_000),
  f: z.number().optional(),
  s: z.number().int().nonnegative().optional(),
  x: z.array(z.string()).max(SKIPPED_FOLDERS.length).optional(),
});
type CursorState = z.infer<typeof ReceivedCursor>;
/** Ids kept in the cursor, at most: more than one cycle reads (20 pages of 50), so a complete round never exceeds it. */
const MAX_KNOWN_IDS = 2_000;
const HeadersOnly = z.object({
  id: z.string(),
  conversationId: z.string(),
  internetMessageHeaders: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
});
const ConversationPage = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      internetMessageId: z.string().nullish(),
      isDraft: z.boolean().nullish(),
      from: z.object({ emailAddress: z.object({ address: z.string().nullish() }).nullish() }).nullish(),
    }),
  ),
});
const Newest = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      internetMessageId: z.string().nullish(),
      subject: z.string().nullish(),
      isDraft: z.boolean().nullish(),
    }),
  ),
});
/**
 * Graph refuses $orderby on a property that $filter does not name first ("InefficientFilter"); a clause that
 * every message passes puts receivedDateTime there, as Microsoft's guidance for filter plus orderby says.
 */
const EVERY_MESSAGE = 'receivedDateTime ge 1900-01-01T00:00:00Z';
/** Enough newest messages to get past the rep's unsent drafts of a reply. */
const NEWEST_PAGE = 10;
const ConversationOnly = z.object({ id: z.string(), conversationId: z.string() });
/** A conversation's newest messages whose people are listed: enough for any thread a rep reads. */
const PEOPLE_PAGE = 50;
const Recipient = z.object({
  emailAddress: z.object({ address: z.string().nullish(), name: z.string().nullish() }).nullish(),
});
const PeoplePage = z.object({
  value: z.array(
    z.object({
      from: Recipient.nullish(),
      toRecipients: z.array(Recipient).nullish(),
      ccRecipients: z.array(Recipient).nullish(),
    }),
  ),
});

export interface GraphProviderOptions extends RestProviderOptions {
  /** Default https://graph.microsoft.com/v1.0; the sandbox's `graphBase` in tests. */
  baseUrl?: string;
  /** Default 4, Outlook's own limit; shared by every provider of the same mailbox in this context. */
  maxConcurrency?: number;
}

const recipients = (to: Address[]) =>
  to.map((a) => ({ emailAddress: a.name ? { address: a.address, name: a.name } : { address: a.address } }));

/** An OData string literal: single quotes doubled. */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

export function createGraphProvider(options: GraphProviderOptions): MailProvider {
  const base = options.baseUrl ?? GRAPH_BASE_URL;
  const baseOrigin = new URL(base).origin;
  const maxAttempts = options.maxAttempts ?? 5;
  const http = createHttpClient({
    ...options,
    service: 'Microsoft Graph',
    maxAttempts,
    fetch: limitConcurrency(
      options.fetch,
      semaphoreFor(
        `${baseOrigin}|${options.mailbox.toLowerCase()}`,
        options.maxConcurrency ?? GRAPH_MAX_CONCURRENCY,
      ),
    ),
    headers: { Prefer: PREFER_IMMUTABLE },
  });
  const { signal } = options;
  const url = (path: string, query?: Parameters<typeof buildUrl>[2]) => buildUrl(base, path, query);

  async function findByMessageId(messageId: string): Promise<SentMessage | null> {
    const found = await http.request({
      method: 'GET',
      url: url('me/messages', {
        $filter: `internetMessageId eq ${odataString(messageId)}`,
        $select: 'id,conversationId,internetMessageId,isDraft',
      }),
      expect: 'json',
      schema: Found,
      signal,
    });
    // A draft left by a send that failed half-way was not sent: only a non-draft counts.
    const sent = found.value.find((m) => m.isDraft !== true);
    return sent ? { providerMessageId: sent.id, threadId: sent.conversationId, messageId } : null;
  }

  /** A draft carrying our Message-ID: a new message, or a reply in the thread with recipients set explicitly. */
  async function createDraft(message: OutgoingMessage): Promise<z.infer<typeof Draft>> {
    const body = { contentType: 'HTML', content: message.html || message.text };
    if (!message.thread) {
      // POST /me/messages creates a draft; internetMessageId is writable while isDraft is true.
      return http.request({
        method: 'POST',
        url: url('me/messages'),
        body: {
          subject: message.subject,
          body,
          toRecipients: recipients(message.to),
          internetMessageId: message.messageId,
          internetMessageHeaders: [{ name: THREADLINE_HEADER, value: message.messageId }],
        },
        expect: 'json',
        schema: Draft,
        // Repeating it at worst leaves a spare draft; it sends nothing.
        idempotent: true,
        signal,
      });
    }
    // createReply threads the draft (In-Reply-To, References, conversation); naming the recipients keeps it
    // from replying to ourselves (when our own message is the last one) or to everyone.
    const reply = await http.request({
      method: 'POST',
      url: url(`me/messages/${segment(message.thread.lastProviderMessageId)}/createReply`),
      body: { message: { toRecipients: recipients(message.to) } },
      expect: 'json',
      schema: Draft,
      idempotent: true,
      signal,
    });
    return http.request({
      method: 'PATCH',
      url: url(`me/messages/${segment(reply.id)}`),
      body: {
        subject: followUpSubject(message.subject),
        body,
        toRecipients: recipients(message.to),
        internetMessageId: message.messageId,
      },
      expect: 'json',
      schema: Draft,
      signal,
    });
  }

  async function send(message: OutgoingMessage): Promise<SentMessage> {
    const draft = await createDraft(message);
    if (draft.internetMessageId && draft.internetMessageId !== message.messageId) {
      // Without our Message-ID the exactly-once look-up could not find this mail: better not send it.
      throw new MailError(
        `Microsoft Graph replaced the Message-ID ${message.messageId} with ${draft.internetMessageId}; not sending`,
        'permanent',
      );
    }
    return sendOnce(
      async () => {
        await http.request({
          method: 'POST',
          url: url(`me/messages/${segment(draft.id)}/send`),
          expect: 'none',
          idempotent: false,
          signal,
        });
        return { providerMessageId: draft.id, threadId: draft.conversationId, messageId: message.messageId };
      },
      () => findByMessageId(message.messageId),
      { maxAttempts, sleep: options.sleep, signal },
    );
  }

  /**
   * The ids of the folders whose mail is never a contact's news (Sent Items, Drafts, Deleted Items, Junk,
   * Outbox), asked once per provider by their well-known names.
   */
  let skippedFolders: Promise<Set<string>> | undefined;
  function foldersToSkip(): Promise<Set<string>> {
    skippedFolders ??= Promise.all(
      SKIPPED_FOLDERS.map((name) =>
        http
          .request({
            method: 'GET',
            url: url(`me/mailFolders/${name}`, { $select: 'id' }),
            expect: 'json',
            schema: FolderId,
            signal,
          })
          .then((f) => f.id),
      ),
    ).then(
      (ids) => new Set(ids),
      (error: unknown) => {
        skippedFolders = undefined;
        throw error;
      },
    );
    return skippedFolders;
  }

  /**
   * Messages received at or after `since`, in every folder but the skipped ones, oldest first: one filtered
   * list, whatever the number of folders or watched threads. The skipped folders are left out by the server
   * (receivedDateTime first, as Graph requires of a property it sorts by), so the rep's own sent mail never
   * fills the pages. Stops after MAX_RECEIVED_PAGES; the caller carries on from the last time read.
   */
  async function receivedSince(
    since: number,
    skip: number,
    skipped: readonly string[],
  ): Promise<{ items: ReceivedItem[]; complete: boolean }> {
    const items: ReceivedItem[] = [];
    const outside = skipped.map((id) => ` and parentFolderId ne ${odataString(id)}`).join('');
    let link = url('me/messages', {
      $filter: `receivedDateTime ge ${isoSeconds(since)}${outside}`,
      $orderby: 'receivedDateTime asc',
      $top: RECEIVED_PAGE,
      $skip: skip > 0 ? skip : undefined,
      $select: 'id,conversationId,receivedDateTime,parentFolderId,isDraft',
    });
    for (let page = 0; page < MAX_RECEIVED_PAGES; page++) {
      const response = await http.request({
        method: 'GET',
        url: sameOrigin(link),
        expect: 'json',
        schema: ReceivedPage,
        signal,
      });
      items.push(...response.value);
      const next = response['@odata.nextLink'];
      if (!next) return { items, complete: true };
      link = next;
    }
    return { items, complete: false };
  }

  /** A stored link is only ever followed on Graph's own origin: the bearer token goes with it. */
  function sameOrigin(link: string): string {
    let origin: string;
    try {
      origin = new URL(link).origin;
    } catch {
      throw new MailError(`Microsoft Graph: "${link.slice(0, 80)}" is not a link`, 'permanent');
    }
    if (origin !== baseOrigin)
      throw new MailError(`Microsoft Graph: a next link points to ${origin}`, 'permanent');
    return link;
  }

  /**
   * Graph has no delta over a whole mailbox (only per folder), and rules can file mail into any folder, nested
   * ones too; so each cycle lists the mailbox's messages received since the cursor, across all folders but the
   * skipped ones, with one filtered request (more only for a flood). The cursor holds the newest
   * receivedDateTime read and the ids read since the next cycle's starting time: a complete cycle looks
   * RECEIVED_OVERLAP_MS back again (a message can become visible a little after its stamp) and reports only ids
   * it had not read. A cycle that ran out of pages leaves the next one to start at the last time it read, so a
   * flood of any size is read through once, never from its start again. Times are the server's, never our clock's.
   */
  async function changesSince(cursor: string | undefined): Promise<Changes> {
    if (cursor === undefined) return startingPoint();
    const state = readCursor(cursor);
    // A cursor of another form (an Inbox delta link kept by an older version) starts again a week back, as
    // after an expiry, so nothing filed meanwhile is lost (callers skip what they have seen).
    const resynced = state === undefined;
    const newest = state?.t ?? options.clock() - RESYNC_WINDOW_MS;
    const from = state ? startOf(state) : newest;
    const skip = state && state.f === from ? (state.s ?? 0) : 0;
    const known = new Set(state?.k ?? []);
    const skipped = state?.x ?? [...(await foldersToSkip())];
    const round = await receivedSince(from, skip, skipped);
    const messages: InboundRef[] = [];
    for (const m of round.items) {
      if (known.has(m.id) || m.isDraft === true || !m.conversationId) continue;
      // The server already leaves these folders out; a message moved meanwhile is checked again here.
      if (m.parentFolderId && skipped.includes(m.parentFolderId)) continue;
      messages.push({ providerMessageId: m.id, threadId: m.conversationId });
    }
    const next = round.complete
      ? afterComplete(newest, state?.f, round.items, from === state?.f ? { skip, known } : undefined)
      : afterIncomplete(newest, from, skip, known, round.items);
    return { messages, cursor: writeCursor({ ...next, x: skipped }), resynced };
  }

  /** Where a cycle starts: RECEIVED_OVERLAP_MS before the newest time read, but never before a flood's read part. */
  const startOf = (state: CursorState) =>
    state.f === undefined ? state.t - RECEIVED_OVERLAP_MS : Math.max(state.t - RECEIVED_OVERLAP_MS, state.f);

  /** Every message from the start time was read: the next cycle looks back from the newest one. */
  function afterComplete(
    previous: number,
    floor: number | undefined,
    items: readonly ReceivedItem[],
    /** This round started at the floor, passing over `skip` messages there, read before (`known`). */
    atFloor?: { skip: number; known: ReadonlySet<string> },
  ) {
    const t = Math.max(previous, ...items.map((m) => timeOf(m) ?? previous));
    // A flood's floor stays until the look-back passes it: behind it lie ids no longer kept.
    const f = floor !== undefined && floor > t - RECEIVED_OVERLAP_MS ? floor : undefined;
    const since = f === undefined ? t - RECEIVED_OVERLAP_MS : Math.max(t - RECEIVED_OVERLAP_MS, f);
    const read = items.filter((m) => (timeOf(m) ?? t) >= since).map((m) => m.id);
    if (f === undefined) return { t, k: read.slice(-MAX_KNOWN_IDS) };
    // Still starting at the floor next time: what was passed over there stays passed over, and known.
    const passed = atFloor && atFloor.skip > 0 ? atFloor : undefined;
    const k = passed ? [...new Set([...passed.known, ...read])] : read;
    const s = (passed?.skip ?? 0) + items.filter((m) => timeOf(m) === f).length;
    return { t, k: k.slice(-MAX_KNOWN_IDS), f, ...(s > 0 ? { s } : {}) };
  }

  /**
   * The pages ran out before the list did: the next cycle starts at the last time read, knowing the ids read at
   * that time (ties within a second), and skips by position only when the whole round was that one second.
   */
  function afterIncomplete(
    previous: number,
    from: number,
    skip: number,
    known: ReadonlySet<string>,
    items: readonly ReceivedItem[],
  ) {
    const last = timeOf(items.at(-1)) ?? from;
    const f = Math.max(from, last);
    const atLast = items.filter((m) => (timeOf(m) ?? f) >= f).map((m) => m.id);
    const sameSecond = f === from;
    const k = sameSecond ? [...new Set([...known, ...atLast])] : atLast;
    return {
      t: Math.max(previous, f),
      k: k.slice(-MAX_KNOWN_IDS),
      f,
      s: (sameSecond ? skip : 0) + atLast.length,
    };
  }

  /** The first call reports nothing: it notes where the mailbox is now (its newest message's time, and the ids of that moment). */
  async function startingPoint(): Promise<Changes> {
    const [newest, skipped] = await Promise.all([
      http.request({
        method: 'GET',
        url: url('me/messages', {
          $orderby: 'receivedDateTime desc',
          $top: RECEIVED_PAGE,
          $select: 'id,receivedDateTime',
        }),
        expect: 'json',
        schema: ReceivedPage,
        signal,
      }),
      foldersToSkip(),
    ]);
    const at = timeOf(newest.value[0]) ?? options.clock();
    const next = afterComplete(at, undefined, newest.value);
    return { messages: [], cursor: writeCursor({ ...next, x: [...skipped] }), resynced: false };
  }

  const timeOf = (m: { receivedDateTime?: string | null } | undefined) => {
    const at = m?.receivedDateTime ? Date.parse(m.receivedDateTime) : NaN;
    return Number.isFinite(at) ? at : undefined;
  };

  const writeCursor = (state: CursorState) => `${CURSOR_PREFIX}${JSON.stringify(state)}`;

  function readCursor(cursor: string): CursorState | undefined {
    if (!cursor.startsWith(CURSOR_PREFIX)) return undefined;
    try {
      const parsed = ReceivedCursor.safeParse(JSON.parse(cursor.slice(CURSOR_PREFIX.length)));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async function getHeaders(providerMessageId: string): Promise<MessageHeaders> {
    const m = await http.request({
      method: 'GET',
      url: url(`me/messages/${segment(providerMessageId)}`, {
        $select: 'id,conversationId,internetMessageHeaders',
      }),
      expect: 'json',
      schema: HeadersOnly,
      signal,
    });
    return {
      providerMessageId,
      threadId: m.conversationId,
      headerBlock: headerBlockOf(m.internetMessageHeaders ?? []),
    };
  }

  async function threadMessages(conversationId: string): Promise<ThreadMessage[]> {
    // /me/messages spans every folder: a reply a rule filed away is part of the conversation here.
    const found = await http.request({
      method: 'GET',
      url: url('me/messages', {
        $filter: `${EVERY_MESSAGE} and conversationId eq ${odataString(conversationId)}`,
        $orderby: 'receivedDateTime desc',
        $top: THREAD_PAGE,
        $select: 'id,conversationId,internetMessageId,from,isDraft',
      }),
      expect: 'json',
      schema: ConversationPage,
      signal,
    });
    return found.value.reverse().map((m) => {
      const from = m.from?.emailAddress?.address?.toLowerCase();
      return {
        providerMessageId: m.id,
        threadId: m.conversationId,
        ...(m.internetMessageId ? { messageId: m.internetMessageId } : {}),
        ...(from ? { from } : {}),
        draft: m.isDraft === true,
      };
    });
  }

  async function getMessage(providerMessageId: string): Promise<FetchedMessage> {
    const path = `me/messages/${segment(providerMessageId)}`;
    const [meta, raw] = await Promise.all([
      http.request({
        method: 'GET',
        url: url(path, { $select: 'id,conversationId' }),
        expect: 'json',
        schema: ConversationOnly,
        signal,
      }),
      http.request({ method: 'GET', url: url(`${path}/$value`), expect: 'text', signal }),
    ]);
    return { providerMessageId, threadId: meta.conversationId, raw };
  }

  async function latestInThread(conversationId: string): Promise<ThreadTip | null> {
    const found = await http.request({
      method: 'GET',
      url: url('me/messages', {
        $filter: `${EVERY_MESSAGE} and conversationId eq ${odataString(conversationId)}`,
        $orderby: 'receivedDateTime desc',
        $top: NEWEST_PAGE,
        $select: 'id,conversationId,internetMessageId,subject,isDraft',
      }),
      expect: 'json',
      schema: Newest,
      signal,
    });
    const newest = found.value.find((m) => m.isDraft !== true && m.internetMessageId);
    if (!newest?.internetMessageId) return null;
    // createReply writes In-Reply-To and References itself: Graph shows neither, and none is needed here.
    return {
      threadId: newest.conversationId,
      providerMessageId: newest.id,
      messageId: newest.internetMessageId,
      subject: newest.subject ?? '',
      references: [],
    };
  }

  async function threadPeople(conversationId: string): Promise<Address[]> {
    const found = await http.request({
      method: 'GET',
      url: url('me/messages', {
        $filter: `${EVERY_MESSAGE} and conversationId eq ${odataString(conversationId)}`,
        $orderby: 'receivedDateTime desc',
        $top: PEOPLE_PAGE,
        $select: 'from,toRecipients,ccRecipients',
      }),
      expect: 'json',
      schema: PeoplePage,
      signal,
    });
    const people = new Map<string, Address>();
    for (const m of found.value)
      for (const r of [m.from, ...(m.toRecipients ?? []), ...(m.ccRecipients ?? [])]) {
        const address = r?.emailAddress?.address?.trim().toLowerCase();
        if (!address || people.has(address)) continue;
        const name = r?.emailAddress?.name?.trim();
        people.set(address, name && name.toLowerCase() !== address ? { address, name } : { address });
      }
    return [...people.values()];
  }

  return {
    kind: 'graph',
    mailbox: options.mailbox,
    send,
    findByMessageId,
    changesSince,
    getHeaders,
    getMessage,
    threadMessages,
    latestInThread,
    threadPeople,
  };
}
