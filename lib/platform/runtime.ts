import { browser, type PublicPath } from 'wxt/browser';

/** Who sent a runtime message: this extension's id and the sending page's address. */
export interface MessageSender {
  id?: string;
  url?: string;
}

/** Answers a message with a promise of the reply, or `undefined` to leave it to other listeners. */
export type MessageListener = (message: unknown, sender: MessageSender) => Promise<unknown> | undefined;

/** The part of `runtime` Threadline's pages, content scripts and worker use to talk to each other. */
export interface RuntimeMessaging {
  readonly id: string;
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(cb: MessageListener): void;
    removeListener(cb: MessageListener): void;
  };
  /** The address of one of the extension's own files, e.g. `/options.html` (WXT lists them: PublicPath). */
  getURL(path: PublicPath): string;
  /** The extension's version, from its manifest. */
  version(): string;
}

/** The browser's runtime (Chrome and Firefox both take a listener's returned promise as its answer). */
export function browserRuntime(runtime: typeof browser.runtime = browser.runtime): RuntimeMessaging {
  return {
    get id() {
      return runtime.id;
    },
    sendMessage: (message) => runtime.sendMessage(message),
    // Chrome's typings declare listeners as returning void, but Chrome (MV3) and Firefox both answer with the
    // promise a listener returns: the answering listener is handed over as it is (the same function removes it).
    onMessage: {
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      addListener: (cb) => runtime.onMessage.addListener(cb),
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      removeListener: (cb) => runtime.onMessage.removeListener(cb),
    },
    getURL: (path) => runtime.getURL(path),
    version: () => runtime.getManifest().version,
  };
}
