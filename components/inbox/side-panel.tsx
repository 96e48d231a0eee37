import { useCallback, useEffect, useState } from 'react';
import * as z from 'zod/mini';
import type { ComposeRequest } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ask } from '../../lib/protocol/inbox-client';
import { FALLBACK_KEY, FallbackThread } from '../../lib/protocol/fallback-thread';
import { QueueContainer } from './queue-container';
import { SendsOnHoldNotice } from './sends-on-hold';
import { ThreadContainer } from './thread-container';

export interface SidePanelStorage {
  get(key: string): Promise<Record<string, unknown>>;
  onChanged: {
    addListener(cb: (changes: Record<string, { newValue?: unknown }>) => void): void;
    removeListener(cb: (changes: Record<string, { newValue?: unknown }>) => void): void;
  };
}

/**
 * The browser's side panel: the task queue on any tab, and, when a mail client had no slot for the thread
 * panel, that thread's panel above it.
 */
export function SidePanel({ runtime, storage }: { runtime: Runtime; storage: SidePanelStorage }) {
  const [thread, setThread] = useState<FallbackThread>(null);
  useEffect(() => {
    const take = (value: unknown) => setThread(z.parse(z.catch(FallbackThread, null), value ?? null));
    void storage.get(FALLBACK_KEY).then((items) => take(items[FALLBACK_KEY]));
    const onChanged = (changes: Record<string, { newValue?: unknown }>) => {
      if (FALLBACK_KEY in changes) take(changes[FALLBACK_KEY]!.newValue);
    };
    storage.onChanged.addListener(onChanged);
    return () => storage.onChanged.removeListener(onChanged);
  }, [storage]);
  // A deal step's new message: Outlook's compose, opened by the background on the Outlook the rep was last
  // on (it answers false when it knows none, and the text is shown to copy).
  const openOutlook = useCallback(
    async (req: ComposeRequest) => (await ask(runtime, 'compose.outlook', req)).opened,
    [runtime],
  );
  return (
    <main className="tl-stack tl-sidepanel">
      <h1 className="tl-visually-hidden">Threadline</h1>
      <SendsOnHoldNotice runtime={runtime} />
      {thread && (
        <ThreadContainer
          key={thread.id}
          runtime={runtime}
          thread={thread}
          {...(thread.host === 'outlook' && { openCompose: openOutlook })}
        />
      )}
      <QueueContainer runtime={runtime} fixItCompose={openOutlook} />
    </main>
  );
}
