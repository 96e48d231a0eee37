import { FALLBACK_KEY } from '../protocol/fallback-thread';
import type { Handlers } from '../protocol/endpoints';

export interface PageHandlerDeps {
  /** storage.session: extension pages only, gone when the browser closes. */
  sessionStorage: { set(items: Record<string, unknown>): Promise<void> };
  tabs: { create(details: { url: string }): Promise<unknown> };
  /** The address of one of the extension's own pages. */
  pageUrl(path: string): string;
  now(): number;
}

/** The extension's own pages opened from a mail page: the side panel's thread and the options page. */
export function pageHandlers({ sessionStorage, tabs, pageUrl, now }: PageHandlerDeps): Handlers {
  return {
    // A thread with no panel slot in its mail client: the side panel shows it.
    'thread.fallback': async ({ thread }) => {
      await sessionStorage.set({ [FALLBACK_KEY]: thread && { ...thread, at: now() } });
      return { ok: true as const };
    },
    'options.open': async ({ section }) => {
      await tabs.create({ url: `${pageUrl('/options.html')}#/settings/${section}` });
      return { ok: true as const };
    },
  };
}
