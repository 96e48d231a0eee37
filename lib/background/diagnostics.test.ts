// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { DiagnosticsDb, KEEP } from '../diagnostics/store';
import { createGraphProvider } from '../mail/graph/provider';
import type { MailProvider } from '../mail/provider';
import { listen, send, type Runtime, type Sender } from '../protocol/endpoints';
import type { AccountView } from '../protocol/messages';
import { diagnosticsHandlers } from './diagnostics';

const REP = 'riley.chen@northwind.example';
let sandbox: Sandbox;
let db: DiagnosticsDb;
let clock = 1_000;
let accounts: AccountView[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, 'graph');
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  db = new DiagnosticsDb(`diagnostics-${Math.random()}`);
  accounts = [];
});

const providers = (): Record<string, MailProvider> => ({
  [REP]: createGraphProvider({
    mailbox: REP,
    baseUrl: sandbox.graphBase,
    getAccessToken: async () => sandbox.tokenFor(REP),
    fetch: globalThis.fetch,
    clock: () => Date.now(),
    sleep: async () => {},
    random: () => 0.5,
  }),
});

/** The background answering a content script on `url`, as chrome.runtime delivers it. */
function from(url: string): Runtime {
  let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
  const rt: Runtime = {
    id: 'ext-id',
    sendMessage: async (m) => listener?.(m, { id: 'ext-id', url }),
    onMessage: { addListener: (cb) => void (listener = cb) },
  };
  const handlers = diagnosticsHandlers({
    db,
    version: '1.4.0',
    now: () => clock,
    accounts: { list: async () => accounts, mailFor: (m) => providers()[m] },
  });
  listen(rt, handlers, (u) => u.startsWith('https://outlook.') || u.startsWith('https://mail.google.com/'));
  return rt;
}
const options = () => from('chrome-extension://ext-id/options.html');

describe('Diagnostics in the background', () => {
  it('keeps an anchor miss with the host from the sender’s page and the extension’s version', async () => {
    await send(from('https://outlook.cloud.microsoft/mail/inbox/id/AAkx'), 'diagnostics.record', {
      anchor: 'readingPane',
      page: 'conversation',
    });
    const { entries } = await send(options(), 'diagnostics.list', {});
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        anchor: 'readingPane',
        page: 'conversation',
        host: 'outlook.cloud.microsoft',
        version: '1.4.0',
        at: 1_000,
        firstAt: 1_000,
        count: 1,
      },
    ]);
  });

  it('counts the same miss again instead of adding rows, newest first', async () => {
    const outlook = from('https://outlook.office.com/mail/');
    await send(outlook, 'diagnostics.record', { anchor: 'subject', page: 'conversation' });
    clock = 2_000;
    await send(outlook, 'diagnostics.record', { anchor: 'composeSend', page: 'compose' });
    clock = 3_000;
    await send(outlook, 'diagnostics.record', { anchor: 'subject', page: 'conversation' });
    const { entries } = await send(options(), 'diagnostics.list', {});
    expect(entries.map((e) => [e.anchor, e.count, e.firstAt, e.at])).toEqual([
      ['subject', 2, 1_000, 3_000],
      ['composeSend', 1, 2_000, 2_000],
    ]);
  });

  it(`keeps the last ${KEEP} distinct misses`, async () => {
    const outlook = from('https://outlook.office.com/mail/');
    const names = Array.from(
      { length: KEEP + 5 },
      (_, i) => `anchor${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
    );
    for (const [i, anchor] of names.entries()) {
      clock = 10_000 + i;
      await send(outlook, 'diagnostics.record', { anchor, page: 'conversation' });
    }
    const { entries } = await send(options(), 'diagnostics.list', {});
    expect(entries).toHaveLength(KEEP);
    expect(entries[0]!.anchor).toBe(names.at(-1));
    expect(entries.map((e) => e.anchor)).not.toContain(names[0]);
  });

  it('refuses a report that could carry mail content: only anchor names and known page kinds', async () => {
    const outlook = from('https://outlook.office.com/mail/');
    await expect(
      send(outlook, 'diagnostics.record', { anchor: 'Ada <ada@acme.example>', page: 'conversation' }),
    ).rejects.toThrow('diagnostics.record: request.anchor: is not an anchor name');
    await expect(
      send(outlook, 'diagnostics.record', {
        anchor: 'subject',
        page: 'conversation',
        subject: 'Acme hiring plans',
      } as never),
    ).rejects.toThrow(/diagnostics\.record: request/);
    expect((await send(options(), 'diagnostics.list', {})).entries).toEqual([]);
  });

  it('clears the log from the options page', async () => {
    await send(from('https://mail.google.com/mail/u/0/'), 'diagnostics.record', {
      anchor: 'inboxsdk',
      page: 'gmail',
      detail: 'no_app_id',
    });
    await send(options(), 'diagnostics.clear', {});
    expect((await send(options(), 'diagnostics.list', {})).entries).toEqual([]);
  });
});

describe('people Outlook shows by name alone', () => {
  it('are looked up in the rep’s Outlook mailbox (Graph) by conversation', async () => {
    const opened = await sandbox.inject(REP, {
      from: 'Priya Shah <priya.shah@northwind.example>',
      subject: 'Acme renewal',
      text: 'Adding Sam from legal.',
    });
    accounts = [{ provider: 'graph', mailbox: REP, connectedAt: 1, dailyLimit: 10_000 }];
    const { people } = await send(from('https://outlook.office.com/mail/'), 'thread.people', {
      conversationId: opened.threadId,
      mailbox: REP,
    });
    expect(people).toContainEqual({ email: 'priya.shah@northwind.example', name: 'Priya Shah' });
    expect(people.map((p) => p.email)).toContain(REP);
  });

  it('come back empty when no Outlook mailbox is connected', async () => {
    accounts = [{ provider: 'gmail', mailbox: 'rep@example.com', connectedAt: 1, dailyLimit: 500 }];
    const { people } = await send(from('https://outlook.office.com/mail/'), 'thread.people', {
      conversationId: 'AAQk-x_',
    });
    expect(people).toEqual([]);
  });
});
