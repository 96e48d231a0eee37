// @vitest-environment node
/* eslint-disable @typescript-eslint/no-explicit-any -- API responses are read loosely here and checked by the assertions themselves. */
import { createMimeMessage } from 'mimetext';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server';

const REP = 'rep@example.com';
const OUTLOOK_REP = 'rep@contoso.example';
const CONTACT = 'dana@prospect.example';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
  sb.addMailbox(REP, 'gmail');
  sb.addMailbox(OUTLOOK_REP, 'graph');
});
afterAll(() => sb.stop());
beforeEach(() => sb.clearFaults());

function rawMail(o: {
  messageId: string;
  subject: string;
  inReplyTo?: string;
  references?: string[];
  to?: string;
}): string {
  const msg = createMimeMessage();
  msg.setSender(REP);
  msg.setTo(o.to ?? CONTACT);
  msg.setSubject(o.subject);
  msg.setHeader('Message-ID', o.messageId);
  if (o.inReplyTo) msg.setHeader('In-Reply-To', o.inReplyTo);
  if (o.references) msg.setHeader('References', o.references.join(' '));
  msg.addMessage({ contentType: 'text/plain', data: 'Hi Dana, following up.' });
  msg.addMessage({ contentType: 'text/html', data: '<p>Hi Dana, following up.</p>' });
  return msg.asRaw();
}

async function gmail(path: string, init: RequestInit = {}, address = REP) {
  const res = await fetch(`${sb.gmailBase}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${sb.tokenFor(address)}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, any>) : undefined,
  };
}

async function graph(pathOrUrl: string, init: RequestInit = {}, address = OUTLOOK_REP) {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sb.graphBase}${pathOrUrl}`;
  const res = await fetch(url, {
    ...init,
    headers: {
      authorization: `Bearer ${sb.tokenFor(address)}`,
      'content-type': 'application/json',
      prefer: 'IdType="ImmutableId"',
      ...init.headers,
    },
  });
  const text = await res.text();
  const json = text && res.headers.get('content-type')?.includes('json');
  return {
    status: res.status,
    headers: res.headers,
    body: json ? (JSON.parse(text) as Record<string, any>) : undefined,
    text,
  };
}

async function gmailSend(raw: string, threadId?: string) {
  return gmail('/users/me/messages/send', {
    method: 'POST',
    body: JSON.stringify({ raw: Buffer.from(raw).toString('base64url'), ...(threadId ? { threadId } : {}) }),
  });
}

describe('Gmail: sending and threading', () => {
  it('sends a raw message and answers the Message resource with the SENT label', async () => {
    const res = await gmailSend(
      rawMail({ messageId: '<step1.enr1@threadline.test>', subject: 'Quick question' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      threadId: res.body?.id,
      labelIds: ['SENT'],
    });
    const sent = sb.sent(REP).at(-1);
    expect(sent?.messageId).toBe('<step1.enr1@threadline.test>');
    expect(sent?.to).toEqual([CONTACT]);
  });

  it('threads a follow-up only when threadId, subject and In-Reply-To/References all agree, as Gmail does', async () => {
    const first = await gmailSend(rawMail({ messageId: '<a1@threadline.test>', subject: 'Intro' }));
    const threadId = first.body?.threadId as string;
    const good = await gmailSend(
      rawMail({
        messageId: '<a2@threadline.test>',
        subject: 'Re: Intro',
        inReplyTo: '<a1@threadline.test>',
        references: ['<a1@threadline.test>'],
      }),
      threadId,
    );
    expect(good.body?.threadId).toBe(threadId);
    const noHeaders = await gmailSend(
      rawMail({ messageId: '<a3@threadline.test>', subject: 'Intro' }),
      threadId,
    );
    expect(noHeaders.body?.threadId).not.toBe(threadId);
    const otherSubject = await gmailSend(
      rawMail({
        messageId: '<a4@threadline.test>',
        subject: 'Something else',
        inReplyTo: '<a1@threadline.test>',
      }),
      threadId,
    );
    expect(otherSubject.body?.threadId).not.toBe(threadId);
    const gmailIdAsReference = await gmailSend(
      rawMail({ messageId: '<a5@threadline.test>', subject: 'Intro', inReplyTo: `<${first.body?.id}>` }),
      threadId,
    );
    expect(gmailIdAsReference.body?.threadId).not.toBe(threadId);
  });

  it('answers 404 for an unknown threadId and 400 without raw', async () => {
    expect((await gmailSend(rawMail({ messageId: '<x@t>', subject: 's' }), 'ffffffffffffffff')).status).toBe(
      404,
    );
    const noRaw = await gmail('/users/me/messages/send', { method: 'POST', body: '{}' });
    expect(noRaw.status).toBe(400);
    expect(noRaw.body?.error.errors[0].reason).toBe('invalidArgument');
  });

  it('finds a sent message by rfc822msgid, with or without brackets, and omits messages when none match', async () => {
    await gmailSend(rawMail({ messageId: '<find.me@threadline.test>', subject: 'Find me' }));
    for (const q of ['rfc822msgid:<find.me@threadline.test>', 'rfc822msgid:find.me@threadline.test']) {
      const res = await gmail(`/users/me/messages?q=${encodeURIComponent(q)}`);
      expect(res.body?.messages).toHaveLength(1);
      expect(res.body?.resultSizeEstimate).toBe(1);
    }
    const none = await gmail(`/users/me/messages?q=${encodeURIComponent('rfc822msgid:<nope@x>')}`);
    expect(none.body).toEqual({ resultSizeEstimate: 0 });
  });

  it('returns a message in full, metadata, raw and minimal formats', async () => {
    const sent = await gmailSend(rawMail({ messageId: '<fmt@threadline.test>', subject: 'Formats' }));
    const id = sent.body?.id as string;
    const full = await gmail(`/users/me/messages/${id}?format=full`);
    expect(full.body?.payload.mimeType).toBe('multipart/alternative');
    expect(full.body?.payload.parts).toHaveLength(2);
    expect(Buffer.from(full.body?.payload.parts[0].body.data, 'base64url').toString()).toContain(
      'following up',
    );
    expect(full.body?.internalDate).toMatch(/^\d+$/);
    const meta = await gmail(
      `/users/me/messages/${id}?format=metadata&metadataHeaders=Message-ID&metadataHeaders=Subject`,
    );
    expect(meta.body?.payload.headers.map((h: { name: string }) => h.name.toLowerCase()).sort()).toEqual([
      'message-id',
      'subject',
    ]);
    const raw = await gmail(`/users/me/messages/${id}?format=raw`);
    expect(Buffer.from(raw.body?.raw, 'base64url').toString()).toContain('Message-ID: <fmt@threadline.test>');
    const minimal = await gmail(`/users/me/messages/${id}?format=minimal`);
    expect(minimal.body?.payload).toBeUndefined();
    expect(minimal.body?.labelIds).toEqual(['SENT']);
  });

  it('refuses query parameters Gmail does not know', async () => {
    const res = await gmail('/users/me/messages?query=x');
    expect(res.status).toBe(400);
  });
});

describe('Gmail: history', () => {
  it('lists what was added since a historyId, in pages, then 404s once expired', async () => {
    sb.addMailbox('history@example.com', 'gmail');
    const me = (p: string) => gmail(p, {}, 'history@example.com');
    const start = (await me('/users/me/profile')).body?.historyId as string;
    for (let i = 0; i < 5; i++)
      await sb.inject('history@example.com', { from: CONTACT, subject: `Hello ${i}`, text: 'hi' });
    const page1 = await me(
      `/users/me/history?startHistoryId=${start}&historyTypes=messageAdded&maxResults=3`,
    );
    expect(page1.body?.history).toHaveLength(3);
    expect(page1.body?.nextPageToken).toBeTruthy();
    expect(page1.body?.history[0].messagesAdded[0].message.labelIds).toContain('INBOX');
    const page2 = await me(
      `/users/me/history?startHistoryId=${start}&maxResults=3&pageToken=${page1.body?.nextPageToken}`,
    );
    expect(page2.body?.history).toHaveLength(2);
    expect(page2.body?.nextPageToken).toBeUndefined();
    const latest = page2.body?.historyId as string;
    const nothing = await me(`/users/me/history?startHistoryId=${latest}`);
    expect(nothing.body).toEqual({ historyId: latest });
    const inboxOnly = await me(`/users/me/history?startHistoryId=${start}&labelId=SENT`);
    expect(inboxOnly.body?.history).toBeUndefined();

    sb.expireHistory('history@example.com');
    const expired = await me(`/users/me/history?startHistoryId=${start}`);
    expect(expired.status).toBe(404);
    expect(expired.body?.error).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      errors: [{ reason: 'notFound' }],
    });
    const fresh = (await me('/users/me/profile')).body?.historyId as string;
    expect((await me(`/users/me/history?startHistoryId=${fresh}`)).status).toBe(200);
  });

  it('searches by age with newer_than, on the sandbox clock', async () => {
    let now = Date.parse('2025-03-10T12:00:00Z');
    const clocked = await startSandbox({ now: () => now });
    try {
      clocked.addMailbox('clock@example.com', 'gmail');
      await clocked.inject('clock@example.com', { from: CONTACT, subject: 'old', text: 'x' });
      now += 10 * 86_400_000;
      await clocked.inject('clock@example.com', { from: CONTACT, subject: 'new', text: 'x' });
      const res = await fetch(`${clocked.gmailBase}/users/me/messages?labelIds=INBOX&q=newer_than%3A7d`, {
        headers: { authorization: `Bearer ${clocked.tokenFor('clock@example.com')}` },
      });
      const body = (await res.json()) as any;
      expect(body.resultSizeEstimate).toBe(1);
      expect(clocked.inbox('clock@example.com').map((m) => m.receivedAt)).toEqual([
        now - 10 * 86_400_000,
        now,
      ]);
    } finally {
      await clocked.stop();
    }
  });

  it('threads an injected reply under the sent message it references', async () => {
    const sent = await gmailSend(rawMail({ messageId: '<reply.me@threadline.test>', subject: 'Pricing' }));
    const reply = await sb.inject(REP, {
      from: CONTACT,
      subject: 'Re: Pricing',
      text: 'Sounds good',
      inReplyTo: '<reply.me@threadline.test>',
    });
    expect(reply.threadId).toBe(sent.body?.threadId);
    const thread = await gmail(`/users/me/threads/${reply.threadId}?format=metadata`);
    expect(thread.body?.messages).toHaveLength(2);
    const unrelated = await sb.inject(REP, { from: CONTACT, subject: 'Pricing', text: 'new topic' });
    expect(unrelated.threadId).not.toBe(sent.body?.threadId);
  });
});

describe('Graph: drafts, send, createReply', () => {
  async function draft(extra: Record<string, unknown> = {}) {
    return graph('/me/messages', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'Intro',
        body: { contentType: 'HTML', content: '<p>Hello</p>' },
        toRecipients: [{ emailAddress: { address: CONTACT, name: 'Dana' } }],
        ...extra,
      }),
    });
  }

  it('creates a draft with a chosen internetMessageId, sends it, and finds it in Sent Items by that id', async () => {
    const created = await draft({
      internetMessageId: '<g1@threadline.test>',
      internetMessageHeaders: [{ name: 'X-Threadline', value: 'e1' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      isDraft: true,
      internetMessageId: '<g1@threadline.test>',
      subject: 'Intro',
    });
    const id = created.body?.id as string;
    const sent = await graph(`/me/messages/${id}/send`, { method: 'POST' });
    expect(sent.status).toBe(202);
    expect(sent.text).toBe('');
    const filter = encodeURIComponent("internetMessageId eq '<g1@threadline.test>'");
    const found = await graph(
      `/me/mailFolders/sentitems/messages?$filter=${filter}&$select=id,conversationId,isDraft`,
    );
    expect(found.body?.value).toEqual([expect.objectContaining({ id, isDraft: false })]);
    const raw = await graph(`/me/messages/${id}/$value`);
    expect(raw.text).toContain('X-Threadline: e1');
    expect(sb.sent(OUTLOOK_REP).at(-1)?.messageId).toBe('<g1@threadline.test>');
  });

  it('refuses standard headers in internetMessageHeaders, as Graph allows only x- headers', async () => {
    const res = await draft({ internetMessageHeaders: [{ name: 'References', value: '<a@b>' }] });
    expect(res.status).toBe(400);
    expect(res.body?.error.code).toBe('InvalidInternetMessageHeader');
  });

  it('changes REST ids on send unless immutable ids were asked for', async () => {
    const created = await graph('/me/messages', {
      method: 'POST',
      headers: { prefer: '' },
      body: JSON.stringify({ subject: 'Ids', toRecipients: [{ emailAddress: { address: CONTACT } }] }),
    });
    const restId = created.body?.id as string;
    await graph(`/me/messages/${restId}/send`, { method: 'POST', headers: { prefer: '' } });
    expect((await graph(`/me/messages/${restId}`, { headers: { prefer: '' } })).status).toBe(404);
  });

  it('creates a reply in the same conversation with In-Reply-To and References, and sends it', async () => {
    const first = await draft({ internetMessageId: '<g2@threadline.test>' });
    await graph(`/me/messages/${first.body?.id}/send`, { method: 'POST' });
    const reply = await graph(`/me/messages/${first.body?.id}/createReply`, {
      method: 'POST',
      body: JSON.stringify({
        message: { toRecipients: [{ emailAddress: { address: CONTACT } }] },
        comment: 'Bumping this',
      }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      isDraft: true,
      subject: 'RE: Intro',
      conversationId: first.body?.conversationId,
    });
    const patched = await graph(`/me/messages/${reply.body?.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ internetMessageId: '<g3@threadline.test>' }),
    });
    expect(patched.body?.internetMessageId).toBe('<g3@threadline.test>');
    await graph(`/me/messages/${reply.body?.id}/send`, { method: 'POST' });
    const last = sb.sent(OUTLOOK_REP).at(-1);
    expect(last).toMatchObject({
      messageId: '<g3@threadline.test>',
      inReplyTo: '<g2@threadline.test>',
      references: ['<g2@threadline.test>'],
      to: [CONTACT],
    });
    expect(last?.threadId).toBe(first.body?.conversationId);
  });

  it("addresses a reply to one's own sent message to oneself unless recipients are given", async () => {
    const first = await draft();
    await graph(`/me/messages/${first.body?.id}/send`, { method: 'POST' });
    const reply = await graph(`/me/messages/${first.body?.id}/createReply`, { method: 'POST', body: '{}' });
    expect(reply.body?.toRecipients[0].emailAddress.address).toBe(OUTLOOK_REP);
  });
});

describe('Graph: filtering and sorting message lists', () => {
  const q = (params: Record<string, string>) => `/me/messages?${new URLSearchParams(params).toString()}`;

  it('lists a conversation newest first when the sorted property leads the filter', async () => {
    const first = await sb.inject(OUTLOOK_REP, { from: CONTACT, subject: 'Pilot', text: 'One' });
    const [firstId] = sb
      .inbox(OUTLOOK_REP)
      .filter((m) => m.threadId === first.threadId)
      .map((m) => m.messageId);
    const second = await sb.inject(OUTLOOK_REP, {
      from: CONTACT,
      subject: 'Re: Pilot',
      text: 'Two',
      inReplyTo: firstId,
    });
    expect(second.threadId).toBe(first.threadId);
    const res = await graph(
      q({
        $filter: `receivedDateTime ge 1900-01-01T00:00:00Z and conversationId eq '${first.threadId}'`,
        $orderby: 'receivedDateTime desc',
        $top: '1',
        $select: 'id,subject',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body?.value).toEqual([
      expect.objectContaining({ id: second.providerMessageId, subject: 'Re: Pilot' }),
    ]);
  });

  it('answers 400 InefficientFilter when $orderby names a property $filter does not lead with, as Graph does', async () => {
    for (const $filter of [
      "conversationId eq 'x'",
      "conversationId eq 'x' and receivedDateTime ge 1900-01-01T00:00:00Z",
    ]) {
      const res = await graph(q({ $filter, $orderby: 'receivedDateTime desc' }));
      expect(res.status, $filter).toBe(400);
      expect(res.body?.error?.code).toBe('InefficientFilter');
    }
    expect((await graph(q({ $orderby: 'receivedDateTime desc' }))).status).toBe(200);
  });

  it('leaves out a folder by parentFolderId after the sorted property, as Graph does, and refuses it first', async () => {
    const sentItems = (await graph('/me/mailFolders/sentitems?$select=id')).body?.id as string;
    const sent = await graph('/me/messages', {
      method: 'POST',
      body: JSON.stringify({ subject: 'Out', toRecipients: [{ emailAddress: { address: CONTACT } }] }),
    });
    await graph(`/me/messages/${sent.body?.id}/send`, { method: 'POST' });
    await sb.inject(OUTLOOK_REP, { from: CONTACT, subject: 'Folders', text: 'In' });
    const inbox = (await graph('/me/mailFolders/inbox?$select=id')).body?.id as string;
    const since = 'receivedDateTime ge 1900-01-01T00:00:00Z';
    const ids = async (folderClause: string) => {
      const res = await graph(
        q({ $filter: `${since} and ${folderClause}`, $orderby: 'receivedDateTime asc', $top: '1000' }),
      );
      expect(res.status).toBe(200);
      return (res.body?.value as { id: string; parentFolderId: string }[]).map((m) => m.parentFolderId);
    };
    const outside = await ids(`parentFolderId ne '${sentItems}'`);
    expect(outside).not.toContain(sentItems);
    expect(outside).toContain(inbox);
    expect(await ids(`parentFolderId eq '${sentItems}'`)).toContain(sentItems);
    const first = await graph(
      q({ $filter: `parentFolderId ne '${sentItems}' and ${since}`, $orderby: 'receivedDateTime asc' }),
    );
    expect(first.status).toBe(400);
    expect(first.body?.error?.code).toBe('InefficientFilter');
  });

  it('refuses a filter it does not understand instead of ignoring it', async () => {
    const res = await graph(q({ $filter: "startswith(subject, 'Pi')" }));
    expect(res.status).toBe(400);
  });
});

describe('Graph: delta on the Inbox', () => {
  it('pages through the Inbox, then returns only what changed, and 410s once expired', async () => {
    sb.addMailbox('delta@contoso.example', 'graph');
    const me = (u: string, init: RequestInit = {}) => graph(u, init, 'delta@contoso.example');
    for (let i = 0; i < 3; i++)
      await sb.inject('delta@contoso.example', { from: CONTACT, subject: `m${i}`, text: 'x' });
    const first = await me('/me/mailFolders/inbox/messages/delta?$select=subject,from,conversationId', {
      headers: { prefer: 'odata.maxpagesize=2' },
    });
    expect(first.body?.value).toHaveLength(2);
    expect(Object.keys(first.body?.value[0]).sort()).toEqual([
      '@odata.etag',
      '@odata.type',
      'conversationId',
      'from',
      'id',
      'subject',
    ]);
    const second = await me(first.body?.['@odata.nextLink'], { headers: { prefer: 'odata.maxpagesize=2' } });
    expect(second.body?.value).toHaveLength(1);
    const deltaLink = second.body?.['@odata.deltaLink'] as string;
    expect(deltaLink).toContain('$deltatoken=');

    expect((await me(deltaLink)).body?.value).toEqual([]);
    await sb.inject('delta@contoso.example', { from: CONTACT, subject: 'new', text: 'x' });
    const changes = await me(deltaLink);
    expect(changes.body?.value.map((m: { subject: string }) => m.subject)).toEqual(['new']);

    sb.expireDelta('delta@contoso.example');
    const gone = await me(changes.body?.['@odata.deltaLink']);
    expect(gone.status).toBe(410);
    expect(gone.body?.error.code).toBe('SyncStateNotFound');
  });

  it('reports only new arrivals with changeType=created, not messages marked read', async () => {
    sb.addMailbox('created@contoso.example', 'graph');
    const me = (u: string, init: RequestInit = {}) => graph(u, init, 'created@contoso.example');
    const old = await sb.inject('created@contoso.example', { from: CONTACT, subject: 'old', text: 'x' });
    const first = await me('/me/mailFolders/inbox/messages/delta?changeType=created&$select=subject');
    await me(`/me/messages/${old.providerMessageId}`, {
      method: 'PATCH',
      body: JSON.stringify({ isRead: true }),
    });
    await sb.inject('created@contoso.example', { from: CONTACT, subject: 'fresh', text: 'x' });
    const next = await me(first.body?.['@odata.deltaLink']);
    expect(next.body?.value.map((m: { subject: string }) => m.subject)).toEqual(['fresh']);
  });

  it('puts an injected reply in the conversation of the message it answers', async () => {
    const created = await graph('/me/messages', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'Demo',
        internetMessageId: '<g9@threadline.test>',
        toRecipients: [{ emailAddress: { address: CONTACT } }],
      }),
    });
    await graph(`/me/messages/${created.body?.id}/send`, { method: 'POST' });
    const reply = await sb.inject(OUTLOOK_REP, {
      from: CONTACT,
      subject: 'RE: Demo',
      text: 'Yes',
      references: ['<g9@threadline.test>'],
    });
    expect(reply.threadId).toBe(created.body?.conversationId);
  });
});

describe('bodies the sandbox writes itself', () => {
  const TEXT = 'Grüße, José — 日本';
  // Longer than one 76-character base64 line, so the folding is read back too.
  const LONG = `${TEXT}\n${'Ünïcödé body line. '.repeat(12).trim()}`;

  async function readBack(raw: string) {
    const parsed = await PostalMime.parse(raw);
    return { subject: parsed.subject, text: parsed.text?.trim(), html: parsed.html?.trim() };
  }

  it('injects a JSON message whose non-ASCII text and HTML read back intact from Gmail format=raw', async () => {
    const injected = await sb.inject(REP, {
      from: CONTACT,
      subject: TEXT,
      text: LONG,
      html: `<p>${TEXT}</p>`,
    });
    const res = await gmail(`/users/me/messages/${injected.providerMessageId}?format=raw`);
    const raw = Buffer.from(res.body?.raw as string, 'base64url').toString('utf8');
    expect(await readBack(raw)).toEqual({ subject: TEXT, text: LONG, html: `<p>${TEXT}</p>` });
  });

  it('injects a JSON message whose non-ASCII text reads back intact from Graph $value', async () => {
    const injected = await sb.inject(OUTLOOK_REP, { from: CONTACT, subject: TEXT, text: LONG });
    const res = await graph(`/me/messages/${injected.providerMessageId}/$value`);
    expect(await readBack(res.text)).toEqual({ subject: TEXT, text: LONG, html: undefined });
  });

  it('sends a Graph draft whose non-ASCII body reads back intact from $value and sent().raw', async () => {
    const created = await graph('/me/messages', {
      method: 'POST',
      body: JSON.stringify({
        subject: TEXT,
        internetMessageId: '<utf8-body@threadline.test>',
        body: { contentType: 'Text', content: LONG },
        toRecipients: [{ emailAddress: { address: CONTACT } }],
      }),
    });
    const id = created.body?.id as string;
    expect((await graph(`/me/messages/${id}/send`, { method: 'POST' })).status).toBe(202);
    const value = await graph(`/me/messages/${id}/$value`);
    expect(await readBack(value.text)).toEqual({ subject: TEXT, text: LONG, html: undefined });
    const sent = sb.sent(OUTLOOK_REP).find((m) => m.messageId === '<utf8-body@threadline.test>');
    expect(await readBack(sent?.raw ?? '')).toEqual({ subject: TEXT, text: LONG, html: undefined });
  });

  it('sends a Graph HTML draft whose text alternative and HTML both read back intact', async () => {
    const created = await graph('/me/messages', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'HTML',
        internetMessageId: '<utf8-html@threadline.test>',
        body: { contentType: 'HTML', content: `<p>${TEXT}</p>` },
        toRecipients: [{ emailAddress: { address: CONTACT } }],
      }),
    });
    await graph(`/me/messages/${created.body?.id}/send`, { method: 'POST' });
    const sent = sb.sent(OUTLOOK_REP).find((m) => m.messageId === '<utf8-html@threadline.test>');
    expect(await readBack(sent?.raw ?? '')).toEqual({ subject: 'HTML', text: TEXT, html: `<p>${TEXT}</p>` });
  });
});

describe('faults, auth and throttling', () => {
  it("answers an injected 429 with Retry-After in Google's error shape, then recovers", async () => {
    sb.fault({ route: 'GET /gmail/v1/users/me/profile', kind: 'status', status: 429, retryAfterSeconds: 7 });
    const throttled = await gmail('/users/me/profile');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.body?.error.status).toBe('RESOURCE_EXHAUSTED');
    expect((await gmail('/users/me/profile')).status).toBe(200);
  });

  it('injects 403 rate-limit reasons and matches routes by regular expression', async () => {
    sb.fault({
      route: 'GET /gmail/v1/users/me/messages/.*',
      kind: 'status',
      status: 403,
      reason: 'userRateLimitExceeded',
      times: 2,
    });
    const res = await gmail('/users/me/messages/abc');
    expect(res.body?.error.errors[0]).toMatchObject({
      reason: 'userRateLimitExceeded',
      domain: 'usageLimits',
    });
    expect((await gmail('/users/me/messages')).status).toBe(200);
    expect((await gmail('/users/me/messages/abc')).status).toBe(403);
    expect((await gmail('/users/me/messages/abc')).status).toBe(404);
  });

  it('drops the connection without answering', async () => {
    sb.fault({ route: 'GET /gmail/v1/users/me/profile', kind: 'drop' });
    await expect(gmail('/users/me/profile')).rejects.toThrow();
    expect((await gmail('/users/me/profile')).status).toBe(200);
  });

  it('can let a send take effect and then drop the answer, as when a connection dies after the accept', async () => {
    sb.fault({ route: 'POST /gmail/v1/users/me/messages/send', kind: 'drop', when: 'after' });
    await expect(
      gmailSend(rawMail({ messageId: '<lost.answer@threadline.test>', subject: 'Lost' })),
    ).rejects.toThrow();
    expect(sb.sent(REP).filter((m) => m.messageId === '<lost.answer@threadline.test>')).toHaveLength(1);
    sb.fault({ route: 'POST /graph/v1.0/me/messages/.*/send', kind: 'status', status: 503, when: 'after' });
    const created = await graph('/me/messages', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'x',
        internetMessageId: '<after503@t.test>',
        toRecipients: [{ emailAddress: { address: CONTACT } }],
      }),
    });
    expect((await graph(`/me/messages/${created.body?.id}/send`, { method: 'POST' })).status).toBe(503);
    expect(sb.sent(OUTLOOK_REP).at(-1)?.messageId).toBe('<after503@t.test>');
  });

  it('adds latency', async () => {
    sb.fault({ route: 'GET /gmail/v1/users/me/profile', kind: 'latency', latencyMs: 150 });
    const t = Date.now();
    expect((await gmail('/users/me/profile')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });

  it("answers 401 in each API's own shape for an unknown or missing token", async () => {
    const g = await fetch(`${sb.gmailBase}/users/me/profile`, { headers: { authorization: 'Bearer nope' } });
    expect(g.status).toBe(401);
    expect(((await g.json()) as any).error.status).toBe('UNAUTHENTICATED');
    const m = await fetch(`${sb.graphBase}/me/messages`);
    expect(m.status).toBe(401);
    expect(((await m.json()) as any).error.code).toBe('InvalidAuthenticationToken');
    const crossed = await fetch(`${sb.graphBase}/me/messages`, {
      headers: { authorization: `Bearer ${sb.tokenFor(REP)}` },
    });
    expect(crossed.status).toBe(401);
  });

  it('throttles a fifth concurrent Graph request for one mailbox with 429 and Retry-After', async () => {
    sb.addMailbox('busy@contoso.example', 'graph');
    sb.fault({ route: 'GET /graph/v1.0/me/messages', kind: 'latency', latencyMs: 200, times: Infinity });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => graph('/me/messages', {}, 'busy@contoso.example')),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = results.find((r) => r.status === 429);
    expect(refused?.headers.get('retry-after')).toBeTruthy();
    expect(refused?.body?.error.code).toBe('ApplicationThrottled');
    expect(sb.maxConcurrency('busy@contoso.example')).toBeGreaterThan(4);
  });

  it('logs every API call with its mailbox, query string and status', async () => {
    const before = sb.requestLog().length;
    await gmail('/users/me/profile');
    await gmail('/users/me/messages?q=in%3Asent&maxResults=1');
    expect(sb.requestLog().slice(before)).toEqual([
      { method: 'GET', path: '/gmail/v1/users/me/profile', query: '', status: 200, mailbox: REP },
      {
        method: 'GET',
        path: '/gmail/v1/users/me/messages',
        query: '?q=in%3Asent&maxResults=1',
        status: 200,
        mailbox: REP,
      },
    ]);
  });
});

describe('control endpoints', () => {
  const ctl = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.url}/__sandbox${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
  };

  it('adds a mailbox, injects mail, lists inbox and sent, sets and clears faults, expires cursors', async () => {
    const added = await ctl('POST', '/mailboxes', { address: 'demo@example.com', provider: 'gmail' });
    expect(added.status).toBe(201);
    expect(added.body.token).toBe(sb.tokenFor('demo@example.com'));
    const injected = await ctl('POST', '/inject', {
      to: 'demo@example.com',
      from: CONTACT,
      subject: 'Hi',
      text: 'hello',
    });
    expect(injected.status).toBe(201);
    const rawInjected = await ctl('POST', '/inject', {
      to: 'demo@example.com',
      raw: 'From: a@b.example\r\nSubject: raw\r\n\r\nbody',
    });
    expect(rawInjected.status).toBe(201);
    const inbox = await ctl('GET', '/mailboxes/demo@example.com/inbox');
    expect(inbox.body.map((m: { subject: string }) => m.subject)).toEqual(['Hi', 'raw']);
    expect((await ctl('GET', '/mailboxes/demo@example.com/sent')).body).toEqual([]);
    expect(
      (
        await ctl('POST', '/faults', {
          route: 'GET /gmail/v1/users/me/profile',
          kind: 'status',
          status: 500,
          times: 'Infinity',
        })
      ).status,
    ).toBe(201);
    expect((await gmail('/users/me/profile', {}, 'demo@example.com')).status).toBe(500);
    expect((await ctl('DELETE', '/faults')).status).toBe(204);
    expect((await gmail('/users/me/profile', {}, 'demo@example.com')).status).toBe(200);
    expect((await ctl('POST', '/mailboxes/demo@example.com/expire-history')).status).toBe(204);
    expect((await ctl('POST', '/mailboxes/demo@example.com/expire-delta')).status).toBe(204);
  });

  it('answers 400 naming the field when a body is invalid', async () => {
    const res = await ctl('POST', '/mailboxes', { address: 'x@y.example', provider: 'yahoo' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^provider:/);
    expect((await ctl('POST', '/faults', { route: 'GET /x', kind: 'status' })).body.error).toMatch(
      /^status:/,
    );
  });
});
