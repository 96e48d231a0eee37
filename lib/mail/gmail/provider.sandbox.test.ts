// @vitest-environment node
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../tools/sandbox/server';
import { buildMime } from '../mime';
import type { MailProvider, OutgoingMessage } from '../provider';
import { parseHeaders } from '../../replies';
import { createGmailProvider } from './provider';

// The Gmail provider against the mail sandbox over real HTTP: only the base URL differs from production.
// What every provider does is in ../provider-contract.sandbox.test.ts; here what Gmail does its own way.

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

describe('Gmail provider against the mail sandbox', () => {
  it('writes the follow-up as raw MIME with its text and the sender’s non-ASCII name intact', async () => {
    const gmail = provider();
    const opening = first();
    const one = await gmail.send(opening);
    await gmail.send({
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
    });
    const sent = sandbox.sent(REP).filter((m) => m.threadId === one.threadId);
    const parsed = await PostalMime.parse(sent[1]!.raw);
    expect(parsed.text).toBe('Following up');
    expect(parsed.from?.name).toBe('Rép Ñame');
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

  it('fetches an inbound message as the very bytes it arrived as (format=raw)', async () => {
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
    expect((await PostalMime.parse(fetched.raw)).from?.name).toBe('Pât Ørsted');
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

  it('retries the start of a watch after a dropped connection (its profile call)', async () => {
    const gmail = provider();
    sandbox.fault({ route: 'GET /gmail/v1/users/me/profile', kind: 'drop' });
    await expect(gmail.changesSince(undefined)).resolves.toMatchObject({ messages: [] });
  });
});
