import { describe, expect, it } from 'vitest';
import { isMailPage, MAIL_HOSTS } from '../hosts/mail-hosts';
import { listen, send, type Runtime, type Sender } from '../protocol/endpoints';
import { replyHtml } from '../templates/reply';
import { pageHandlers } from './pages';

const EXT = 'chrome-extension://ext/sidepanel.html';
const OUTLOOK = 'https://outlook.cloud.microsoft/mail/inbox/id/AAQ';
const req = {
  to: ['ada@acme.example'],
  subject: 'Re: Acme hiring plans',
  body: replyHtml(
    'Hi Ada,\n\nWould 30 minutes <this week> work? It is a long enough line to be wrapped by a mail client.',
  ),
};

function setUp() {
  const opened: string[] = [];
  const session = new Map<string, unknown>();
  const handlers = pageHandlers({
    storage: {
      session: {
        set: async (items) => void Object.entries(items).forEach(([k, v]) => session.set(k, v)),
        get: async (key) => (typeof key === 'string' && session.has(key) ? { [key]: session.get(key) } : {}),
      },
    },
    tabs: { create: async ({ url }) => void opened.push(url) },
    runtime: { getURL: (p: string) => `chrome-extension://ext${p}` },
    hosts: MAIL_HOSTS,
    now: () => 1,
  });
  /** The background as `url` reaches it: listen() with the sender checks. */
  const from = (url: string): Runtime => {
    let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
    const runtime: Runtime = {
      id: 'ext',
      sendMessage: async (m) => listener?.(m, { id: 'ext', url }),
      onMessage: { addListener: (cb) => void (listener = cb) },
    };
    listen(runtime, handlers, (u) => isMailPage(u, MAIL_HOSTS));
    return runtime;
  };
  return { opened, from };
}

describe('compose.outlook: a deal step’s new message in Outlook, opened by the background', () => {
  it('opens the compose deeplink in a tab on the Outlook the rep is on, filled in, and says it did', async () => {
    const { opened, from } = setUp();
    expect(await send(from(OUTLOOK), 'compose.outlook', req)).toEqual({ opened: true });
    expect(opened).toHaveLength(1);
    const url = new URL(opened[0]!);
    expect(url.origin + url.pathname).toBe('https://outlook.cloud.microsoft/mail/deeplink/compose');
    expect(url.searchParams.get('to')).toBe('ada@acme.example');
    expect(url.searchParams.get('subject')).toBe('Re: Acme hiring plans');
    expect(url.searchParams.get('body')).toBe(
      'Hi Ada,\n\nWould 30 minutes <this week> work? It is a long enough line to be wrapped by a mail client.',
    );
  });

  it('from the side panel: on the Outlook the rep was last on; none known, it opens nothing and says so', async () => {
    const { opened, from } = setUp();
    expect(await send(from(EXT), 'compose.outlook', req)).toEqual({ opened: false });
    expect(opened).toEqual([]);
    const thread = { id: 't', subject: 's', participants: [], host: 'outlook' as const };
    await send(from('https://outlook.live.com/mail/0/inbox'), 'thread.fallback', { thread });
    expect(await send(from(EXT), 'compose.outlook', req)).toEqual({ opened: true });
    expect(new URL(opened[0]!).origin).toBe('https://outlook.live.com');
  });

  it('opens no Outlook for a Gmail page, no URL a page names, and nothing for a page that is no mail host', async () => {
    const { opened, from } = setUp();
    expect(await send(from('https://mail.google.com/mail/u/0/'), 'compose.outlook', req)).toEqual({
      opened: false,
    });
    await expect(
      send(from(OUTLOOK), 'compose.outlook', { ...req, url: 'https://evil.example/' } as never),
    ).rejects.toThrow(/url/);
    await expect(send(from('https://evil.example/'), 'compose.outlook', req)).rejects.toThrow(/refused/);
    expect(opened).toEqual([]);
  });
});
