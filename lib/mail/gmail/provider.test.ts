import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { decodeBase64UrlUtf8 } from '../base64';
import type { OutgoingMessage } from '../provider';
import { jsonResponse as json, routedFetch, type RecordedRequest, readReference } from '../testing';
import { createGmailProvider, GMAIL_BASE_URL, RESYNC_QUERY } from './provider';

interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  parameters?: Record<string, { location: string; enum?: string[]; repeated?: boolean }>;
  request?: { $ref: string };
}
interface DiscoveryResource {
  methods?: Record<string, DiscoveryMethod>;
  resources?: Record<string, DiscoveryResource>;
}
const discovery = JSON.parse(readReference('gmail-v1.json')) as {
  rootUrl: string;
  parameters: Record<string, unknown>;
  resources: Record<string, DiscoveryResource>;
  schemas: Record<string, { properties: Record<string, unknown> }>;
};

function allMethods(resource: DiscoveryResource): DiscoveryMethod[] {
  return [
    ...Object.values(resource.methods ?? {}),
    ...Object.values(resource.resources ?? {}).flatMap(allMethods),
  ];
}
const methods = Object.values(discovery.resources).flatMap(allMethods);

/** The discovery method whose HTTP method and path template match a request to the real Gmail host. */
function methodFor(request: RecordedRequest): DiscoveryMethod | undefined {
  const path = request.url.pathname.replace(/^\//, '');
  return methods.find((m) => {
    if (m.httpMethod !== request.method) return false;
    const pattern = m.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\+?[^}]+\}/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(path);
  });
}

const NOW = Date.UTC(2024, 6, 2, 9, 0);
const message: OutgoingMessage = {
  messageId: '<enr-7.step-1@threadline.example>',
  from: { address: 'rep@acme.example', name: 'Rep' },
  to: [{ address: 'pat@prospect.example', name: 'Pat' }],
  subject: 'Quick question',
  html: '<p>Hi Pat</p>',
  text: 'Hi Pat',
};
const followUp: OutgoingMessage = {
  ...message,
  messageId: '<enr-7.step-2@threadline.example>',
  thread: {
    threadId: 'thread-1',
    lastProviderMessageId: 'msg-1',
    lastMessageId: message.messageId,
    references: [message.messageId],
  },
};

function fakeGmail(overrides: [RegExp, Parameters<typeof routedFetch>[0][number][1]][] = []) {
  let historyCalls = 0;
  const { fetch, requests } = routedFetch([
    ...overrides,
    [/^POST .*\/messages\/send$/, () => json(200, { id: 'msg-2', threadId: 'thread-1', labelIds: ['SENT'] })],
    [
      /^GET .*\/users\/me\/profile$/,
      () => json(200, { emailAddress: 'rep@acme.example', historyId: '1000' }),
    ],
    [
      /^GET .*\/users\/me\/history$/,
      () =>
        ++historyCalls === 1
          ? json(200, {
              history: [{ id: '1001', messagesAdded: [{ message: { id: 'in-1', threadId: 'thread-1' } }] }],
              historyId: '1002',
              nextPageToken: 'page-2',
            })
          : json(200, {
              history: [
                {
                  id: '1002',
                  messagesAdded: [
                    // Archived by a filter: no INBOX label, still news.
                    {
                      message: { id: 'in-2', threadId: 'thread-9', labelIds: ['UNREAD', 'CATEGORY_UPDATES'] },
                    },
                    // The rep's own, a draft, spam and trash are not.
                    { message: { id: 'own', threadId: 'thread-1', labelIds: ['SENT'] } },
                    { message: { id: 'draft', threadId: 'thread-1', labelIds: ['DRAFT'] } },
                    { message: { id: 'spam', threadId: 'thread-5', labelIds: ['SPAM', 'UNREAD'] } },
                    { message: { id: 'bin', threadId: 'thread-6', labelIds: ['TRASH'] } },
                  ],
                },
              ],
              historyId: '1003',
            }),
    ],
    [
      /^GET .*\/users\/me\/messages\/[^/]+$/,
      (r) =>
        r.url.searchParams.get('format') === 'raw'
          ? json(200, { id: 'in-1', threadId: 'thread-1', raw: 'U3ViamVjdDogSMOpbGxvDQoNCmJvZHk' })
          : json(200, { id: 'msg-2', threadId: 'thread-1', payload: { headers: [] } }),
    ],
    [/^GET .*\/users\/me\/messages$/, () => json(200, { messages: [{ id: 'msg-2', threadId: 'thread-1' }] })],
    [/^GET .*\/users\/me\/threads\/[^/]+$/, () => json(200, OPENED_THREAD)],
  ]);
  const provider = createGmailProvider({
    mailbox: 'rep@acme.example',
    getAccessToken: async () => 'access-1',
    fetch,
    clock: () => NOW,
    sleep: async () => {},
    random: () => 0,
  });
  return { provider, requests };
}

const headers = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));
/** threads.get with format=metadata: oldest first, a draft of the rep's last. */
const OPENED_THREAD = {
  id: '18c2f0a9e4b7d311',
  historyId: '1200',
  messages: [
    {
      id: 'm-1',
      threadId: '18c2f0a9e4b7d311',
      labelIds: ['SENT'],
      payload: { headers: headers({ 'Message-ID': '<first@acme.example>', Subject: 'Acme hiring plans' }) },
    },
    {
      id: 'm-2',
      threadId: '18c2f0a9e4b7d311',
      labelIds: ['INBOX'],
      payload: {
        headers: headers({
          'Message-Id': '<second@prospect.example>',
          Subject: 'Re: Acme hiring plans',
          References: '<first@acme.example>',
        }),
      },
    },
    { id: 'd-1', threadId: '18c2f0a9e4b7d311', labelIds: ['DRAFT'], payload: { headers: [] } },
  ],
};

describe('Gmail provider', () => {
  it('finds the newest sent or received message of a thread, with its Message-ID, subject and References', async () => {
    const { provider, requests } = fakeGmail();
    expect(await provider.latestInThread('18c2f0a9e4b7d311')).toEqual({
      threadId: '18c2f0a9e4b7d311',
      providerMessageId: 'm-2',
      messageId: '<second@prospect.example>',
      subject: 'Re: Acme hiring plans',
      references: ['<first@acme.example>'],
    });
    const asked = requests[0]!.url;
    expect(asked.pathname).toBe('/gmail/v1/users/me/threads/18c2f0a9e4b7d311');
    expect(asked.searchParams.get('format')).toBe('metadata');
    expect(asked.searchParams.getAll('metadataHeaders')).toEqual(['Message-ID', 'Subject', 'References']);
  });

  it('answers null for a thread the mailbox does not have (404)', async () => {
    const { provider } = fakeGmail([
      [
        /^GET .*\/threads\//,
        () => json(404, { error: { code: 404, message: 'Requested entity was not found.' } }),
      ],
    ]);
    expect(await provider.latestInThread('nope')).toBeNull();
  });

  it('sends the raw RFC 5322 message, base64url, with the threadId for a follow-up', async () => {
    const { provider, requests } = fakeGmail();
    await expect(provider.send(followUp)).resolves.toEqual({
      providerMessageId: 'msg-2',
      threadId: 'thread-1',
      messageId: followUp.messageId,
    });
    const body = requests[0]?.body as { raw: string; threadId: string };
    expect(body.threadId).toBe('thread-1');
    expect(body.raw).toMatch(/^[A-Za-z0-9_-]+$/);
    const email = await PostalMime.parse(decodeBase64UrlUtf8(body.raw));
    expect(email.messageId).toBe(followUp.messageId);
    expect(email.inReplyTo).toBe(message.messageId);
    expect(email.subject).toBe('Re: Quick question');
  });

  it('sends a first email without a threadId', async () => {
    const { provider, requests } = fakeGmail();
    await provider.send(message);
    expect(requests[0]?.body).not.toHaveProperty('threadId');
  });

  it('finds a sent message by its Message-ID with rfc822msgid:, and answers null when none', async () => {
    const { provider, requests } = fakeGmail();
    await expect(provider.findByMessageId(message.messageId)).resolves.toEqual({
      providerMessageId: 'msg-2',
      threadId: 'thread-1',
      messageId: message.messageId,
    });
    expect(requests[0]?.url.searchParams.get('q')).toBe('rfc822msgid:enr-7.step-1@threadline.example');

    const empty = fakeGmail([[/^GET .*\/users\/me\/messages$/, () => json(200, { resultSizeEstimate: 0 })]]);
    await expect(empty.provider.findByMessageId('<nobody@x.example>')).resolves.toBeNull();
  });

  it('starts watching from the current history id, reporting nothing old', async () => {
    const { provider } = fakeGmail();
    await expect(provider.changesSince(undefined)).resolves.toEqual({
      messages: [],
      cursor: '1000',
      resynced: false,
    });
  });

  it('reads every history page of every added message, wherever filters put it, and returns the newest history id', async () => {
    const { provider, requests } = fakeGmail();
    const changes = await provider.changesSince('999');
    expect(changes).toEqual({
      messages: [
        { providerMessageId: 'in-1', threadId: 'thread-1' },
        { providerMessageId: 'in-2', threadId: 'thread-9' },
      ],
      cursor: '1003',
      resynced: false,
    });
    expect(requests.map((r) => r.url.searchParams.get('pageToken'))).toEqual([null, 'page-2']);
    expect(requests[0]?.url.searchParams.getAll('historyTypes')).toEqual(['messageAdded']);
    expect(requests[0]?.url.searchParams.has('labelId')).toBe(false);
  });

  it('re-syncs on an expired history id (404) without losing recent mail, archived or not', async () => {
    const { provider, requests } = fakeGmail([
      [
        /^GET .*\/users\/me\/history$/,
        () => json(404, { error: { code: 404, message: 'Requested entity was not found.' } }),
      ],
    ]);
    const changes = await provider.changesSince('5');
    expect(changes).toEqual({
      messages: [{ providerMessageId: 'msg-2', threadId: 'thread-1' }],
      cursor: '1000',
      resynced: true,
    });
    const list = requests.at(-1)!;
    expect(list.url.searchParams.getAll('labelIds')).toEqual([]);
    expect(list.url.searchParams.get('q')).toBe('newer_than:7d -in:sent -in:drafts');
    expect(RESYNC_QUERY).toBe('newer_than:7d -in:sent -in:drafts');
  });

  it('fetches a whole message as raw MIME', async () => {
    const { provider } = fakeGmail();
    await expect(provider.getMessage('in-1')).resolves.toEqual({
      providerMessageId: 'in-1',
      threadId: 'thread-1',
      raw: 'Subject: Héllo\r\n\r\nbody',
    });
  });

  it('checks the mailbox before sending again after a dropped connection', async () => {
    let sends = 0;
    const { provider, requests } = fakeGmail([
      [
        /^POST .*\/messages\/send$/,
        () => {
          sends++;
          throw new TypeError('fetch failed');
        },
      ],
    ]);
    // The look-up finds the message: it did leave, so it is not sent twice.
    await expect(provider.send(message)).resolves.toMatchObject({ providerMessageId: 'msg-2' });
    expect(sends).toBe(1);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /gmail/v1/users/me/messages/send',
      'GET /gmail/v1/users/me/messages',
    ]);
  });

  it('builds only URLs and bodies that Google’s discovery document describes', async () => {
    const { provider, requests } = fakeGmail();
    await provider.send(message);
    await provider.send(followUp);
    await provider.findByMessageId(message.messageId);
    await provider.changesSince(undefined);
    await provider.changesSince('999');
    await provider.getMessage('in-1');
    await provider.latestInThread('18c2f0a9e4b7d311');
    const noThread = fakeGmail([
      [/^GET .*\/users\/me\/messages$/, () => json(200, { messages: [{ id: 'm' }] })],
    ]);
    await noThread.provider.findByMessageId(message.messageId);
    const expired = fakeGmail([
      [/^GET .*\/users\/me\/history$/, () => json(404, { error: { message: 'gone' } })],
    ]);
    await expired.provider.changesSince('1');

    const all = [...requests, ...noThread.requests, ...expired.requests];
    const used = new Set<string>();
    for (const request of all) {
      expect(request.url.origin + '/').toBe(discovery.rootUrl);
      expect(`${request.url.origin}${request.url.pathname}`.startsWith(GMAIL_BASE_URL)).toBe(true);
      const method = methodFor(request);
      expect(method, `${request.method} ${request.url.pathname}`).toBeDefined();
      used.add(method!.id);
      for (const [name, value] of request.url.searchParams) {
        const parameter =
          method!.parameters?.[name] ?? (discovery.parameters[name] as DiscoveryMethod['parameters']);
        expect(parameter, `${method!.id} has no parameter ${name}`).toBeDefined();
        const described = method!.parameters?.[name];
        if (described) {
          expect(described.location).toBe('query');
          if (described.enum) expect(described.enum).toContain(value);
        }
      }
      if (request.body !== undefined) {
        const schema = discovery.schemas[method!.request!.$ref]!;
        for (const field of Object.keys(request.body as object))
          expect(Object.keys(schema.properties)).toContain(field);
      }
    }
    expect([...used].sort()).toEqual([
      'gmail.users.getProfile',
      'gmail.users.history.list',
      'gmail.users.messages.get',
      'gmail.users.messages.list',
      'gmail.users.messages.send',
      'gmail.users.threads.get',
    ]);
  });
});
