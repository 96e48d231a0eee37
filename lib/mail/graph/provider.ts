import { z } from 'zod';
import { buildUrl, createHttpClient, segment, type RestProviderOptions } from '../http';
import { followUpSubject } from '../mime';
import {
  MailError,
  type Address,
  type Changes,
  type FetchedMessage,
  type InboundRef,
  type MailProvider,
  type OutgoingMessage,
  type SentMessage,
  type ThreadTip,
} from '../provider';
import { limitConcurrency, semaphoreFor } from '../semaphore';
import { sendOnce } from '../send-once';

// Microsoft Graph v1.0 mail, as in tests/fixtures/reference/graph-mail-operations.json (graph.test.ts checks it).

export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
/** Outlook allows 4 concurrent requests per app and mailbox. */
export const GRAPH_MAX_CONCURRENCY = 4;
/** Our Message-ID, also as a header of our own: lets the reply watcher recognise our sends. */
export const THREADLINE_HEADER = 'X-Threadline-Id';
/** Ids that stay the same when a message moves (Drafts to Sent Items), so the id we keep stays valid. */
const PREFER_IMMUTABLE = 'IdType="ImmutableId"';
const MAX_DELTA_PAGES = 100;
/** Delta pages default to 10 messages; fewer, larger pages make the first round of a big Inbox cheaper. */
const PREFER_DELTA = `${PREFER_IMMUTABLE}, odata.maxpagesize=50`;
/** After an expired delta link (410), the Inbox messages received in this window are reported again. */
export const RESYNC_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const INITIAL_PREFIX = 'initial:';

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
const DeltaPage = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string().nullish(),
      receivedDateTime: z.string().nullish(),
      '@removed': z.unknown().optional(),
    }),
  ),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
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

  type DeltaItem = z.infer<typeof DeltaPage>['value'][number];

  /** Follows @odata.nextLink pages to the @odata.deltaLink, or stops at a nextLink after MAX_DELTA_PAGES. */
  async function deltaRound(first: string): Promise<{ items: DeltaItem[]; link: string; complete: boolean }> {
    const items: DeltaItem[] = [];
    let link = first;
    for (let page = 0; page < MAX_DELTA_PAGES; page++) {
      const response = await http.request({
        method: 'GET',
        url: sameOrigin(link),
        headers: { Prefer: PREFER_DELTA },
        expect: 'json',
        schema: DeltaPage,
        signal,
      });
      items.push(...response.value.filter((m) => m['@removed'] === undefined));
      const deltaLink = response['@odata.deltaLink'];
      if (deltaLink) return { items, link: deltaLink, complete: true };
      const next = response['@odata.nextLink'];
      if (!next)
        throw new MailError(
          'Microsoft Graph: a delta page had neither a nextLink nor a deltaLink',
          'permanent',
        );
      link = next;
    }
    return { items, link, complete: false };
  }

  const initialLink = () =>
    url('me/mailFolders/inbox/messages/delta', {
      changeType: 'created',
      $select: 'id,conversationId,receivedDateTime',
    });

  /** A stored link is only ever followed on Graph's own origin: the bearer token goes with it. */
  function sameOrigin(link: string): string {
    let origin: string;
    try {
      origin = new URL(link).origin;
    } catch {
      throw new MailError(`Microsoft Graph: "${link.slice(0, 80)}" is not a delta link`, 'permanent');
    }
    if (origin !== baseOrigin)
      throw new MailError(`Microsoft Graph: a delta link points to ${origin}`, 'permanent');
    return link;
  }

  const refs = (items: DeltaItem[]): InboundRef[] =>
    items.flatMap((m) => (m.conversationId ? [{ providerMessageId: m.id, threadId: m.conversationId }] : []));

  /**
   * The first round of a delta lists the whole Inbox, old mail included: only what was received after `since`
   * is news. A round too long for one call carries on next time from a cursor "initial:<since>:<nextLink>",
   * so that its remaining old mail is not taken for news either.
   */
  async function initialRound(link: string, since: number, resynced: boolean): Promise<Changes> {
    const round = await deltaRound(link);
    const recent = round.items.filter((m) => m.receivedDateTime && Date.parse(m.receivedDateTime) >= since);
    const cursor = round.complete ? round.link : `${INITIAL_PREFIX}${since}:${round.link}`;
    return { messages: refs(recent), cursor, resynced };
  }

  async function changesSince(cursor: string | undefined): Promise<Changes> {
    try {
      if (cursor === undefined) return await initialRound(initialLink(), options.clock(), false);
      const initial = /^initial:(\d+):(.+)$/.exec(cursor);
      if (initial) return await initialRound(initial[2] ?? '', Number(initial[1]), false);
      const round = await deltaRound(cursor);
      return { messages: refs(round.items), cursor: round.link, resynced: false };
    } catch (error) {
      if (!(error instanceof MailError && error.status === 410)) throw error;
    }
    // The delta link expired: start again, and report the recent Inbox so nothing that arrived in the gap is lost.
    return initialRound(initialLink(), options.clock() - RESYNC_WINDOW_MS, true);
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
    getMessage,
    latestInThread,
    threadPeople,
  };
}
