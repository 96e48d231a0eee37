/**
 * The queue's first screen, asked for by a tiny script of its own that runs before the page's main script has
 * even been compiled (entrypoints/first-screen.ts, loaded first by the side panel's page): the background's
 * answer is usually there by the time the panel renders. Nothing here validates or renders, so this module
 * imports nothing; the queue takes the raw reply and checks it on receipt (lib/protocol/inbox-client.ts
 * `receive`). The two scripts are separate bundles: the pending reply passes between them on the page's
 * global object.
 */
export const FIRST_SCREEN = 12;

interface Sender {
  sendMessage(message: unknown): Promise<unknown>;
}

const KEY = Symbol.for('threadline.firstScreen');
type Global = { [KEY]?: Promise<unknown> };

/** The `tasks.first` envelope: the first tasks by due time, with sections counted on the rep's clock. */
export const firstScreenMessage = () => ({
  threadline: 1,
  name: 'tasks.first',
  request: { limit: FIRST_SCREEN, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
});

export function prefetchFirstScreen(runtime: Sender): void {
  (globalThis as Global)[KEY] = runtime
    .sendMessage(firstScreenMessage())
    .catch((e: unknown) => ({ ok: false, error: String(e) }));
}

/** The raw reply asked for early on this page, once; undefined when nobody asked (or it was taken). */
export function takeFirstScreen(): Promise<unknown> | undefined {
  const reply = (globalThis as Global)[KEY];
  delete (globalThis as Global)[KEY];
  return reply;
}
