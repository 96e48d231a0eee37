// @vitest-environment node
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { createGmailProvider } from './gmail/provider';
import { createGraphProvider } from './graph/provider';
import { buildMime } from './mime';
import { MailError, type MailProvider, type OutgoingMessage } from './provider';

/**
 * What every mail provider promises the runner (lib/mail/provider.ts), checked against the mail sandbox over
 * real HTTP for Gmail and for Graph alike: only the base URL differs from production. What one provider does
 * its own way (Gmail's history and filters, Graph's folders, rules and request limit) is tested next to it,
 * in gmail/ and graph/provider.sandbox.test.ts.
 */

let sandbox: Sandbox;
const sleeps: number[] = [];
const CONTACT = 'pat@prospect.example';

interface Host {
  name: string;
  rep: string;
  kind: 'gmail' | 'graph';
  create(options: {
    mailbox: string;
    baseUrl: string;
    getAccessToken: () => Promise<string>;
    fetch: typeof fetch;
    clock: () => number;
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
  }): MailProvider;
  base(): string;
  /** The route of the request that hands the mail over (a sandbox fault pattern). */
  sendRoute: string;
  /** The route of the first request of a send: where a refusal stops it. */
  composeRoute: string;
  /** How the service says the account did not grant a permission. */
  deniedReason: string;
  /** A thread or conversation id of the service's shape that the mailbox does not have. */
  unknownThread: string;
  /** A Message-ID never sent, with what the service's query syntax must escape. */
  unknownMessageId: string;
  /** A cursor the provider can no longer go on from (expired, or of an older form), after `gap` ran. */
  staleCursor(mail: MailProvider, gap: () => Promise<unknown>): Promise<string>;
}

const HOSTS: Host[] = [
  {
    name: 'Gmail',
    rep: 'rep@gmail-sandbox.example',
    kind: 'gmail',
    create: createGmailProvider,
    base: () => sandbox.gmailBase,
    sendRoute: 'POST /gmail/v1/users/me/messages/send',
    composeRoute: 'POST /gmail/v1/users/me/messages/send',
    deniedReason: 'insufficientPermissions',
    unknownThread: '18c2f0a9e4b7d3ff',
    unknownMessageId: '<never-sent@threadline.test>',
    async staleCursor(mail, gap) {
      const start = await mail.changesSince(undefined);
      await gap();
      sandbox.expireHistory('rep@gmail-sandbox.example');
      return start.cursor;
    },
  },
  {
    name: 'Graph',
    rep: 'rep@graph-sandbox.example',
    kind: 'graph',
    create: createGraphProvider,
    base: () => sandbox.graphBase,
    sendRoute: 'POST /graph/v1.0/me/messages/[^/]+/send',
    composeRoute: 'POST /graph/v1.0/me/messages',
    deniedReason: 'ErrorAccessDenied',
    unknownThread: 'AAQkADnot-a-conversation',
    unknownMessageId: "<never-sent'quote@threadline.test>",
    async staleCursor(_mail, gap) {
      await gap();
      return `${sandbox.graphBase}/me/mailFolders/inbox/messages/delta?$deltatoken=x`;
    },
  },
];

beforeAll(async () => {
  sandbox = await startSandbox();
  for (const host of HOSTS) sandbox.addMailbox(host.rep, host.kind);
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.clearFaults();
  sleeps.length = 0;
});

let counter = 0;

describe.each(HOSTS)('$name provider against the mail sandbox', (host) => {
  const REP = host.rep;
  const provider = (token?: string): MailProvider =>
    host.create({
      mailbox: REP,
      baseUrl: host.base(),
      getAccessToken: async () => token ?? sandbox.tokenFor(REP),
      fetch: globalThis.fetch,
      clock: () => Date.now(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    });
  const first = (): OutgoingMessage => {
    const n = ++counter;
    return {
      messageId: `<enr-${n}.step-1@threadline.test>`,
      from: { address: REP, name: 'Rép Ñame' },
      to: [{ address: CONTACT, name: 'Pat' }],
      subject: `Quick question ${n} — über`,
      html: `<p>Hi Pat (${n}) — schön</p>`,
      text: `Hi Pat (${n})`,
    };
  };
  const sendCalls = () =>
    sandbox.requestLog().filter((e) => new RegExp(`${host.sendRoute.split(' ')[1]}$`).test(e.path)).length;

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
    expect(await provider().latestInThread(host.unknownThread)).toBeNull();
  });

  it('sends a first email and a follow-up in the same thread, with In-Reply-To and References, to the contact only', async () => {
    const mail = provider();
    const opening = first();
    const one = await mail.send(opening);
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
    const two = await mail.send(followUp);

    expect(two.threadId).toBe(one.threadId);
    const sent = sandbox.sent(REP).filter((m) => m.threadId === one.threadId);
    expect(sent.map((m) => m.messageId)).toEqual([opening.messageId, followUp.messageId]);
    expect(sent[1]?.inReplyTo).toBe(opening.messageId);
    expect(sent[1]?.references).toEqual([opening.messageId]);
    expect(sent[1]?.to).toEqual([CONTACT]);
    expect(sent[1]?.subject).toBe(`Re: ${opening.subject}`);
    expect((await PostalMime.parse(sent[0]!.raw)).subject).toBe(opening.subject);
  });

  it('finds a sent message by its Message-ID and answers null for an unknown one', async () => {
    const mail = provider();
    const message = first();
    const sent = await mail.send(message);
    await expect(mail.findByMessageId(message.messageId)).resolves.toEqual(sent);
    await expect(mail.findByMessageId(host.unknownMessageId)).resolves.toBeNull();
  });

  it('fetches an inbound message as raw MIME, non-ASCII intact', async () => {
    const mail = provider();
    const raw = buildMime(
      {
        messageId: `<reply-${++counter}@prospect.example>`,
        from: { address: CONTACT, name: 'Pât Ørsted' },
        to: [{ address: REP }],
        subject: 'Grüße',
        text: 'Ja, gerne — nächste Woche?',
        html: '<p>Ja, gerne — nächste Woche?</p>',
      },
      Date.now(),
    );
    const injected = await sandbox.inject(REP, raw);
    const parsed = await PostalMime.parse((await mail.getMessage(injected.providerMessageId)).raw);
    expect(parsed.text).toBe('Ja, gerne — nächste Woche?');
    expect(parsed.subject).toBe('Grüße');
  });

  it('starts over from a cursor it can no longer go on from, without losing what arrived meanwhile', async () => {
    const mail = provider();
    let reply: { providerMessageId: string } | undefined;
    const cursor = await host.staleCursor(mail, async () => {
      reply = await sandbox.inject(REP, { from: CONTACT, subject: 'Hello', text: 'In the gap' });
    });
    const changes = await mail.changesSince(cursor);
    expect(changes.resynced).toBe(true);
    expect(changes.messages.map((m) => m.providerMessageId)).toContain(reply!.providerMessageId);
    await expect(mail.changesSince(changes.cursor)).resolves.toMatchObject({
      resynced: false,
      messages: [],
    });
  });

  it('retries a 429 after the Retry-After it was given', async () => {
    const mail = provider();
    sandbox.fault({ route: host.sendRoute, kind: 'status', status: 429, retryAfterSeconds: 2 });
    const before = sendCalls();
    await mail.send(first());
    expect(sendCalls() - before).toBe(2);
    expect(sleeps).toEqual([2000]);
  });

  it('retries after a dropped connection, and sends once', async () => {
    const mail = provider();
    sandbox.fault({ route: host.sendRoute, kind: 'drop' });
    const message = first();
    const before = sandbox.sent(REP).length;
    const sent = await mail.send(message);
    expect(sandbox.sent(REP).length - before).toBe(1);
    expect(sandbox.sent(REP).at(-1)?.messageId).toBe(message.messageId);
    expect(sent.messageId).toBe(message.messageId);
  });

  it('does not send twice when the connection dies after the mail was accepted', async () => {
    const mail = provider();
    sandbox.fault({ route: host.sendRoute, kind: 'drop', when: 'after' });
    const message = first();
    const before = sandbox.sent(REP).length;
    const sent = await mail.send(message);
    expect(sandbox.sent(REP).length - before).toBe(1);
    expect(sent.messageId).toBe(message.messageId);
    await expect(mail.findByMessageId(message.messageId)).resolves.toEqual(sent);
  });

  it('does not send twice when the service answers 500 after the mail was accepted', async () => {
    const mail = provider();
    sandbox.fault({ route: host.sendRoute, kind: 'status', status: 500, when: 'after' });
    const before = sandbox.sent(REP).length;
    await mail.send(first());
    expect(sandbox.sent(REP).length - before).toBe(1);
  });

  it('does not retry a permission the account did not grant, and says what to do', async () => {
    const mail = provider();
    sandbox.fault({ route: host.composeRoute, kind: 'status', status: 403, reason: host.deniedReason });
    const before = sandbox.requestLog().length;
    const error = (await mail.send(first()).catch((e: unknown) => e)) as MailError;
    expect(error).toBeInstanceOf(MailError);
    expect(['auth', 'permanent']).toContain(error.kind);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/permission/i);
    expect(sandbox.requestLog().length - before).toBe(1);
  });

  it('reports a revoked token as an auth error', async () => {
    await expect(provider('not-a-token').changesSince(undefined)).rejects.toMatchObject({
      kind: 'auth',
      status: 401,
    });
  });
});
