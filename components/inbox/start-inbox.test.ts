import { describe, expect, it } from 'vitest';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { HostDriver, ThreadView } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { startInbox } from './start-inbox';

/** A host whose threads the test opens and closes, with no panel slot (the side panel shows them). */
function fakeHost() {
  let onThread: ((view: ThreadView) => void) | undefined;
  const driver = {
    host: 'outlook',
    watchThreads: (cb: (view: ThreadView) => void) => void (onThread = cb),
    mountQueue: async () => null,
    addComposeButton: () => undefined,
    addQueuePage: () => undefined,
    theme: () => 'light',
    openCompose: async () => undefined,
  } as unknown as HostDriver;
  const open = (participants: { email: string; name?: string }[]) => {
    const closed = new AbortController();
    onThread!({
      thread: { id: 't1', subject: 'Pricing', participants, me: 'rep@seller.example' },
      panel: null,
      signal: closed.signal,
    });
    return () => closed.abort();
  };
  return { driver, open };
}

describe('the inbox content script', () => {
  it('tells the background when the rep leaves a thread, naming its people but not the rep', async () => {
    const sent: { name: string; request: unknown }[] = [];
    const runtime: Runtime = {
      id: 'ext',
      onMessage: { addListener: () => undefined },
      sendMessage: async (m) => {
        sent.push(m as { name: string; request: unknown });
        return { ok: true, data: { ok: true } };
      },
    };
    const { driver, open } = fakeHost();
    const ctx = { signal: new AbortController().signal } as unknown as ContentScriptContext;
    startInbox(ctx, driver, { runtime });
    const close = open([
      { email: 'ada@acme.example', name: 'Ada' },
      { email: 'rep@seller.example', name: 'Sam' },
    ]);
    expect(sent.filter((m) => m.name === 'thread.closed')).toEqual([]);
    close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent.filter((m) => m.name === 'thread.closed').map((m) => m.request)).toEqual([
      { participants: [{ email: 'ada@acme.example', name: 'Ada' }] },
    ]);
  });
});
