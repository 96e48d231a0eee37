import { FALLBACK_KEY } from '../protocol/fallback-thread';
import type { RuntimeMessaging } from '../platform/runtime';
import type { Storage } from '../platform/storage';
import type { Tabs } from '../platform/tabs';
import type { Handlers } from '../protocol/endpoints';

export interface PageHandlerDeps {
  /** storage.session: extension pages only, gone when the browser closes. */
  storage: { session: Pick<Storage['session'], 'set'> };
  tabs: Pick<Tabs, 'create'>;
  runtime: Pick<RuntimeMessaging, 'getURL'>;
  now(): number;
}

/** The extension's own pages opened from a mail page: the side panel's thread and the options page. */
export function pageHandlers({ storage, tabs, runtime, now }: PageHandlerDeps): Handlers {
  return {
    // A thread with no panel slot in its mail client: the side panel shows it.
    'thread.fallback': async ({ thread }) => {
      await storage.session.set({ [FALLBACK_KEY]: thread && { ...thread, at: now() } });
      return { ok: true as const };
    },
    'options.open': async ({ section }) => {
      await tabs.create({ url: `${runtime.getURL('/options.html')}#/settings/${section}` });
      return { ok: true as const };
    },
  };
}
