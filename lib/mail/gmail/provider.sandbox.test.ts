// @vitest-environment node
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../tools/sandbox/server';
import { buildMime } from '../mime';
import { MailError, type MailProvider, type OutgoingMessage } from '../provider';
import { parseHeaders } from '../../replies';
import { createGmailProvider } from './provider';

// The Gmail provider against the mail sandbox over real HTTP: only the base URL differs from production.

const REP = 'rep@gmail-sandbox.example';
const CONTACT = 'pat@prospect.example';
let sandbox: Sandbox;
const sleeps: number[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.addMailbox(REP, 'gmail');
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.clearFaults();
  sleeps.length = 0;
});

function provider(address = REP): MailProvider {
  return createGmailProvider({
    mailbox: address,
    baseUrl: sandbox.gmailBase,
    getAccessToken: async () => sandbox.tokenFor(address),
    fetch: globalThis.fetch,
    clock: () => Date.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
}

let counter = 0;
function first(): OutgoingMessage {
  const n = ++counter;
  return {
    messageId: `<enr-${n}.step-1@threadline.test>`,
    from: { address: REP, name: 'Rép Ñame' },
    to: [{ address: CONTACT, name: 'Pat' }],
    subject: `Quick question ${n} — über`,
    html: `<p>Hi Pat (${n})</p>`,
    text: `Hi Pat (${n})`,
  };
}

const sentCalls = () => sandbox.requestLog().filter((e) => e.path.endsWith('/messages/send')).length;

describe('Gmail provider against the mail sandbox', () => {
  it('replies inside a thread the rep already has: its newest message, then a first email threaded under it', async () => {
    const mail = provider();
    const opening = first();
    const one = await mail.send(opening);
    const answer = await sandbox.inject(REP, {
      from: `Pat <${CONTACT}>`,
      subject: `Re: ${opening.subject}`,
      text: 'Tell me more',
      inReplyTo: opening.messageId,
    });
    expect(answer.threadId).toBe(one.threadId);
    const answerId = sandbox
      .inbox(REP)
      .find((m) => m.providerMessageId === answer.providerMessageId)!.messageId;

    const tip = await mail.latestInThread(one.threadId);
    expect(tip).toMatchObject({
      threadId: one.threadId,
      providerMessageId: answer.providerMessageId,
      messageId: answerId,
      subject: `Re: ${opening.subject}`,
    });
    const enrolled = first();
    const sent = await mail.send({
      ...enrolled,
      subject: tip!.subject,
      thread: {
        threadId: tip!.threadId,
        lastProviderMessageId: tip!.providerMessageId,
        lastMessageId: tip!.messageId,
        references: [...tip!.references, tip!.messageId],
      },
    });
    expect(sent.threadId).toBe(one.threadId);
    const last = sandbox.sent(REP).at(-1)!;
    expect(last.messageId).toBe(enrolled.messageId);
    expect(last.threadId).toBe(one.threadId);
    expect(last.inReplyTo).toBe(answerId);
    expect(last.subject).toMatch(/^re: /i);
    expect(last.to).toEqual([CONTACT]);
    // The rep's own sent email is now the newest of the thread.
    expect((await mail.latestInThread(one.threadId))?.messageId).toBe(enrolled.messageId);
  });

  it('answers null for a thread the mailbox does not have', async () => {
    expect(await provider().latestInThread('18c2f0a9e4b7d3ff')).toBeNull();
  });

  it('sends a first email and a follow-up in the same thread, with In-Reply-To and References', async () => {
    const gmail = provider();
    const opening = first();
    const one = await gmail.send(opening);
    const followUp: OutgoingMessage = {
      ...opening,
      messageId: opening.messageId.replace('step-1', 'step-2'),
      html: '<p>Following up</p>',
      text: 'Following up',
      thread: {
        threadId: one.threadId,
        lastProviderMessageId: one.providerMessageId,
        lastMessageId: one.messageId,
        references: [one.messageId],
      },
    };
    const two = await gmail.send(followUp);

    expect(two.threadId).toBe(one.threadId);
    const sent = sandbox.sent(REP).filter((m) => m.threadId === one.threadId);
    expect(sent.map((m) => m.messageId)).toEqual([opening.messageId, followUp.messageId]);
    expect(sent[1]?.inReplyTo).toBe(opening.messageId);
    expect(sent[1]?.references).toEqual([opening.messageId]);
    expect(sent[1]?.subject).toBe(`Re: ${opening.subject}`);
    const parsed = await PostalMime.parse(sent[1]!.raw);
    expect(parsed.text).toBe('Following up');
    expect(parsed.from?.name).toBe('Rép Ñame');
  });

  it('finds a sent message by Message-ID and answers null for an unknown one', async () => {
    const gmail = provider();
    const message = first();
    const sent = await gmail.send(message);
    await expect(gmail.findByMessageId(message.messageId)).resolves.toEqual(sent);
    await expect(gmail.findByMessageId('<never-sent@threadline.test>')).resolves.toBeNull();
  });

  it('sees an injected reply through history with a constant number of calls', async () => {
    const gmail = provider();
    const message = first();
    const sent = await gmail.send(message);
    const start = await gmail.changesSince(undefined);
    expect(start.messages).toEqual([]);

    const reply = await sandbox.inject(REP, {
      from: `Pat <${CONTACT}>`,
      subject: `Re: ${message.subject}`,
      text: 'Sounds good, call me.',
      inReplyTo: message.messageId,
      references: [message.messageId],
    });
    const before = sandbox.requestLog().length;
    const changes = await gmail.changesSince(start.cursor);
    const calls = sandbox.requestLog().length - before;

    expect(changes.resynced).toBe(false);
    expect(changes.messages).toContainEqual({
      providerMessageId: reply.providerMessageId,
      threadId: sent.threadId,
    });
    expect(calls).toBe(1);

    const fetched = await gmail.getMessage(reply.providerMessageId);
    expect(fetched.threadId).toBe(sent.threadId);
    expect((await PostalMime.parse(fetched.raw)).inReplyTo).toBe(message.messageId);

    // Nothing new: still one call, and nothing reported.
    const quiet = sandbox.requestLog().length;
    const again = await gmail.changesSince(changes.cursor);
    expect(again.messages).toEqual([]);
    expect(sandbox.requestLog().length - quiet).toBe(1);
  });

  it('sees a reply a filter archived ("skip the Inbox"), and the whole thread whatever its labels', async () => {
    const address = `rep-filtered-${++counter}@gmail-sandbox.example`;
    sandbox.addMailbox(address, 'gmail');
    const gmail = provider(address);
    const res = await fetch(`${sandbox.gmailBase}/users/me/settings/filters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.tokenFor(address)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        criteria: { from: '@prospect.example' },
        action: { removeLabelIds: ['INBOX'] },
      }),
    });
    expect(res.status).toBe(200);
    const message = { ...first(), from: { address } };
    const sent = await gmail.send(message);
    const start = await gmail.changesSince(undefined);
    const reply = await sandbox.inject(address, {
      from: `Pat <${CONTACT}>`,
      subject: `Re: ${message.subject}`,
      text: 'Sounds good, call me.',
      inReplyTo: message.messageId,
    });
    expect(sandbox.inbox(address)).toEqual([]);
    const changes = await gmail.changesSince(start.cursor);
    expect(changes.messages).toEqual([
      { providerMessageId: reply.providerMessageId, threadId: sent.threadId },
    ]);
    const headers = parseHeaders((await gmail.getHeaders(reply.providerMessageId)).headerBlock);
    expect(headers.from?.address).toBe(CONTACT);
    expect(headers.inReplyTo).toBe(message.messageId);
    expect(await gmail.threadMessages(sent.threadId)).toEqual([
      {
        providerMessageId: sent.providerMessageId,
        threadId: sent.threadId,
        messageId: message.messageId,
        from: address,
        draft: false,
      },
      expect.objectContaining({ providerMessageId: reply.providerMessageId, from: CONTACT, draft: false }),
    ]);
    // After an expired history id, the re-sync still finds it (it lists mail, not the Inbox).
    sandbox.expireHistory(address);
    const resynced = await gmail.changesSince(start.cursor);
    expect(resynced.resynced).toBe(true);
    expect(resynced.messages.map((m) => m.providerMessageId)).toEqual([reply.providerMessageId]);
  });

  it('fetches an inbound message as the raw MIME it arrived as, non-ASCII intact', async () => {
    const gmail = provider();
    const raw = buildMime(
      {
        messageId: '<reply-1@prospect.example>',
        from: { address: CONTACT, name: 'Pât Ørsted' },
        to: [{ address: REP }],
        subject: 'Grüße',
        text: 'Ja, gerne — nächste Woche?',
        html: '<p>Ja, gerne — nächste Woche?</p>',
      },
      Date.now(),
    );
    const injected = await sandbox.inject(REP, raw);
    const fetched = await gmail.getMessage(injected.providerMessageId);
    expect(fetched.raw).toBe(raw);
    const parsed = await PostalMime.parse(fetched.raw);
    expect(parsed.text).toBe('Ja, gerne — nächste Woche?');
    expect(parsed.from?.name).toBe('Pât Ørsted');
  });

  it('re-syncs when the history id has expired, without losing what arrived meanwhile', async () => {
    const gmail = provider();
    const start = await gmail.changesSince(undefined);
    const reply = await sandbox.inject(REP, { from: CONTACT, subject: 'Hello', text: 'In the gap' });
    sandbox.expireHistory(REP);
    const changes = await gmail.changesSince(start.cursor);
    expect(changes.resynced).toBe(true);
    expect(changes.messages.map((m) => m.providerMessageId)).toContain(reply.providerMessageId);
    const next = await gmail.changesSince(changes.cursor);
    expect(next.resynced).toBe(false);
  });

  it('retries a 429 after the Retry-After it was given', async () => {
    const gmail = provider();
    sandbox.fault({
      route: 'POST /gmail/v1/users/me/messages/send',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
    });
    const before = sentCalls();
    await gmail.send(first());
    expect(sentCalls() - before).toBe(2);
    expect(sleeps).toEqual([2000]);
  });

  it("retries Gmail's rate-limit 403", async () => {
    const gmail = provider();
    sandbox.fault({
      route: 'GET /gmail/v1/users/me/profile',
      kind: 'status',
      status: 403,
      reason: 'userRateLimitExceeded',
    });
    await expect(gmail.changesSince(undefined)).resolves.toMatchObject({ resynced: false });
    expect(sleeps).toHaveLength(1);
  });

  it('retries after a dropped connection, and sends once', async () => {
    const gmail = provider();
    sandbox.fault({ route: 'POST /gmail/v1/users/me/messages/send', kind: 'drop' });
    const message = first();
    const before = sandbox.sent(REP).length;
    const sent = await gmail.send(message);
    expect(sandbox.sent(REP).length - before).toBe(1);
    expect(sandbox.sent(REP).at(-1)?.messageId).toBe(message.messageId);
    expect(sent.messageId).toBe(message.messageId);

    sandbox.fault({ route: 'GET /gmail/v1/users/me/profile', kind: 'drop' });
    await expect(gmail.changesSince(undefined)).resolves.toMatchObject({ messages: [] });
  });

  it('does not send twice when the connection dies after the mail was accepted', async () => {
    const mail = provider();
    sandbox.fault({ route: 'POST /gmail/v1/users/me/messages/send', kind: 'drop', when: 'after' });
    const message = first();
    const before = sandbox.sent(REP).length;
    const sent = await mail.send(message);
    expect(sandbox.sent(REP).length - before).toBe(1);
    expect(sent.messageId).toBe(message.messageId);
    await expect(mail.findByMessageId(message.messageId)).resolves.toEqual(sent);
  });

  it('does not send twice when the service answers 500 after the mail was accepted', async () => {
    const mail = provider();
    sandbox.fault({
      route: 'POST /gmail/v1/users/me/messages/send',
      kind: 'status',
      status: 500,
      when: 'after',
    });
    const before = sandbox.sent(REP).length;
    await mail.send(first());
    expect(sandbox.sent(REP).length - before).toBe(1);
  });

  it('does not retry insufficientPermissions and says what to do', async () => {
    const gmail = provider();
    sandbox.fault({
      route: 'POST /gmail/v1/users/me/messages/send',
      kind: 'status',
      status: 403,
      reason: 'insufficientPermissions',
    });
    const before = sentCalls();
    const error = (await gmail.send(first()).catch((e: unknown) => e)) as MailError;
    expect(error).toBeInstanceOf(MailError);
    expect(['auth', 'permanent']).toContain(error.kind);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/permission/i);
    expect(sentCalls() - before).toBe(1);
  });

  it('reports a revoked token as an auth error', async () => {
    const gmail = createGmailProvider({
      mailbox: REP,
      baseUrl: sandbox.gmailBase,
      getAccessToken: async () => 'not-a-token',
      fetch: globalThis.fetch,
      clock: () => Date.now(),
    });
    await expect(gmail.changesSince(undefined)).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
