import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { createFakeMailProvider } from './fake';
import { buildMime } from './mime';
import { MailError, type OutgoingMessage } from './provider';

const REP = 'rep@acme.example';
const opening: OutgoingMessage = {
  messageId: '<enr-1.step-1@threadline.test>',
  from: { address: REP },
  to: [{ address: 'pat@prospect.example' }],
  subject: 'Hello',
  html: '<p>Hi</p>',
  text: 'Hi',
};

describe('fake mail provider', () => {
  it('keeps sent mail with deterministic ids and threads a follow-up in the same thread', async () => {
    const mail = createFakeMailProvider({ mailbox: REP, clock: () => 0 });
    const one = await mail.send(opening);
    const two = await mail.send({
      ...opening,
      messageId: '<enr-1.step-2@threadline.test>',
      thread: {
        threadId: one.threadId,
        lastProviderMessageId: one.providerMessageId,
        lastMessageId: one.messageId,
        references: [one.messageId],
      },
    });
    expect(one).toEqual({
      providerMessageId: 'msg-000001',
      threadId: 'thread-000002',
      messageId: opening.messageId,
    });
    expect(two.threadId).toBe(one.threadId);
    expect(mail.sent).toHaveLength(2);
    const parsed = await PostalMime.parse(mail.sent[1]!.raw);
    expect(parsed.inReplyTo).toBe(opening.messageId);
    expect(parsed.subject).toBe('Re: Hello');
  });

  it('answers findByMessageId for sent mail only, and null otherwise', async () => {
    const mail = createFakeMailProvider({ mailbox: REP });
    const sent = await mail.send(opening);
    await expect(mail.findByMessageId(opening.messageId)).resolves.toEqual(sent);
    await expect(mail.findByMessageId('<other@x>')).resolves.toBeNull();
  });

  it('reports injected replies from a cursor, in the thread they answer', async () => {
    const mail = createFakeMailProvider({ mailbox: REP });
    const sent = await mail.send(opening);
    const start = await mail.changesSince(undefined);
    expect(start.messages).toEqual([]);
    const reply = await mail.inject({
      from: 'Pat <pat@prospect.example>',
      subject: 'Re: Hello',
      text: 'Yes',
      inReplyTo: sent.messageId,
    });
    const raw = await mail.inject(
      buildMime(
        {
          ...opening,
          messageId: '<other@prospect.example>',
          from: { address: 'x@y.example' },
          to: [{ address: REP }],
        },
        0,
      ),
    );
    const changes = await mail.changesSince(start.cursor);
    expect(changes.messages).toEqual([
      { providerMessageId: reply.providerMessageId, threadId: sent.threadId },
      { providerMessageId: raw.providerMessageId, threadId: raw.threadId },
    ]);
    expect(raw.threadId).not.toBe(sent.threadId);
    expect((await PostalMime.parse((await mail.getMessage(reply.providerMessageId)).raw)).from).toEqual({
      address: 'pat@prospect.example',
      name: 'Pat',
    });
    await expect(mail.changesSince(changes.cursor)).resolves.toMatchObject({ messages: [] });
  });

  it('re-syncs an expired cursor and can fail on demand', async () => {
    const mail = createFakeMailProvider({ mailbox: REP });
    const start = await mail.changesSince(undefined);
    await mail.inject({ from: 'a@b.example', subject: 's', text: 't' });
    mail.expireCursors();
    await expect(mail.changesSince(start.cursor)).resolves.toMatchObject({
      resynced: true,
      messages: [expect.anything()],
    });

    mail.failNext('send', new MailError('quota', 'transient', 429, 1000));
    await expect(mail.send(opening)).rejects.toMatchObject({ kind: 'transient' });
    await expect(mail.send(opening)).resolves.toBeDefined();
  });
});
