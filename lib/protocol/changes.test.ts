import { describe, expect, it, vi } from 'vitest';
import { createChangeBroadcaster, listenForChanges } from './changes';

describe('change notices', () => {
  it('collapses a burst into one notice to pages and to every mail tab, ignoring views that are not open', async () => {
    vi.useFakeTimers();
    const pages: unknown[] = [];
    const tabs: number[] = [];
    const b = createChangeBroadcaster({
      runtimeId: 'ext',
      sendToPages: async (m) => (pages.push(m), Promise.reject(new Error('Receiving end does not exist'))),
      mailTabIds: async () => [3, 7],
      sendToTab: async (id) => void tabs.push(id),
    });
    for (let i = 0; i < 10; i++) b.notify();
    await vi.runAllTimersAsync();
    expect(pages).toEqual([{ threadline: 'changed' }]);
    expect(tabs).toEqual([3, 7]);
    vi.useRealTimers();
  });

  it('reacts only to notices from its own extension', () => {
    let listener: ((m: unknown, s: { id?: string }) => undefined) | undefined;
    let changes = 0;
    const stop = listenForChanges(
      {
        id: 'ext',
        onMessage: {
          addListener: (cb) => void (listener = cb),
          removeListener: () => void (listener = undefined),
        },
      },
      () => changes++,
    );
    listener!({ threadline: 'changed' }, { id: 'ext' });
    listener!({ threadline: 'changed' }, { id: 'other-extension' });
    listener!({ threadline: 'something-else' }, { id: 'ext' });
    expect(changes).toBe(1);
    stop();
    expect(listener).toBeUndefined();
  });
});
