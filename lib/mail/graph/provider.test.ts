import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../provider';
import { MailError } from '../provider';
import {
  jsonResponse as json,
  routedFetch,
  type Handler,
  type RecordedRequest,
  readReference,
} from '../testing';
import { createGraphProvider, GRAPH_BASE_URL, odataString, THREADLINE_HEADER } from './provider';

const reference = JSON.parse(readReference('graph-mail-operations.json')) as {
  operations: { kind: string; name: string; bindingType: string; parameters: { name: string }[] }[];
  paths: Record<string, string>;
};
const csdl = readReference('graph-v1.0-mail.csdl.xml');
const messageProperties = new Set(
  [
    ...(/<EntityType Name="message"[\s\S]*?<\/EntityType>/.exec(csdl)?.[0] ?? '').matchAll(
      /Property Name="(\w+)"/g,
    ),
  ]
    .map((m) => m[1])
    .concat(['id', 'categories', 'changeKey', 'createdDateTime', 'lastModifiedDateTime']),
);

const NOW = Date.UTC(2024, 6, 2, 9, 0);
const message: OutgoingMessage = {
  messageId: "<enr-7.step-1'x@threadline.example>",
  from: { address: 'rep@acme.example' },
  to: [{ address: 'pat@prospect.example', name: 'Pat' }],
  subject: 'Quick question',
  html: '<p>Hi Pat</p>',
  text: 'Hi Pat',
};
const followUp: OutgoingMessage = {
  ...message,
  messageId: '<enr-7.step-2@threadline.example>',
  thread: {
    threadId: 'conv-1',
    lastProviderMessageId: 'AAk/first=',
    lastMessageId: message.messageId,
    references: [message.messageId],
  },
};

const echoDraft: Handler = (r) =>
  json(201, {
    id: 'draft-1',
    conversationId: 'conv-1',
    internetMessageId:
      (r.body as { internetMessageId?: string } | undefined)?.internetMessageId ?? '<auto@x>',
  });

function fakeGraph(overrides: [RegExp, Handler][] = [], extra: { maxConcurrency?: number } = {}) {
  const { fetch, requests } = routedFetch([
    ...overrides,
    [/^POST \/v1\.0\/me\/messages$/, echoDraft],
    [
      /^POST .*\/createReply$/,
      () => json(201, { id: 'reply-1', conversationId: 'conv-1', internetMessageId: '<x@y>' }),
    ],
    [/^PATCH \/v1\.0\/me\/messages\/[^/]+$/, echoDraft],
    [/^POST .*\/send$/, () => new Response(null, { status: 202 })],
    [/^GET \/v1\.0\/me\/messages$/, () => json(200, { value: [] })],
    [/^GET .*\/\$value$/, () => new Response('Subject: hi\r\n\r\nbody', { status: 200 })],
    [/^GET \/v1\.0\/me\/messages\/[^/]+$/, () => json(200, { id: 'in-1', conversationId: 'conv-9' })],
    [
      /^GET .*\/messages\/delta$/,
      (r) =>
        r.url.searchParams.has('$skiptoken')
          ? json(200, {
              value: [
                { id: 'in-2', conversationId: 'conv-2' },
                { id: 'gone', '@removed': { reason: 'deleted' } },
              ],
              '@odata.deltaLink': `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=D2`,
            })
          : json(200, {
              value: [{ id: 'in-1', conversationId: 'conv-1' }],
              '@odata.nextLink': `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$skiptoken=S1`,
            }),
    ],
  ]);
  const provider = createGraphProvider({
    mailbox: 'rep@acme.example',
    getAccessToken: async () => 'access-1',
    fetch,
    clock: () => NOW,
    sleep: async () => {},
    random: () => 0,
    ...extra,
  });
  return { provider, requests };
}

const route = (r: RecordedRequest) =>
  `${r.method} ${decodeURIComponent(r.url.pathname.replace(/^\/v1\.0/, ''))}`;

describe('Graph provider', () => {
  it('creates a draft carrying our Message-ID, sends it, and returns its immutable id and conversation', async () => {
    const { provider, requests } = fakeGraph();
    await expect(provider.send(message)).resolves.toEqual({
      providerMessageId: 'draft-1',
      threadId: 'conv-1',
      messageId: message.messageId,
    });
    expect(requests.map(route)).toEqual(['POST /me/messages', 'POST /me/messages/draft-1/send']);
    expect(requests[0]?.body).toEqual({
      subject: 'Quick question',
      body: { contentType: 'HTML', content: '<p>Hi Pat</p>' },
      toRecipients: [{ emailAddress: { address: 'pat@prospect.example', name: 'Pat' } }],
      internetMessageId: message.messageId,
      internetMessageHeaders: [{ name: THREADLINE_HEADER, value: message.messageId }],
    });
    for (const r of requests) expect(r.headers.get('Prefer')).toContain('IdType="ImmutableId"');
  });

  it('follows up with createReply to the named recipients only, then sets body and Message-ID, then sends', async () => {
    const { provider, requests } = fakeGraph();
    await provider.send(followUp);
    expect(requests.map(route)).toEqual([
      'POST /me/messages/AAk/first=/createReply',
      'PATCH /me/messages/reply-1',
      'POST /me/messages/draft-1/send',
    ]);
    expect(requests[0]?.url.pathname).toBe('/v1.0/me/messages/AAk%2Ffirst%3D/createReply');
    expect(requests[0]?.body).toEqual({
      message: { toRecipients: [{ emailAddress: { address: 'pat@prospect.example', name: 'Pat' } }] },
    });
    expect(requests[1]?.body).toMatchObject({
      subject: 'Re: Quick question',
      body: { contentType: 'HTML', content: '<p>Hi Pat</p>' },
      internetMessageId: followUp.messageId,
    });
  });

  it('refuses to send a draft whose Message-ID Graph replaced', async () => {
    const { provider, requests } = fakeGraph([
      [
        /^POST \/v1\.0\/me\/messages$/,
        () => json(201, { id: 'd', conversationId: 'c', internetMessageId: '<other@x>' }),
      ],
    ]);
    await expect(provider.send(message)).rejects.toMatchObject({ kind: 'permanent' });
    expect(requests.map(route)).toEqual(['POST /me/messages']);
  });

  it('looks a Message-ID up with an escaped OData filter and ignores unsent drafts', async () => {
    const { provider, requests } = fakeGraph([
      [
        /^GET \/v1\.0\/me\/messages$/,
        () =>
          json(200, {
            value: [
              { id: 'draft', conversationId: 'c', isDraft: true },
              { id: 'sent', conversationId: 'c', isDraft: false },
            ],
          }),
      ],
    ]);
    await expect(provider.findByMessageId(message.messageId)).resolves.toEqual({
      providerMessageId: 'sent',
      threadId: 'c',
      messageId: message.messageId,
    });
    expect(requests[0]?.url.searchParams.get('$filter')).toBe(
      "internetMessageId eq '<enr-7.step-1''x@threadline.example>'",
    );
    expect(requests[0]?.url.search).toContain('%20eq%20');
    expect(odataString("a'b")).toBe("'a''b'");

    const none = fakeGraph();
    await expect(none.provider.findByMessageId('<nobody@x>')).resolves.toBeNull();
  });

  it('follows delta pages to the delta link, skipping removed items', async () => {
    const { provider, requests } = fakeGraph();
    const start = await provider.changesSince(undefined);
    expect(start).toEqual({
      messages: [],
      cursor: `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=D2`,
      resynced: false,
    });
    expect(requests[0]?.url.searchParams.get('changeType')).toBe('created');
    const next = await provider.changesSince(
      `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$skiptoken=S0`,
    );
    expect(next.messages).toEqual([{ providerMessageId: 'in-2', threadId: 'conv-2' }]);
  });

  it('starts again when the delta link has expired (410)', async () => {
    let calls = 0;
    const { provider } = fakeGraph([
      [
        /^GET .*\/messages\/delta$/,
        () =>
          ++calls === 1
            ? json(410, { error: { code: 'SyncStateNotFound', message: 'gone' } })
            : json(200, {
                value: [
                  {
                    id: 'new',
                    conversationId: 'c1',
                    receivedDateTime: new Date(NOW - 3600_000).toISOString(),
                  },
                  { id: 'old', conversationId: 'c2', receivedDateTime: '2020-01-01T00:00:00Z' },
                ],
                '@odata.deltaLink': `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=D9`,
              }),
      ],
    ]);
    await expect(
      provider.changesSince(`${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=old`),
    ).resolves.toEqual({
      messages: [{ providerMessageId: 'new', threadId: 'c1' }],
      cursor: `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=D9`,
      resynced: true,
    });
  });

  it('carries a very long first round over to the next call without taking old mail for news', async () => {
    let page = 0;
    const old = new Date(NOW - 86_400_000).toISOString();
    const fresh = new Date(NOW + 1000).toISOString();
    const { provider } = fakeGraph([
      [
        /^GET .*\/messages\/delta$/,
        () =>
          ++page <= 100
            ? json(200, {
                value: [{ id: `old-${page}`, conversationId: 'c', receivedDateTime: old }],
                '@odata.nextLink': `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$skiptoken=${page}`,
              })
            : json(200, {
                value: [
                  { id: 'old-last', conversationId: 'c', receivedDateTime: old },
                  { id: 'new', conversationId: 'c2', receivedDateTime: fresh },
                ],
                '@odata.deltaLink': `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=D`,
              }),
      ],
    ]);
    const first = await provider.changesSince(undefined);
    expect(first.messages).toEqual([]);
    expect(first.cursor).toBe(
      `initial:${NOW}:${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$skiptoken=100`,
    );
    await expect(provider.changesSince(first.cursor)).resolves.toEqual({
      messages: [{ providerMessageId: 'new', threadId: 'c2' }],
      cursor: `${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=D`,
      resynced: false,
    });
  });

  it('never sends the token to a delta link on another origin', async () => {
    const { provider, requests } = fakeGraph();
    await expect(provider.changesSince('https://evil.example/delta')).rejects.toBeInstanceOf(MailError);
    expect(requests).toHaveLength(0);
  });

  it('fetches raw MIME with $value and the conversation id', async () => {
    const { provider } = fakeGraph();
    await expect(provider.getMessage('in-1')).resolves.toEqual({
      providerMessageId: 'in-1',
      threadId: 'conv-9',
      raw: 'Subject: hi\r\n\r\nbody',
    });
  });

  it('keeps at most 4 requests in flight', async () => {
    let inFlight = 0;
    let max = 0;
    const slow: Handler = async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return json(200, { value: [] });
    };
    const { provider } = fakeGraph([[/^GET \/v1\.0\/me\/messages$/, slow]]);
    await Promise.all(Array.from({ length: 12 }, (_, i) => provider.findByMessageId(`<m${i}@x>`)));
    expect(max).toBe(4);
  });

  it('finds the newest non-draft message of a conversation, filtering before ordering as Graph requires', async () => {
    const { provider, requests } = fakeGraph([
      [
        /^GET \/v1\.0\/me\/messages$/,
        () =>
          json(200, {
            value: [
              {
                id: 'draft-9',
                conversationId: "conv-'1",
                internetMessageId: '<d@x>',
                isDraft: true,
                subject: '',
              },
              {
                id: 'AAk/in-2=',
                conversationId: "conv-'1",
                internetMessageId: '<second@prospect.example>',
                isDraft: false,
                subject: 'RE: Acme hiring plans',
              },
            ],
          }),
      ],
    ]);
    expect(await provider.latestInThread("conv-'1")).toEqual({
      threadId: "conv-'1",
      providerMessageId: 'AAk/in-2=',
      messageId: '<second@prospect.example>',
      subject: 'RE: Acme hiring plans',
      references: [],
    });
    const query = requests[0]!.url.searchParams;
    // Every $orderby property must lead the $filter, or Graph answers 400 InefficientFilter.
    expect(query.get('$orderby')).toBe('receivedDateTime desc');
    expect(query.get('$filter')).toBe(
      "receivedDateTime ge 1900-01-01T00:00:00Z and conversationId eq 'conv-''1'",
    );
  });

  it('answers null for a conversation with no sent or received message', async () => {
    const { provider } = fakeGraph();
    expect(await provider.latestInThread('conv-x')).toBeNull();
  });

  it('uses only operations, paths and properties of the Graph v1.0 mail reference', async () => {
    const { provider, requests } = fakeGraph();
    await provider.latestInThread('conv-1');
    await provider.send(message);
    await provider.send(followUp);
    await provider.findByMessageId(message.messageId);
    await provider.changesSince(undefined);
    await provider.getMessage('in-1');

    const boundToMessage = (name: string) =>
      reference.operations.find((o) => o.name === name && o.bindingType === 'graph.message');
    for (const request of requests) {
      const path = request.url.pathname.replace(/^\/v1\.0/, '');
      const action = /^\/me\/messages\/[^/]+\/(\w+)$/.exec(path)?.[1];
      if (request.method === 'POST' && action) {
        const operation = boundToMessage(action);
        expect(operation, action).toBeDefined();
        expect(reference.paths[`POST /me/messages/{id}/${action}`]).toBeDefined();
        const allowed = operation!.parameters.map((p) => p.name.toLowerCase());
        for (const key of Object.keys((request.body as object | undefined) ?? {}))
          expect(allowed).toContain(key.toLowerCase());
      } else if (/\/messages\/delta$/.test(path)) {
        expect(reference.paths['GET /me/mailFolders/{id}/messages/delta']).toBeDefined();
        expect(
          reference.operations.some(
            (o) => o.name === 'delta' && o.bindingType === 'Collection(graph.message)',
          ),
        ).toBe(true);
      } else if (path === '/me/messages') {
        expect(reference.paths['GET|POST /me/messages']).toBeDefined();
      } else {
        // GET/PATCH /me/messages/{id} and GET /me/messages/{id}/$value: the entity itself and its MIME stream.
        expect(path).toMatch(/^\/me\/messages\/[^/]+(\/\$value)?$/);
      }
      const body = request.body as Record<string, unknown> | undefined;
      const entity =
        request.method === 'PATCH' || path === '/me/messages'
          ? body
          : (body?.message as Record<string, unknown>);
      for (const key of Object.keys(entity ?? {})) expect(messageProperties, key).toContain(key);
      for (const field of (request.url.searchParams.get('$select') ?? '').split(',').filter(Boolean)) {
        expect(messageProperties, field).toContain(field);
      }
    }
  });
});
