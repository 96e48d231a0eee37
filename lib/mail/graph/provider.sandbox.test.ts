// @vitest-environment node
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../tools/sandbox/server';
import type { MailProvider, OutgoingMessage } from '../provider';
import { parseHeaders } from '../../replies';
import { createGraphProvider, THREADLINE_HEADER } from './provider';

// The Graph provider against the mail sandbox over real HTTP: only the base URL differs from production.
// What every provider does is in ../provider-contract.sandbox.test.ts; here what Graph does its own way.

const REP = 'rep@graph-sandbox.example';
const CONTACT = 'pat@prospect.example';
let sandbox: Sandbox;
const sleeps: number[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.addMailbox(REP, 'graph');
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.clearFaults();
  sleeps.length = 0;
});

function provider(mailbox = REP): MailProvider {
  return createGraphProvider({
    mailbox,
    baseUrl: sandbox.graphBase,
    getAccessToken: async () => sandbox.tokenFor(mailbox),
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
    from: { address: REP },
    to: [{ address: CONTACT, name: 'Pat' }],
    subject: `Quick question ${n} — über`,
    html: `<p>Hi Pat (${n}) — schön</p>`,
    text: `Hi Pat (${n})`,
  };
}

/** A Graph call the rep's Outlook would make (a folder, a rule), over the sandbox's real HTTP API. */
async function graphCall(path: string, body: unknown) {
  const res = await fetch(sandbox.graphBase + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.tokenFor(REP)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

async function sendPair(graph: MailProvider) {
  const opening = first();
  const one = await graph.send(opening);
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
  const two = await graph.send(followUp);
  return { opening, one, followUp, two };
}

describe('Graph provider against the mail sandbox', () => {
  it('marks each email it sends with its Message-ID in the Threadline header', async () => {
    const { opening, one } = await sendPair(provider());
    const sent = sandbox.sent(REP).filter((m) => m.threadId === one.threadId);
    // The body is not checked here: the sandbox labels draft bodies base64 without encoding them (its composeMail).
    expect(sent[0]?.headers[THREADLINE_HEADER.toLowerCase()] ?? sent[0]?.headers[THREADLINE_HEADER]).toBe(
      opening.messageId,
    );
  });

  it('sees a reply an inbox rule filed into a folder, across folders, at a constant number of calls', async () => {
    const graph = provider();
    const { one, followUp } = await sendPair(graph);
    // The rep's rule files everything from the prospect's domain into "Prospects".
    const folder = await graphCall('/me/mailFolders', { displayName: `Prospects ${++counter}` });
    await graphCall('/me/mailFolders/inbox/messageRules', {
      displayName: 'Prospects',
      sequence: 1,
      isEnabled: true,
      conditions: { senderContains: [`filed${counter}@`] },
      actions: { moveToFolder: folder.id, stopProcessingRules: true },
    });
    const start = await graph.changesSince(undefined);
    expect(start.messages).toEqual([]);

    const reply = await sandbox.inject(REP, {
      from: `Pat <filed${counter}@prospect.example>`,
      subject: `Re: ${followUp.subject}`,
      text: 'Sounds good, call me.',
      inReplyTo: followUp.messageId,
      references: [one.messageId, followUp.messageId],
    });
    expect(sandbox.inbox(REP).map((m) => m.providerMessageId)).not.toContain(reply.providerMessageId);
    const changes = await graph.changesSince(start.cursor);
    expect(changes.resynced).toBe(false);
    expect(changes.messages).toEqual([
      { providerMessageId: reply.providerMessageId, threadId: one.threadId },
    ]);

    const fetched = await graph.getMessage(reply.providerMessageId);
    expect(fetched.threadId).toBe(one.threadId);
    expect((await PostalMime.parse(fetched.raw)).inReplyTo).toBe(followUp.messageId);
    expect(parseHeaders((await graph.getHeaders(reply.providerMessageId)).headerBlock).from?.address).toBe(
      `filed${counter}@prospect.example`,
    );

    // The conversation, wherever its messages are filed: our two emails (Sent Items) and the reply (Prospects).
    const thread = await graph.threadMessages(one.threadId);
    expect(thread.filter((m) => !m.draft).map((m) => m.from)).toEqual([
      REP,
      REP,
      `filed${counter}@prospect.example`,
    ]);

    // Once the folders to leave out are known, a quiet cycle is one request.
    const quiet = sandbox.requestLog().length;
    const again = await graph.changesSince(changes.cursor);
    expect(again.messages).toEqual([]);
    expect(sandbox.requestLog().length - quiet).toBe(1);
  });

  it('never has more than 4 requests in flight for the mailbox', async () => {
    const graph = provider();
    const logBefore = sandbox.requestLog().length;
    sandbox.fault({ route: 'GET /graph/v1.0/me/messages', kind: 'latency', latencyMs: 30, times: 20 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => graph.findByMessageId(`<nobody-${i}@threadline.test>`)),
    );
    expect(results.every((r) => r === null)).toBe(true);
    // 20 slow look-ups at once: the limit, not the test, is what holds them to 4.
    expect(sandbox.maxConcurrency(REP)).toBe(4);
    const throttled = sandbox
      .requestLog()
      .slice(logBefore)
      .filter((e) => e.status === 429);
    expect(throttled).toEqual([]);
  });
  describe('watching a mailbox through a flood', () => {
    let boxes = 0;
    /** A mailbox of its own, so what other tests left behind does not count. */
    function freshMailbox(): string {
      const address = `flood-${++boxes}@graph-sandbox.example`;
      sandbox.addMailbox(address, 'graph');
      return address;
    }
    const listCalls = (from: number, mailbox: string) =>
      sandbox
        .requestLog()
        .slice(from)
        .filter((e) => e.mailbox === mailbox && e.path.endsWith('/me/messages'));

    it('sees the reply after 1,000 emails the rep just sent, with one request', async () => {
      const box = freshMailbox();
      const graph = provider(box);
      const sent = [];
      for (let i = 0; i < 1000; i += 4)
        sent.push(
          ...(await Promise.all(
            [0, 1, 2, 3].map((j) =>
              graph.send({
                messageId: `<bulk-${i + j}@threadline.test>`,
                from: { address: box },
                to: [{ address: `c${i + j}@prospect.example` }],
                subject: `Quick question ${i + j}`,
                html: '<p>Hi</p>',
                text: 'Hi',
              }),
            ),
          )),
        );
      const start = await graph.changesSince(undefined);
      const last = sent.at(-1)!;
      const reply = await sandbox.inject(box, {
        from: 'c999@prospect.example',
        subject: 'Re: Quick question 999',
        text: 'Yes, Tuesday works.',
        inReplyTo: '<bulk-999@threadline.test>',
      });
      const before = sandbox.requestLog().length;
      const next = await graph.changesSince(start.cursor);
      expect(next.messages).toEqual([
        { providerMessageId: reply.providerMessageId, threadId: last.threadId },
      ]);
      expect(sandbox.requestLog().length - before).toBe(1);
    }, 60_000);

    it('reports every message of a flood larger than a cycle reads exactly once, then the reply', async () => {
      const box = freshMailbox();
      const graph = provider(box);
      let cursor = (await graph.changesSince(undefined)).cursor;
      // 1,200 messages within the same minute, many in the same second: more than one cycle's 20 pages of 50.
      const flood: string[] = [];
      for (let i = 0; i < 1200; i++)
        flood.push(
          (await sandbox.inject(box, { from: `news${i}@list.example`, subject: `Digest ${i}`, text: 'News' }))
            .providerMessageId,
        );
      const reply = await sandbox.inject(box, { from: CONTACT, subject: 'Re: Pilot', text: 'Call me.' });
      const reported: string[] = [];
      const pagesRead = new Set<string>();
      for (let cycle = 0; cycle < 5; cycle++) {
        const before = sandbox.requestLog().length;
        const changes = await graph.changesSince(cursor);
        expect(changes.resynced).toBe(false);
        for (const call of listCalls(before, box)) {
          // Never the same page twice: each cycle goes on from where the last one stopped.
          expect(pagesRead.has(call.query), call.query).toBe(false);
          pagesRead.add(call.query);
        }
        reported.push(...changes.messages.map((m) => m.providerMessageId));
        cursor = changes.cursor;
        if (reported.includes(reply.providerMessageId)) break;
      }
      expect(reported).toHaveLength(new Set(reported).size);
      expect(reported).toEqual([...flood, reply.providerMessageId]);
      // Caught up: the next cycles report nothing again, each reading only the flood's unread tail at most
      // (from where the last full cycle stopped), never the whole flood from its start.
      for (let cycle = 0; cycle < 2; cycle++) {
        const before = sandbox.requestLog().length;
        const quiet = await graph.changesSince(cursor);
        expect(quiet.messages).toEqual([]);
        expect(listCalls(before, box).length).toBeLessThan(20);
        cursor = quiet.cursor;
      }
    });
  });
});
