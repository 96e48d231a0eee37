import type { MailProvider } from '../mail/provider';
import type { RunnerDeps } from './deps';
import { readInbound, type InboundOutcome } from './inbound';

/**
 * The check right before an email goes into a thread (issue 12 §3): the thread itself, every message of it
 * whatever label or folder a filter or rule put it in, in one request. A message from anyone but the rep that
 * came after our last email there and was not read yet is read and applied now, before anything is sent; the
 * caller then looks at the enrollment again. It does not depend on the watch cycle having seen the message.
 */
export async function checkThreadBeforeSend(
  deps: RunnerDeps,
  provider: MailProvider,
  mailbox: string,
  thread: { threadId: string; lastMessageId?: string },
): Promise<InboundOutcome[]> {
  const messages = await provider.threadMessages(thread.threadId);
  const rep = mailbox.toLowerCase();
  // After our last email in the thread; when it is not there (or not known), after the rep's last message.
  let ours = thread.lastMessageId ? messages.findLastIndex((m) => m.messageId === thread.lastMessageId) : -1;
  if (ours < 0) ours = messages.findLastIndex((m) => m.from === rep && !m.draft);
  const after = messages.slice(ours + 1).filter((m) => !m.draft && m.from !== rep);
  if (after.length === 0) return [];
  const ids = after.map((m) => `${mailbox}:${m.providerMessageId}`);
  const known = new Set((await deps.db.inbound.bulkGet(ids)).filter((r) => r !== undefined).map((r) => r.id));
  const outcomes: InboundOutcome[] = [];
  for (const m of after) {
    if (known.has(`${mailbox}:${m.providerMessageId}`)) continue;
    outcomes.push(
      await readInbound(deps, provider, mailbox, {
        providerMessageId: m.providerMessageId,
        threadId: m.threadId,
      }),
    );
  }
  return outcomes;
}
