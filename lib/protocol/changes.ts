import * as z from 'zod/mini';

/**
 * "Something changed": the background tells every open Threadline view (extension pages, and content scripts
 * in mail tabs) to reload what it shows, so no view stays stale after an action in another tab or a send.
 */
// zod/mini: content scripts listen for these too, and carry no classic zod.
const Changed = z.strictObject({ threadline: z.literal('changed') });

export interface ChangeChannels {
  runtimeId: string;
  sendToPages(message: unknown): Promise<unknown>;
  mailTabIds(): Promise<number[]>;
  sendToTab(tabId: number, message: unknown): Promise<unknown>;
}

/** Collapses a burst of changes (a tick that sends ten emails) into one notice after `delayMs`. */
export function createChangeBroadcaster(channels: ChangeChannels, delayMs = 150) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async () => {
    timer = undefined;
    const message = { threadline: 'changed' };
    // Nobody listening is normal (no page open): those rejections are expected and ignored.
    await channels.sendToPages(message).catch(() => undefined);
    for (const id of await channels.mailTabIds().catch(() => []))
      await channels.sendToTab(id, message).catch(() => undefined);
  };
  return {
    notify(): void {
      timer ??= setTimeout(() => void flush(), delayMs);
    },
  };
}

type Listener = (m: unknown, sender: { id?: string }) => undefined;

/** Calls `onChange` for change notices from this extension's background; ignores everything else. */
export function listenForChanges(
  runtime: { id: string; onMessage: { addListener(cb: Listener): void; removeListener(cb: Listener): void } },
  onChange: () => void,
): () => void {
  const listener: Listener = (message, sender) => {
    if (sender.id === runtime.id && z.safeParse(Changed, message).success) onChange();
    return undefined;
  };
  runtime.onMessage.addListener(listener);
  return () => runtime.onMessage.removeListener(listener);
}
