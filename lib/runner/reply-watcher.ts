import type { RunnerDeps } from './deps';
import { readInbound, settleInterruptedRead, type InboundKind, type ReadOptions } from './inbound';

const cursorKey = (mailbox: string) => `watch-cursor:${mailbox}`;
/** More new mail than this in one cycle is left for the next cycle (the cursor is only advanced past it then). */
const MAX_MESSAGES_PER_CYCLE = 500;

export interface WatchResult {
  /** New inbound messages looked at. */
  looked: number;
  /** Signals applied to contacts. */
  signals: { email: string; kind: InboundKind }[];
  resynced: boolean;
}

/**
 * One watch cycle for a mailbox (ARCHITECTURE.md, "Reply watching"): one `changesSince` call whatever the
 * number of watched threads (everything that arrived, wherever filters or rules filed it), then each new
 * message is read safely (inbound.ts): cheaply first, its body only when it can matter to an enrolled
 * contact, recorded as seen before it is parsed, unreadable after a throw or the time budget. A message
 * already handled (a re-sync, or the overlap of Graph's received-time cursor, reports it again) is skipped.
 */
export async function watchMailbox(
  deps: RunnerDeps,
  mailbox: string,
  options: ReadOptions = {},
): Promise<WatchResult> {
  const result: WatchResult = { looked: 0, signals: [], resynced: false };
  const provider = deps.mailFor(mailbox);
  if (!provider) return result;
  // A message the worker died reading last time counts as unreadable now: it is never read a second time.
  const interrupted = await settleInterruptedRead(deps, mailbox);
  if (interrupted) result.signals.push(...interrupted.signals);
  const stored = await deps.db.meta.get(cursorKey(mailbox));
  const changes = await provider.changesSince(typeof stored?.value === 'string' ? stored.value : undefined);
  result.resynced = changes.resynced;
  const handled = new Set(
    (await deps.db.inbound.bulkGet(changes.messages.map((m) => `${mailbox}:${m.providerMessageId}`)))
      .filter((r) => r !== undefined)
      .map((r) => r.id),
  );
  const unhandled = changes.messages.filter((m) => !handled.has(`${mailbox}:${m.providerMessageId}`));
  const fresh = unhandled.slice(0, MAX_MESSAGES_PER_CYCLE);
  for (const ref of fresh) {
    result.looked++;
    const outcome = await readInbound(deps, provider, mailbox, ref, options);
    result.signals.push(...outcome.signals);
  }
  // Advance the cursor only past what was handled; a capped cycle continues from the same point next time.
  if (fresh.length === unhandled.length)
    await deps.db.meta.put({ key: cursorKey(mailbox), value: changes.cursor });
  return result;
}
