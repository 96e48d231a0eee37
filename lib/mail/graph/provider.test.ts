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

/** Graph's well-known folders, each answering an id of its own. */
const wellKnownFolders: [RegExp, Handler] = [
  /^GET \/v1\.0\/me\/mailFolders\/[a-z]+$/,
  (r) => json(200, { id: `folder-${r.url.pathname.split('/').pop()}` }),
];
const SKIPPED_IDS = ['sentitems', 'drafts', 'deleteditems', 'junkemail', 'outbox'].map((f) => `folder-${f}`);
const outsideSkipped = SKIPPED_IDS.map((id) => ` and parentFolderId ne '${id}'`).join('');

function fakeGraph(overrides: [RegExp, Handler][] = [], extra: { maxConcurrency?: number } = {}) {
  const { fetch, requests } = routedFetch([
    ...overrides,
    wellKnownFolders,
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

  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const folders = wellKnownFolders;

  it('starts from the newest message the mailbox has, by its own clock, reporting nothing', async () => {
    const { provider, requests } = fakeGraph([
      [
        /^GET \/v1\.0\/me\/messages$/,
        () => json(200, { value: [{ id: 'old-1', receivedDateTime: at(NOW - 3_600_000) }] }),
      ],
    ]);
    const start = await provider.changesSince(undefined);
    expect(start.messages).toEqual([]);
    expect(requests[0]?.url.searchParams.get('$orderby')).toBe('receivedDateTime desc');
    // The folders to leave out are asked once here and kept in the cursor: later cycles need no look-up.
    expect(JSON.parse(start.cursor.replace(/^received:/, ''))).toEqual({
      t: NOW - 3_600_000,
      k: ['old-1'],
      x: SKIPPED_IDS,
    });
  });

  it('lists what arrived in every folder since the cursor in one request, leaving out sent, drafts, deleted, junk and outbox', async () => {
    const { provider, requests } = fakeGraph([
      folders,
      [
        /^GET \/v1\.0\/me\/messages$/,
        () =>
          json(200, {
            value: [
              {
                id: 'seen',
                conversationId: 'c0',
                receivedDateTime: at(NOW - 60_000),
                parentFolderId: 'folder-inbox',
              },
              { id: 'filed', conversationId: 'c1', receivedDateTime: at(NOW), parentFolderId: 'customers' },
              {
                id: 'inbox',
                conversationId: 'c2',
                receivedDateTime: at(NOW),
                parentFolderId: 'folder-inbox',
              },
              {
                id: 'ours',
                conversationId: 'c1',
                receivedDateTime: at(NOW),
                parentFolderId: 'folder-sentitems',
              },
              {
                id: 'junk',
                conversationId: 'c3',
                receivedDateTime: at(NOW),
                parentFolderId: 'folder-junkemail',
              },
              { id: 'draft', conversationId: 'c1', receivedDateTime: at(NOW), isDraft: true },
            ],
          }),
      ],
    ]);
    const cursor = `received:${JSON.stringify({ t: NOW - 60_000, k: ['seen'] })}`;
    const changes = await provider.changesSince(cursor);
    expect(changes.messages).toEqual([
      { providerMessageId: 'filed', threadId: 'c1' },
      { providerMessageId: 'inbox', threadId: 'c2' },
    ]);
    const lists = requests.filter((r) => route(r) === 'GET /me/messages');
    expect(lists).toHaveLength(1);
    // It looks back over the overlap, oldest first, across all folders but the skipped ones (left out by the
    // server, so the rep's own sent mail never fills the pages; checked again here after a move).
    expect(lists[0]?.url.searchParams.get('$filter')).toBe(
      `receivedDateTime ge ${at(NOW - 60_000 - 5 * 60_000)}${outsideSkipped}`,
    );
    expect(lists[0]?.url.searchParams.get('$orderby')).toBe('receivedDateTime asc');
    expect(
      requests
        .filter((r) => route(r).startsWith('GET /me/mailFolders/'))
        .map((r) => route(r))
        .sort(),
    ).toEqual(
      ['deleteditems', 'drafts', 'junkemail', 'outbox', 'sentitems'].map((f) => `GET /me/mailFolders/${f}`),
    );
    // The next call does not report them again, and asks for the folders no more.
    const again = await provider.changesSince(changes.cursor);
    expect(again.messages).toEqual([]);
    expect(requests.filter((r) => route(r).startsWith('GET /me/mailFolders/'))).toHaveLength(5);
  });

  it('starts again a week back from a cursor of an older form (an Inbox delta link)', async () => {
    const { provider, requests } = fakeGraph([
      folders,
      [
        /^GET \/v1\.0\/me\/messages$/,
        () =>
          json(200, { value: [{ id: 'new', conversationId: 'c1', receivedDateTime: at(NOW - 3_600_000) }] }),
      ],
    ]);
    await expect(
      provider.changesSince(`${GRAPH_BASE_URL}/me/mailFolders/inbox/messages/delta?$deltatoken=old`),
    ).resolves.toMatchObject({ messages: [{ providerMessageId: 'new', threadId: 'c1' }], resynced: true });
    expect(requests.find((r) => route(r) === 'GET /me/messages')?.url.searchParams.get('$filter')).toBe(
      `receivedDateTime ge ${at(NOW - 7 * 86_400_000)}${outsideSkipped}`,
    );
  });

  it('never sends the token to a next link on another origin', async () => {
    const { provider, requests } = fakeGraph([
      folders,
      [
        /^GET \/v1\.0\/me\/messages$/,
        () => json(200, { value: [], '@odata.nextLink': 'https://evil.example/next' }),
      ],
    ]);
    await expect(
      provider.changesSince(`received:${JSON.stringify({ t: NOW, k: [] })}`),
    ).rejects.toBeInstanceOf(MailError);
    expect(requests.some((r) => r.url.origin === 'https://evil.example')).toBe(false);
  });

  it('reads a conversation across every folder in one request, oldest first, with senders and drafts', async () => {
    const { provider, requests } = fakeGraph([
      [
        /^GET \/v1\.0\/me\/messages$/,
        () =>
          json(200, {
            value: [
              {
                id: 'm3',
                conversationId: 'conv-1',
                internetMessageId: '<r@x>',
                from: { emailAddress: { address: 'Pat@Prospect.example' } },
              },
              {
                id: 'm2',
                conversationId: 'conv-1',
                isDraft: true,
                from: { emailAddress: { address: 'rep@acme.example' } },
              },
              {
                id: 'm1',
                conversationId: 'conv-1',
                internetMessageId: '<o@x>',
                from: { emailAddress: { address: 'rep@acme.example' } },
              },
            ],
          }),
      ],
    ]);
    expect(await provider.threadMessages("conv-'1")).toEqual([
      {
        providerMessageId: 'm1',
        threadId: 'conv-1',
        messageId: '<o@x>',
        from: 'rep@acme.example',
        draft: false,
      },
      { providerMessageId: 'm2', threadId: 'conv-1', from: 'rep@acme.example', draft: true },
      {
        providerMessageId: 'm3',
        threadId: 'conv-1',
        messageId: '<r@x>',
        from: 'pat@prospect.example',
        draft: false,
      },
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url.searchParams.get('$filter')).toBe(
      "receivedDateTime ge 1900-01-01T00:00:00Z and conversationId eq 'conv-''1'",
    );
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
    const start = await provider.changesSince(undefined);
    await provider.changesSince(start.cursor);
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
        // Every property a list filters on is a message property.
        for (const [, property] of (request.url.searchParams.get('$filter') ?? '').matchAll(
          /(\w+) (?:eq|ne|ge|gt|le|lt) /g,
        ))
          expect(messageProperties, property).toContain(property);
      } else if (/^\/me\/mailFolders\/[a-z]+$/.test(path)) {
        // A well-known folder by name: the user's mailFolders collection of mailFolder entities.
        expect(csdl).toContain('<NavigationProperty Name="mailFolders" Type="Collection(graph.mailFolder)"');
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
