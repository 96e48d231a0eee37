import { browser } from 'wxt/browser';

/** The part of `tabs` the worker uses: find the mail tabs, tell them about changes, open a page. */
export interface Tabs {
  /** The ids of the open tabs whose address matches one of `urlPatterns` (match patterns). */
  idsMatching(urlPatterns: string[]): Promise<number[]>;
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
  create(details: { url: string }): Promise<void>;
}

export function browserTabs(tabs: typeof browser.tabs = browser.tabs): Tabs {
  return {
    idsMatching: async (url) =>
      (await tabs.query({ url })).flatMap((t) => (t.id === undefined ? [] : [t.id])),
    sendMessage: (tabId, message) => tabs.sendMessage(tabId, message),
    create: async (details) => void (await tabs.create(details)),
  };
}
